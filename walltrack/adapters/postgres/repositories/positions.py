"""Positions: one row per copied trade, its state and amounts, updated as it exits."""

from __future__ import annotations

from uuid import UUID

from walltrack.adapters.postgres.database import Conn, Database
from walltrack.adapters.postgres.repositories.signals import INSERT_SIGNAL
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import (
    PositionRecord,
    PositionState,
    SignalRecord,
    check_position_transition,
)

_COLUMNS = """position_id, signal_id, wallet_address, token_mint, token_decimals, state,
    exit_strategy, entry_price_sol, peak_price_sol, trailing_stop_price_sol, entry_lamports,
    token_amount, remaining_amount, proceeds_lamports, realized_pnl_lamports,
    take_profits_hit, score, cluster_id, opened_at, closed_at, exit_reason"""

_INSERT = f"""
INSERT INTO positions ({_COLUMNS})
VALUES (%(position_id)s, %(signal_id)s, %(wallet_address)s, %(token_mint)s,
    %(token_decimals)s, %(state)s, %(exit_strategy)s, %(entry_price_sol)s, %(peak_price_sol)s,
    %(trailing_stop_price_sol)s, %(entry_lamports)s, %(token_amount)s, %(remaining_amount)s,
    %(proceeds_lamports)s, %(realized_pnl_lamports)s, %(take_profits_hit)s, %(score)s,
    %(cluster_id)s, %(opened_at)s, %(closed_at)s, %(exit_reason)s)
RETURNING *
"""  # noqa: S608 - the column list is a constant

_INSERT_NEW = _INSERT.replace("RETURNING *", "ON CONFLICT (position_id) DO NOTHING RETURNING *")
# The traded signal's row in the same statement (its foreign key is checked at the end).
_INSERT_NEW_WITH_SIGNAL = (
    "WITH signal AS (" + INSERT_SIGNAL.replace("%(", "%(signal_") + ")" + _INSERT_NEW
)

_LOCK = "SELECT state FROM positions WHERE position_id = %(position_id)s FOR UPDATE"

_UPDATE = """
UPDATE positions SET state = %(state)s, exit_strategy = %(exit_strategy)s,
    entry_price_sol = %(entry_price_sol)s, peak_price_sol = %(peak_price_sol)s,
    trailing_stop_price_sol = %(trailing_stop_price_sol)s,
    entry_lamports = %(entry_lamports)s, token_amount = %(token_amount)s,
    remaining_amount = %(remaining_amount)s, proceeds_lamports = %(proceeds_lamports)s,
    realized_pnl_lamports = %(realized_pnl_lamports)s, take_profits_hit = %(take_profits_hit)s,
    score = %(score)s, cluster_id = %(cluster_id)s, closed_at = %(closed_at)s,
    exit_reason = %(exit_reason)s
WHERE position_id = %(position_id)s
RETURNING *
"""

_GET = "SELECT * FROM positions WHERE position_id = %(position_id)s"
_LIVE = "SELECT * FROM positions WHERE state <> 'closed' ORDER BY opened_at"
_BY_WALLET = """
SELECT * FROM positions WHERE wallet_address = %(wallet)s ORDER BY opened_at DESC LIMIT %(limit)s
"""
_CLOSED = """
SELECT * FROM positions WHERE state = 'closed' ORDER BY closed_at DESC LIMIT %(limit)s
"""
_COUNT = "SELECT count(*) AS n FROM positions"


class PositionRepository:
    """Reads and writes of positions; state changes follow POSITION_TRANSITIONS."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(self, position: PositionRecord) -> PositionRecord:
        """Store a new position (a second live position in a token is a DuplicateKeyError)."""
        params = to_params(position, exclude=("created_at", "updated_at"))
        row = self._db.write(lambda c: c.execute(_INSERT, params).fetchone())
        assert row is not None
        return from_row(PositionRecord, row)

    def insert_new(
        self, position: PositionRecord, signal: SignalRecord | None = None
    ) -> PositionRecord | None:
        """Store a position unless its id exists: the stored row, or None if it existed.

        One statement, one round trip: the entry path's check and write in one, with the
        signal it trades (unless stored already), so its scorer need not wait for that row.
        """
        params = to_params(position, exclude=("created_at", "updated_at"))
        sql = _INSERT_NEW
        if signal is not None:
            sql = _INSERT_NEW_WITH_SIGNAL
            signal_params = to_params(signal, exclude=("created_at",))
            params |= {f"signal_{key}": value for key, value in signal_params.items()}
        row = self._db.write_one(lambda c: c.execute(sql, params).fetchone())
        return None if row is None else from_row(PositionRecord, row)

    def update(self, position: PositionRecord) -> PositionRecord:
        """Write the new state of a position; an illegal state move is refused."""
        params = to_params(position, exclude=("created_at", "updated_at"))

        def work(conn: Conn) -> PositionRecord:
            current = conn.execute(_LOCK, {"position_id": position.position_id}).fetchone()
            if current is None:
                raise KeyError(position.position_id)
            check_position_transition(
                position.position_id, PositionState(current["state"]), position.state
            )
            row = conn.execute(_UPDATE, params).fetchone()
            assert row is not None
            return from_row(PositionRecord, row)

        return self._db.write(work)

    def get(self, position_id: UUID) -> PositionRecord | None:
        """One position by id."""
        row = self._db.read(lambda c: c.execute(_GET, {"position_id": position_id}).fetchone())
        return None if row is None else from_row(PositionRecord, row)

    def live(self) -> list[PositionRecord]:
        """Every position not closed yet, oldest first (exit watcher, sizing, restart)."""
        return [from_row(PositionRecord, r) for r in self._db.read(lambda c: c.execute(_LIVE))]

    def by_wallet(self, wallet: str, *, limit: int = 100) -> list[PositionRecord]:
        """Positions copied from one wallet, newest first."""
        params = {"wallet": wallet, "limit": limit}
        rows = self._db.read(lambda c: c.execute(_BY_WALLET, params).fetchall())
        return [from_row(PositionRecord, r) for r in rows]

    def closed(self, *, limit: int = 100) -> list[PositionRecord]:
        """Most recently closed positions first (ledger, breaker, dashboard)."""
        rows = self._db.read(lambda c: c.execute(_CLOSED, {"limit": limit}).fetchall())
        return [from_row(PositionRecord, r) for r in rows]

    def count(self) -> int:
        """How many positions exist."""
        row = self._db.read(lambda c: c.execute(_COUNT).fetchone())
        return int(row["n"]) if row else 0
