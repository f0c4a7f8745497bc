"""Signals: every scored wallet signal, traded or skipped, with its factor breakdown.

Why asynchronous commit: a signal row is written for every scored swap, on the scorer's
hot path, and waiting for the WAL flush (a few ms on a VM disk) per row would dominate it.
Durability still holds where it matters: WAL is flushed in order, so the synchronous
commit of the position or order a signal led to also makes that signal durable; only
skipped signals of the last ~0.6 s before an OS or server crash could be lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from walltrack.adapters.postgres.database import Conn, Database
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import SignalDecision, SignalRecord

INSERT_SIGNAL = """
INSERT INTO signals (signal_id, correlation_id, wallet_address, token_mint, side,
    tx_signature, amount_lamports, observed_at, scored_at, score, wallet_factor,
    cluster_factor, token_factor, context_factor, factors, decision, skip_reason,
    high_conviction)
VALUES (%(signal_id)s, %(correlation_id)s, %(wallet_address)s, %(token_mint)s, %(side)s,
    %(tx_signature)s, %(amount_lamports)s, %(observed_at)s, %(scored_at)s, %(score)s,
    %(wallet_factor)s, %(cluster_factor)s, %(token_factor)s, %(context_factor)s,
    %(factors)s, %(decision)s, %(skip_reason)s, %(high_conviction)s)
ON CONFLICT (signal_id) DO NOTHING
"""

_ASYNC_COMMIT = "SET LOCAL synchronous_commit TO off"
_GET = "SELECT * FROM signals WHERE signal_id = %(signal_id)s"

_RECENT = """
SELECT * FROM signals
WHERE (%(wallet)s::text IS NULL OR wallet_address = %(wallet)s)
  AND (%(token)s::text IS NULL OR token_mint = %(token)s)
  AND (%(decision)s::text IS NULL OR decision = %(decision)s)
ORDER BY observed_at DESC LIMIT %(limit)s
"""


class SignalRepository:
    """Append-only store of scored signals."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(self, signal: SignalRecord) -> None:
        """Store a signal; storing the same signal id again is a no-op (safe to retry)."""
        params = to_params(signal, exclude=("created_at",))

        def work(conn: Conn) -> None:
            conn.execute(_ASYNC_COMMIT)
            conn.execute(INSERT_SIGNAL, params)

        self._db.write(work, pipeline=True)

    def insert_many(self, signals: Sequence[SignalRecord]) -> None:
        """Store a batch in one transaction (the scorer's group commit); ids already
        stored are skipped, so a batch retried after a crash stores nothing twice."""
        rows = [to_params(signal, exclude=("created_at",)) for signal in signals]
        if not rows:
            return

        def work(conn: Conn) -> None:
            conn.execute(_ASYNC_COMMIT)
            with conn.cursor() as cursor:
                cursor.executemany(INSERT_SIGNAL, rows)

        self._db.write(work, pipeline=True)

    def get(self, signal_id: UUID) -> SignalRecord | None:
        """One signal by id."""
        row = self._db.read(lambda c: c.execute(_GET, {"signal_id": signal_id}).fetchone())
        return None if row is None else from_row(SignalRecord, row)

    def recent(
        self,
        *,
        wallet: str | None = None,
        token: str | None = None,
        decision: SignalDecision | None = None,
        limit: int = 100,
    ) -> list[SignalRecord]:
        """Latest signals first, optionally for one wallet, token or decision."""
        params = {
            "wallet": wallet,
            "token": token,
            "decision": decision.value if decision else None,
            "limit": limit,
        }
        rows = self._db.read(lambda c: c.execute(_RECENT, params).fetchall())
        return [from_row(SignalRecord, r) for r in rows]
