"""Signals, positions, orders, fills, exit strategies: round trips and state machines."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from tests.integration.postgres.builders import BIG_RAW_AMOUNT, T0, a_position, a_signal, an_order
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.entry_journal import open_entries
from walltrack.adapters.postgres.repositories.entry_settlement import settle_entry_fill
from walltrack.adapters.postgres.repositories.exit_strategies import ExitStrategyRepository
from walltrack.adapters.postgres.repositories.fills import FillRepository
from walltrack.adapters.postgres.repositories.orders import OrderRepository
from walltrack.adapters.postgres.repositories.positions import PositionRepository
from walltrack.adapters.postgres.repositories.signals import SignalRepository
from walltrack.domain.params import PRESETS, ExitStrategy, TakeProfit
from walltrack.domain.records import (
    ExitReason,
    FillRecord,
    OrderState,
    PositionState,
    SignalDecision,
)
from walltrack.errors import (
    ConstraintViolationError,
    DuplicateKeyError,
    IllegalTransitionError,
    InvalidInputError,
    InvalidParameterError,
)
from walltrack.execution_ports import EntryJournal

pytestmark = pytest.mark.integration


def test_signal_round_trips_with_factor_breakdown(pg_db: Database) -> None:
    signals = SignalRepository(pg_db)
    signal = a_signal()
    signals.insert(signal)
    loaded = signals.get(signal.signal_id)
    assert loaded is not None
    assert loaded.created_at is not None
    assert replace(loaded, created_at=None) == signal


def test_storing_a_signal_again_is_a_no_op(pg_db: Database) -> None:
    signals = SignalRepository(pg_db)
    signal = a_signal()
    signals.insert(signal)
    signals.insert(replace(signal, score=0.1))  # e.g. a retry after an unknown outcome
    assert [s.score for s in signals.recent()] == [signal.score]


def test_skipped_signal_needs_a_reason(pg_db: Database) -> None:
    signals = SignalRepository(pg_db)
    with pytest.raises(ConstraintViolationError, match="signals_skip_has_reason"):
        signals.insert(a_signal(decision=SignalDecision.SKIP))
    skipped = a_signal(decision=SignalDecision.SKIP, skip_reason="max_concurrent_positions")
    signals.insert(skipped)
    assert [s.signal_id for s in signals.recent(decision=SignalDecision.SKIP)] == [
        skipped.signal_id
    ]


def test_signals_filter_and_order(pg_db: Database) -> None:
    signals = SignalRepository(pg_db)
    for minutes, wallet in ((1, "A"), (3, "B"), (2, "A")):
        signals.insert(a_signal(wallet_address=wallet, observed_at=T0 + timedelta(minutes=minutes)))
    assert [s.observed_at.minute for s in signals.recent(wallet="A")] == [2, 1]
    assert len(signals.recent(limit=2)) == 2


def test_position_round_trips_big_amounts_and_decimal_prices(pg_db: Database) -> None:
    positions = PositionRepository(pg_db)
    position = a_position()
    stored = positions.insert(position)
    assert replace(stored, created_at=None, updated_at=None) == position
    assert stored.token_amount == BIG_RAW_AMOUNT
    assert isinstance(stored.token_amount, int)
    assert stored.entry_price_sol == Decimal("0.000000123456789012345678")


def test_position_state_machine_and_close(pg_db: Database) -> None:
    positions = PositionRepository(pg_db)
    position = positions.insert(a_position())
    partial = positions.update(
        replace(position, state=PositionState.PARTIAL_EXIT, remaining_amount=10, take_profits_hit=1)
    )
    assert partial.state is PositionState.PARTIAL_EXIT
    with pytest.raises(ConstraintViolationError, match="positions_closed_has_reason"):
        positions.update(replace(partial, state=PositionState.CLOSED))
    closed = positions.update(
        replace(
            partial,
            state=PositionState.CLOSED,
            closed_at=T0 + timedelta(hours=1),
            exit_reason=ExitReason.TAKE_PROFIT,
            realized_pnl_lamports=-1,
        )
    )
    assert closed.exit_reason is ExitReason.TAKE_PROFIT
    with pytest.raises(IllegalTransitionError, match="cannot move from closed to open"):
        positions.update(replace(closed, state=PositionState.OPEN))
    assert positions.live() == []
    assert [p.position_id for p in positions.closed()] == [position.position_id]


def test_one_live_position_per_token(pg_db: Database) -> None:
    positions = PositionRepository(pg_db)
    first = positions.insert(a_position(token_mint="SameMint"))
    with pytest.raises(DuplicateKeyError, match="positions_one_live_per_token"):
        positions.insert(a_position(token_mint="SameMint"))
    positions.update(
        replace(first, state=PositionState.CLOSED, closed_at=T0, exit_reason=ExitReason.MANUAL)
    )
    positions.insert(a_position(token_mint="SameMint"))
    assert positions.count() == 2


def test_a_new_position_is_stored_once_and_a_second_write_of_its_id_changes_nothing(
    pg_db: Database,
) -> None:
    positions = PositionRepository(pg_db)
    position = a_position(token_mint="OnceMint")
    assert positions.insert_new(position)
    stored = positions.get(position.position_id)
    assert stored is not None
    assert stored.token_mint == "OnceMint"
    # The same signal told again (a crash before the snapshot): the row is kept as it is.
    assert not positions.insert_new(replace(position, entry_lamports=1))
    again = positions.get(position.position_id)
    assert again is not None
    assert again.entry_lamports == position.entry_lamports
    # Another position id in the same token is still refused by the one-live rule.
    with pytest.raises(DuplicateKeyError, match="positions_one_live_per_token"):
        positions.insert_new(a_position(token_mint="OnceMint"))


def test_a_position_and_the_signal_it_trades_are_stored_in_one_statement(
    pg_db: Database,
) -> None:
    positions, signals = PositionRepository(pg_db), SignalRepository(pg_db)
    signal = a_signal()  # not stored yet: the scorer's batch may come later
    position = replace(a_position(token_mint="WithSignal"), signal_id=signal.signal_id)
    assert positions.insert_new(position, signal)
    assert signals.get(signal.signal_id) is not None  # the foreign key is satisfied
    signals.insert(signal)  # the scorer's batch: the same id, nothing twice
    assert [s.signal_id for s in signals.recent()] == [signal.signal_id]
    assert not positions.insert_new(position, signal)  # told again: nothing changes


def test_a_position_its_signal_and_its_entry_order_are_one_write(pg_db: Database) -> None:
    positions, orders = PositionRepository(pg_db), OrderRepository(pg_db)
    signal = a_signal()
    position = replace(a_position(token_mint="WithOrder"), signal_id=signal.signal_id)
    order = an_order(position.position_id)  # with a JSON quote and unset numbers
    assert positions.insert_new(position, signal, order)
    stored = orders.by_idempotency_key(order.idempotency_key)
    assert stored is not None
    assert replace(stored, updated_at=None) == order
    # Told again with another order id: the position exists, so no order is written.
    again = replace(order, order_id=uuid4(), quote=None, expected_out=None)
    assert not positions.insert_new(position, signal, again)
    assert [o.order_id for o in orders.for_position(position.position_id)] == [order.order_id]


def test_an_entry_journal_is_written_with_a_new_entry_only_and_read_while_open(
    pg_db: Database,
) -> None:
    positions = PositionRepository(pg_db)
    position = a_position(token_mint="Journaled")
    order = an_order(position.position_id)

    def journal(sent: int) -> EntryJournal:
        entry = {"holding": {"sent": sent}, "working": {"key": order.idempotency_key}}
        return EntryJournal(
            position_id=position.position_id, attempt_key=f"entry-{sent}", entry=entry
        )

    def journaled() -> list[EntryJournal]:
        return [j for j in open_entries(pg_db) if j.position_id == position.position_id]

    assert positions.insert_new(position, None, order, journal(1))
    assert journaled() == [journal(1)]
    # Told again (another journal): the position exists, so no journal is written.
    again = replace(order, order_id=uuid4())
    assert not positions.insert_new(position, None, again, journal(2))
    assert journaled() == [journal(1)]
    # Without an order nothing is sent, so no journal goes with the position.
    bare = a_position(token_mint="NoOrder")
    assert positions.insert_new(bare, None, None, journal(3))
    assert [j.position_id for j in open_entries(pg_db)].count(bare.position_id) == 0
    # A closed position's journal is history: nothing left to settle.
    closed = replace(
        position,
        state=PositionState.CLOSED,
        closed_at=T0 + timedelta(seconds=5),
        exit_reason=ExitReason.ENTRY_FAILED,
        realized_pnl_lamports=0,
    )
    positions.update(closed)
    assert journaled() == []


def test_an_entry_order_refused_by_its_table_stores_no_position(pg_db: Database) -> None:
    positions = PositionRepository(pg_db)
    position = a_position(token_mint="BadOrder")
    with pytest.raises(ConstraintViolationError):
        positions.insert_new(position, None, an_order(position.position_id, slippage_bps=20_000))
    assert positions.get(position.position_id) is None  # all or nothing


def test_position_needs_a_known_exit_strategy(pg_db: Database) -> None:
    with pytest.raises(ConstraintViolationError) as caught:
        PositionRepository(pg_db).insert(a_position(exit_strategy="yolo"))
    assert caught.value.table == "positions"
    assert "exit_strategy" in caught.value.constraint


def test_order_round_trip_and_state_machine(pg_db: Database) -> None:
    position = PositionRepository(pg_db).insert(a_position())
    orders = OrderRepository(pg_db)
    order = an_order(position.position_id)
    stored = orders.insert(order)
    assert replace(stored, updated_at=None) == order

    submitted = orders.transition(order.order_id, OrderState.SUBMITTED, at=T0, tx_signature="sig1")
    assert submitted.submitted_at == T0
    assert submitted.tx_signature == "sig1"
    failed = orders.transition(order.order_id, OrderState.FAILED, at=T0, error="blockhash expired")
    retry = orders.transition(order.order_id, OrderState.PENDING, at=T0)
    assert (failed.error, retry.attempt) == ("blockhash expired", 1)
    assert [o.order_id for o in orders.unfinished()] == [order.order_id]

    orders.transition(order.order_id, OrderState.SUBMITTED, at=T0, tx_signature="sig2")
    filled = orders.transition(order.order_id, OrderState.FILLED, at=T0 + timedelta(seconds=2))
    assert filled.finished_at == T0 + timedelta(seconds=2)
    assert filled.tx_signature == "sig2"
    assert orders.unfinished() == []
    with pytest.raises(IllegalTransitionError, match="cannot move from filled to pending"):
        orders.transition(order.order_id, OrderState.PENDING, at=T0)
    assert orders.get(order.order_id) == filled  # a refused move changes nothing
    with pytest.raises(KeyError):
        orders.transition(uuid4(), OrderState.SUBMITTED, at=T0)


def test_duplicate_idempotency_key_is_rejected_clearly(pg_db: Database) -> None:
    position = PositionRepository(pg_db).insert(a_position())
    orders = OrderRepository(pg_db)
    first = orders.insert(an_order(position.position_id, idempotency_key="pos-1:entry"))

    with pytest.raises(DuplicateKeyError) as caught:
        orders.insert(an_order(position.position_id, idempotency_key="pos-1:entry"))

    assert caught.value.constraint == "orders_idempotency_key_unique"
    assert "'pos-1:entry' already exists; it must not be sent again" in str(caught.value)
    assert orders.by_idempotency_key("pos-1:entry") == first
    assert len(orders.for_position(position.position_id)) == 1


def test_fill_round_trips_and_is_recorded_once(pg_db: Database) -> None:
    position = PositionRepository(pg_db).insert(a_position())
    order = OrderRepository(pg_db).insert(an_order(position.position_id))
    fills = FillRepository(pg_db)
    fill = FillRecord(
        order_id=order.order_id,
        tx_signature="sigF",
        filled_at=T0,
        in_amount=250_000_000,
        out_amount=BIG_RAW_AMOUNT,
        price_sol=Decimal("1.2345678901234567890E-7"),
        fee_lamports=5000,
        slippage_bps=37,
        raw={"meta": {"fee": 5000}},
    )
    first = fills.record(fill)
    second = fills.record(fill)
    assert first.fill_id is not None
    assert first == second
    assert replace(first, fill_id=None) == fill
    assert fills.for_order(order.order_id) == [first]
    with pytest.raises(ConstraintViolationError):
        fills.record(replace(fill, order_id=uuid4(), tx_signature="x"))


def test_an_entry_fill_settles_order_fill_and_position_in_one_write(pg_db: Database) -> None:
    positions, orders, fills = (
        PositionRepository(pg_db),
        OrderRepository(pg_db),
        FillRepository(pg_db),
    )
    pending = a_position(state=PositionState.PENDING, token_amount=0, remaining_amount=0)
    order = an_order(pending.position_id, state=OrderState.SUBMITTED)
    assert positions.insert_new(pending, None, order) is not None
    fill = FillRecord(
        order_id=order.order_id,
        tx_signature="sigE",
        filled_at=T0,
        in_amount=250_000_000,
        out_amount=BIG_RAW_AMOUNT,
        price_sol=Decimal("1.5E-7"),
        fee_lamports=5000,
    )
    opened = replace(pending, state=PositionState.OPEN, token_amount=BIG_RAW_AMOUNT)
    opened = replace(opened, remaining_amount=BIG_RAW_AMOUNT)
    at = T0 + timedelta(seconds=3)
    assert settle_entry_fill(pg_db, fill, opened, at) is True
    filled = orders.get(order.order_id)
    assert filled is not None
    assert (filled.state, filled.tx_signature, filled.finished_at) == (
        OrderState.FILLED,
        "sigE",
        at,
    )
    stored = positions.get(pending.position_id)
    assert stored is not None
    assert (stored.state, stored.remaining_amount) == (PositionState.OPEN, BIG_RAW_AMOUNT)
    # Redone after a restart: the order has moved already, nothing is written twice.
    assert settle_entry_fill(pg_db, fill, opened, at) is False
    assert len(fills.for_order(order.order_id)) == 1
    # A position its state does not allow to be written is refused with the reason.
    closed = replace(stored, state=PositionState.CLOSED, closed_at=at)
    positions.update(replace(closed, exit_reason=ExitReason.STOP_LOSS))
    with pytest.raises(IllegalTransitionError, match="cannot move from closed to open"):
        settle_entry_fill(pg_db, fill, opened, at)


def test_exit_strategies_seeded_editable_and_validated(pg_db: Database) -> None:
    strategies = ExitStrategyRepository(pg_db)
    assert {r.strategy for r in strategies.all()} == set(PRESETS)
    balanced = strategies.get("balanced")
    assert balanced is not None
    assert balanced.is_preset
    assert balanced.strategy.moonbag_fraction == Decimal("0.34")

    mine = ExitStrategy(name="mine", take_profits=(TakeProfit(multiplier=Decimal(4)),))
    assert strategies.save(mine).strategy == mine
    strategies.delete("mine")
    assert strategies.get("mine") is None
    with pytest.raises(InvalidInputError, match="preset"):
        strategies.delete("balanced")
    with pytest.raises(InvalidParameterError, match=r"exit_strategies.bad.stop_loss"):
        strategies.save(ExitStrategy(name="bad", stop_loss=Decimal(2)))
