"""Raw webhook payloads as received; the transaction signature is the dedupe key.

Helius retries and duplicates deliveries, so `record` answers whether this signature is
new: the webhook handler forwards only new ones and still answers 200 for duplicates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.json_text import dumps
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import WebhookEventRecord

_INSERT = """
INSERT INTO webhook_events (signature, source, payload, received_at, processed_at)
VALUES (%(signature)s, %(source)s, %(payload)s, %(received_at)s, %(processed_at)s)
ON CONFLICT ON CONSTRAINT webhook_events_signature_unique DO NOTHING
RETURNING event_id
"""

# The arrays go in binary (`%b`): in text format every quote of every JSON payload is
# escaped into the array literal, about 150 µs of CPU an event (15x the binary cost).
_INSERT_MANY = """
INSERT INTO webhook_events (signature, source, payload, received_at)
SELECT signature, source, payload::jsonb, received_at
FROM unnest(%(signatures)b::text[], %(sources)b::text[], %(payloads)b::text[],
            %(received)b::timestamptz[]) AS e(signature, source, payload, received_at)
ON CONFLICT ON CONSTRAINT webhook_events_signature_unique DO NOTHING
RETURNING signature
"""

_PROCESSED = """
UPDATE webhook_events SET processed_at = %(at)s
WHERE signature = %(signature)s AND processed_at IS NULL
"""

_PROCESSED_MANY = """
UPDATE webhook_events SET processed_at = %(at)s
WHERE signature = ANY(%(signatures)b::text[]) AND processed_at IS NULL
"""

_GET = "SELECT * FROM webhook_events WHERE signature = %(signature)s"
_RECENT = "SELECT signature FROM webhook_events ORDER BY received_at DESC LIMIT %(limit)s"
_UNPROCESSED = """
SELECT * FROM webhook_events WHERE processed_at IS NULL ORDER BY received_at LIMIT %(limit)s
"""


class WebhookEventRepository:
    """Deduplicating store of raw webhook events."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, event: WebhookEventRecord) -> bool:
        """Store the event; False when its signature was already stored (a duplicate)."""
        params = to_params(event, exclude=("event_id",))
        row = self._db.write(lambda c: c.execute(_INSERT, params).fetchone())
        return row is not None

    def record_many(self, events: Sequence[WebhookEventRecord]) -> list[bool]:
        """Store every event in one statement (one commit); per event, whether it was new.

        A signature repeated within `events` is new once, at its first occurrence.
        """
        if not events:
            return []
        params = {
            "signatures": [e.signature for e in events],
            "sources": [e.source for e in events],
            "payloads": [dumps(e.payload) for e in events],
            "received": [e.received_at for e in events],
        }
        # Pipelined: BEGIN goes with the statement (two round trips, not three); not
        # autocommit, whose lost connection would leave the outcome unknown even when
        # the statement never reached the server (a restarted PostgreSQL).
        rows = self._db.write(
            lambda c: c.execute(_INSERT_MANY, params).fetchall(), idempotent=False, pipeline=True
        )
        inserted = {row["signature"] for row in rows}
        outcomes: list[bool] = []
        for event in events:
            outcomes.append(event.signature in inserted)
            inserted.discard(event.signature)
        return outcomes

    def mark_processed(self, signature: str, at: datetime) -> None:
        """Note that the event's swap reached the actors."""
        self._db.write(lambda c: c.execute(_PROCESSED, {"signature": signature, "at": at}))

    def mark_many_processed(self, signatures: Sequence[str], at: datetime) -> None:
        """Note a batch of events as handed to the tree, in one statement."""
        params = {"signatures": list(signatures), "at": at}
        self._db.write(lambda c: c.execute(_PROCESSED_MANY, params))

    def get(self, signature: str) -> WebhookEventRecord | None:
        """One stored event by signature."""
        row = self._db.read(lambda c: c.execute(_GET, {"signature": signature}).fetchone())
        return None if row is None else from_row(WebhookEventRecord, row)

    def recent_signatures(self, limit: int) -> list[str]:
        """The signatures of the newest `limit` events, newest first."""
        rows = self._db.read(lambda c: c.execute(_RECENT, {"limit": limit}).fetchall())
        return [str(row["signature"]) for row in rows]

    def unprocessed(self, *, limit: int = 500) -> list[WebhookEventRecord]:
        """Stored but not yet processed events, oldest first (replay after a crash)."""
        rows = self._db.read(lambda c: c.execute(_UNPROCESSED, {"limit": limit}).fetchall())
        return [from_row(WebhookEventRecord, r) for r in rows]
