"""Circuit-breaker events: every warning, size cut, pause, resume and reset, with figures."""

from __future__ import annotations

from datetime import datetime

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import CircuitBreakerEventRecord

_INSERT = """
INSERT INTO circuit_breaker_events (occurred_at, rule, action, reason, metrics, triggered_by)
VALUES (%(occurred_at)s, %(rule)s, %(action)s, %(reason)s, %(metrics)s, %(triggered_by)s)
RETURNING *
"""

_RECENT = """
SELECT * FROM circuit_breaker_events
WHERE occurred_at >= %(since)s
ORDER BY occurred_at DESC, event_id DESC LIMIT %(limit)s
"""


class CircuitBreakerEventRepository:
    """Append-only log of the circuit breaker's decisions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, event: CircuitBreakerEventRecord) -> CircuitBreakerEventRecord:
        """Append one event; returns it with its id."""
        params = to_params(event, exclude=("event_id",))
        row = self._db.write(lambda c: c.execute(_INSERT, params).fetchone(), idempotent=False)
        assert row is not None
        return from_row(CircuitBreakerEventRecord, row)

    def since(self, since: datetime, *, limit: int = 200) -> list[CircuitBreakerEventRecord]:
        """Events at or after `since`, newest first."""
        params = {"since": since, "limit": limit}
        rows = self._db.read(lambda c: c.execute(_RECENT, params).fetchall())
        return [from_row(CircuitBreakerEventRecord, r) for r in rows]
