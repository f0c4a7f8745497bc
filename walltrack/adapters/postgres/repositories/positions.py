"""Positions: one row per copied trade, its state and amounts, updated as it exits."""

from __future__ import annotations

import re
from uuid import UUID

from psycopg import RawCursor

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.entry_journal import (
    JOURNAL_FOR_OPENED_POSITION,
    journal_params,
)
from walltrack.adapters.postgres.repositories.orders import ORDER_FOR_OPENED_POSITION
from walltrack.adapters.postgres.repositories.signals import INSERT_SIGNAL
from walltrack.adapters.postgres.rows import from_row, prefixed, to_params
from walltrack.adapters.postgres.state_moves import conditional_move
from walltrack.domain.records import (
    OrderRecord,
    PositionRecord,
    PositionState,
    SignalRecord,
    check_position_transition,
)
from walltrack.domain.records.trading import POSITION_TRANSITIONS
from walltrack.execution_ports import EntryJournal

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

_INSERT_NEW = _INSERT.replace(
    "RETURNING *", "ON CONFLICT (position_id) DO NOTHING RETURNING position_id"
)
"""Returns only the id: the caller asks whether the position is new, and a whole row to
decode (23 columns, numerics and times) was CPU on the entry's path for nothing."""


def _entry_statement(*, signal: bool, order: bool, journal: bool) -> str:
    """A new position, with the signal it trades, its entry order and the journal of the
    order's first attempt, as one statement.

    The other rows are data-modifying CTEs: their foreign keys to the position are
    checked at the statement's end, and the order and the journal are written only with
    a new position.
    """
    parts = []
    if signal:
        parts.append("signal AS (" + INSERT_SIGNAL.replace("%(", "%(signal_") + ")")
    if not order:
        return ("WITH " + ", ".join(parts) + " " if parts else "") + _INSERT_NEW
    parts.append("opened AS (" + _INSERT_NEW + ")")
    parts.append("entry AS (" + ORDER_FOR_OPENED_POSITION.replace("%(", "%(order_") + ")")
    if journal:
        parts.append("journal AS (" + JOURNAL_FOR_OPENED_POSITION.replace("%(", "%(journal_") + ")")
    return "WITH " + ", ".join(parts) + " SELECT position_id FROM opened"  # noqa: S608 - constant texts


def _positional(statement: str) -> tuple[str, tuple[str, ...]]:
    """`statement` with PostgreSQL's own `$n` parameter markers, and their names in order.

    Why: psycopg converts `%(name)s` markers on every call for a statement of more
    than 50 parameters (its cache stops there), and the entry statement has 59: 120 us of
    the position actor's CPU per entry, on the signal's path. A `RawCursor` sends it as is.
    """
    numbers: dict[str, int] = {}  # name -> its marker's number, in order of appearance

    def number(match: re.Match[str]) -> str:
        return f"${numbers.setdefault(match.group(1), len(numbers) + 1)}"

    return re.sub(r"%\((\w+)\)s", number, statement), tuple(numbers)


_ENTRY_STATEMENTS = {
    (signal, order, journal): _positional(
        _entry_statement(signal=signal, order=order, journal=journal)
    )
    for signal in (False, True)
    for order in (False, True)
    for journal in (False, True)
}

UPDATE_POSITION = """
UPDATE positions SET state = %(state)s, exit_strategy = %(exit_strategy)s,
    entry_price_sol = %(entry_price_sol)s, peak_price_sol = %(peak_price_sol)s,
    trailing_stop_price_sol = %(trailing_stop_price_sol)s,
    entry_lamports = %(entry_lamports)s, token_amount = %(token_amount)s,
    remaining_amount = %(remaining_amount)s, proceeds_lamports = %(proceeds_lamports)s,
    realized_pnl_lamports = %(realized_pnl_lamports)s, take_profits_hit = %(take_profits_hit)s,
    score = %(score)s, cluster_id = %(cluster_id)s, closed_at = %(closed_at)s,
    exit_reason = %(exit_reason)s
WHERE position_id = %(position_id)s AND state = ANY(%(from_states)s)
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


POSITION_FROM_STATES: dict[PositionState, list[str]] = {
    new: [new.value]
    + [old.value for old, allowed in POSITION_TRANSITIONS.items() if new in allowed]
    for new in PositionState
}
"""For each state, the states a position may be written in it from (itself included)."""


def update_params(position: PositionRecord) -> dict[str, object]:
    """UPDATE_POSITION's parameters (also a part of the entry-fill statement)."""
    params = to_params(position, exclude=("created_at", "updated_at"))
    params["from_states"] = POSITION_FROM_STATES[position.state]
    return params


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
        self,
        position: PositionRecord,
        signal: SignalRecord | None = None,
        order: OrderRecord | None = None,
        journal: EntryJournal | None = None,
    ) -> bool:
        """Store a position unless its id exists; False when it existed.

        One statement, one round trip: the entry path's check and write in one, with the
        signal it trades (unless stored already), so its scorer need not wait for that row,
        its entry order, so the order exists exactly when the position is new, and (with
        the order) the position actor's journal of the order's first attempt.
        """
        params = to_params(position, exclude=("created_at", "updated_at"))
        if signal is not None:
            params |= prefixed("signal_", to_params(signal, exclude=("created_at",)))
        if order is not None:
            params |= prefixed("order_", to_params(order, exclude=("updated_at",)))
        journal = journal if order is not None else None  # nothing is sent without an order
        if journal is not None:
            params |= prefixed("journal_", journal_params(journal))
        sql, names = _ENTRY_STATEMENTS[signal is not None, order is not None, journal is not None]
        values = [params[name] for name in names]
        row = self._db.write_one(lambda c: RawCursor(c).execute(sql, values).fetchone())
        return row is not None

    def update(self, position: PositionRecord) -> PositionRecord:
        """Write the new state of a position; an illegal state move is refused.

        One statement (a fill's settlement is on the position actor's path): the update
        applies only from a state that allows the move, and sets absolute values, so a
        repeat after a lost connection writes the same row.
        """
        params = update_params(position)
        position_id = position.position_id

        def current() -> PositionState | None:
            stored = self.get(position_id)
            return None if stored is None else stored.state

        row = conditional_move(
            lambda: self._db.write_one(lambda c: c.execute(UPDATE_POSITION, params).fetchone()),
            current,
            lambda state: check_position_transition(position_id, state, position.state),
            key=position_id,
            subject=f"position {position_id}",
            new=position.state,
        )
        return from_row(PositionRecord, row)

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
