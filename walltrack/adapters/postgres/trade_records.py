"""The trading path's records in PostgreSQL: positions, orders (unique idempotency key),
fills, circuit-breaker events and alerts, behind the `TradeRecords` port.

Why one facade: the trading actors persist through a single port, so paper and live use
their own schema and tests may swap the store, while the SQL stays in the repositories.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.alerts import AlertRepository
from walltrack.adapters.postgres.repositories.circuit_breaker_events import (
    CircuitBreakerEventRepository,
)
from walltrack.adapters.postgres.repositories.entry_journal import open_entries
from walltrack.adapters.postgres.repositories.entry_settlement import settle_entry_fill
from walltrack.adapters.postgres.repositories.fills import FillRepository
from walltrack.adapters.postgres.repositories.orders import OrderRepository
from walltrack.adapters.postgres.repositories.positions import PositionRepository
from walltrack.domain.records import OrderRecord, OrderState, PositionRecord, SignalRecord
from walltrack.domain.records.operations import AlertRecord, CircuitBreakerEventRecord
from walltrack.domain.records.trading import FillRecord
from walltrack.errors import DuplicateKeyError
from walltrack.execution_ports import EntryJournal

_FLOWS = """
SELECT coalesce(sum(entry_lamports) FILTER (WHERE token_amount > 0), 0) AS spent,
       coalesce(sum(proceeds_lamports), 0) AS received
FROM positions
"""
_HELD = """
SELECT token_mint, sum(remaining_amount) AS held FROM positions
WHERE state <> 'closed' AND remaining_amount > 0 GROUP BY token_mint
"""


class PostgresTradeRecords:
    """`TradeRecords` over the repositories of one mode's schema.

    Give it a `Database`, or a function returning the one open now: the tree's stores
    open (and reopen after a restart) after the trading actors were wired.
    """

    def __init__(self, db: Database | Callable[[], Database]) -> None:
        self._source = db
        self._bound: Database | None = None
        self._lock = threading.Lock()

    def _bind(self) -> Database:
        db = self._source if isinstance(self._source, Database) else self._source()
        with self._lock:
            if db is not self._bound:
                self._bound = db
                self._positions = PositionRepository(db)
                self._orders = OrderRepository(db)
                self._fills = FillRepository(db)
                self._breaker_events = CircuitBreakerEventRepository(db)
                self._alerts = AlertRepository(db)
        return db

    @property
    def positions(self) -> PositionRepository:
        self._bind()
        return self._positions

    @property
    def orders(self) -> OrderRepository:
        self._bind()
        return self._orders

    @property
    def fills(self) -> FillRepository:
        self._bind()
        return self._fills

    @property
    def breaker_events(self) -> CircuitBreakerEventRepository:
        self._bind()
        return self._breaker_events

    @property
    def alerts(self) -> AlertRepository:
        self._bind()
        return self._alerts

    def save_position(self, position: PositionRecord) -> None:
        try:
            self.positions.update(position)  # the common case: one statement
        except KeyError:
            self.positions.insert(position)

    def open_position(
        self,
        position: PositionRecord,
        signal: SignalRecord | None = None,
        order: OrderRecord | None = None,
        journal: EntryJournal | None = None,
    ) -> PositionRecord | None:
        if self.positions.insert_new(position, signal, order, journal):
            return None
        return self.positions.get(position.position_id)  # a signal told again: rare

    def journaled_entries(self) -> list[EntryJournal]:
        return open_entries(self._bind())

    def live_positions(self) -> list[PositionRecord]:
        return self.positions.live()

    def position(self, position_id: UUID) -> PositionRecord | None:
        return self.positions.get(position_id)

    def insert_order(self, order: OrderRecord) -> bool:
        try:
            self.orders.insert(order)
        except DuplicateKeyError:
            return False
        return True

    def order(self, key: str) -> OrderRecord | None:
        return self.orders.by_idempotency_key(key)

    def transition_order(
        self,
        order_id: UUID,
        state: OrderState,
        at: datetime,
        *,
        tx_signature: str | None = None,
        error: str | None = None,
    ) -> None:
        self.orders.transition(order_id, state, at=at, tx_signature=tx_signature, error=error)

    def record_fill(self, fill: FillRecord) -> None:
        self.fills.record(fill)

    def settle_entry_fill(self, fill: FillRecord, position: PositionRecord, at: datetime) -> bool:
        return settle_entry_fill(self._bind(), fill, position, at)

    def record_breaker_event(self, event: CircuitBreakerEventRecord) -> None:
        self.breaker_events.record(event)

    def raise_alert(self, alert: AlertRecord) -> None:
        self.alerts.raise_alert(alert)

    def paper_balances(self, starting_lamports: int) -> tuple[int, dict[str, int]]:
        """The paper wallet rebuilt from the positions: SOL after every entry cost and
        exit proceeds, and the tokens the open positions still hold (process restart)."""
        db = self._bind()
        flows = db.read(lambda c: c.execute(_FLOWS).fetchone())
        rows = db.read(lambda c: c.execute(_HELD).fetchall())
        assert flows is not None
        lamports = starting_lamports - int(flows["spent"]) + int(flows["received"])
        return lamports, {str(r["token_mint"]): int(r["held"]) for r in rows}
