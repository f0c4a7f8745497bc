"""Signals: every scored wallet signal, traded or skipped, with its factor breakdown."""

from __future__ import annotations

from uuid import UUID

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import SignalDecision, SignalRecord

_INSERT = """
INSERT INTO signals (signal_id, correlation_id, wallet_address, token_mint, side,
    tx_signature, amount_lamports, observed_at, scored_at, score, wallet_factor,
    cluster_factor, token_factor, context_factor, factors, decision, skip_reason,
    high_conviction)
VALUES (%(signal_id)s, %(correlation_id)s, %(wallet_address)s, %(token_mint)s, %(side)s,
    %(tx_signature)s, %(amount_lamports)s, %(observed_at)s, %(scored_at)s, %(score)s,
    %(wallet_factor)s, %(cluster_factor)s, %(token_factor)s, %(context_factor)s,
    %(factors)s, %(decision)s, %(skip_reason)s, %(high_conviction)s)
RETURNING created_at
"""

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
        """Store a signal; a second insert of the same id raises DuplicateKeyError."""
        params = to_params(signal, exclude=("created_at",))
        self._db.write(lambda c: c.execute(_INSERT, params))

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
