"""Fills: what confirmed orders actually traded (amounts, price, fees)."""

from __future__ import annotations

from uuid import UUID

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import FillRecord

INSERT_FILL = """
INSERT INTO fills (order_id, tx_signature, filled_at, in_amount, out_amount, price_sol,
    fee_lamports, slippage_bps, raw)
VALUES (%(order_id)s, %(tx_signature)s, %(filled_at)s, %(in_amount)s, %(out_amount)s,
    %(price_sol)s, %(fee_lamports)s, %(slippage_bps)s, %(raw)s)
ON CONFLICT ON CONSTRAINT fills_one_per_tx DO NOTHING
RETURNING *
"""

_GET_EXISTING = """
SELECT * FROM fills WHERE order_id = %(order_id)s AND tx_signature = %(tx_signature)s
"""

_FOR_ORDER = "SELECT * FROM fills WHERE order_id = %(order_id)s ORDER BY filled_at, fill_id"


class FillRepository:
    """Fills are keyed by (order, transaction): recording one twice returns the first."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, fill: FillRecord) -> FillRecord:
        """Store a fill (idempotent) and return it with its id."""
        params = to_params(fill, exclude=("fill_id",))
        # One statement (a fill's settlement is on the position actor's path); only a
        # fill recorded before reads its row back.
        row = self._db.write_one(lambda c: c.execute(INSERT_FILL, params).fetchone())
        if row is None:
            row = self._db.read(lambda c: c.execute(_GET_EXISTING, params).fetchone())
        assert row is not None
        return from_row(FillRecord, row)

    def for_order(self, order_id: UUID) -> list[FillRecord]:
        """Fills of one order in time order."""
        rows = self._db.read(lambda c: c.execute(_FOR_ORDER, {"order_id": order_id}).fetchall())
        return [from_row(FillRecord, r) for r in rows]
