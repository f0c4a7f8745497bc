"""Injected crashes of the position actor and the exit watcher mid-stream: no duplicate
position, no duplicate order or fill, and every open position is still watched."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from actors.names import EXIT_WATCHER, POSITIONS
from actors.price_feed import PriceFeed
from actors.trading_protocol import Inspect
from tests.trading.kit import (
    SOL,
    Market,
    Trading,
    paper_execution,
    persisted,
    running_trading,
    scored_signal,
)
from walltrack.adapters.execution.paper import PaperExecution, PaperLedger
from walltrack.adapters.memory_snapshots import InMemorySnapshotStore
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.trade_records import PostgresTradeRecords
from walltrack.domain.messages.trading import OrderFailed, OrderSubmitted, PositionOpened
from walltrack.sim.thread import SimulationThread


class InjectedCrashError(RuntimeError):
    """An injected fault."""


class FlakyRecords(PostgresTradeRecords):
    """Raises once on the next call of an armed method, before or after doing the work."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.armed: dict[str, bool] = {}  # method -> crash after the real call
        self.fired: list[str] = []
        self._lock = threading.Lock()

    def arm(self, method: str, *, after: bool) -> None:
        with self._lock:
            self.armed[method] = after

    def _maybe(self, method: str, call: Any) -> Any:
        with self._lock:
            after = self.armed.pop(method, None)
        if after is False:
            self.fired.append(method)
            raise InjectedCrashError(f"crash before {method}")
        result = call()
        if after:
            self.fired.append(method)
            raise InjectedCrashError(f"crash after {method}")
        return result

    def open_position(
        self, position: Any, signal: Any = None, order: Any = None, journal: Any = None
    ) -> Any:
        return self._maybe(
            "open_position",
            lambda: super(FlakyRecords, self).open_position(position, signal, order, journal),
        )

    def settle_entry_fill(self, fill: Any, position: Any, at: Any) -> bool:
        return bool(
            self._maybe(
                "settle_entry_fill",
                lambda: super(FlakyRecords, self).settle_entry_fill(fill, position, at),
            )
        )

    def transition_order(self, order_id: Any, state: Any, at: Any, **changes: Any) -> None:
        self._maybe(
            "transition_order",
            lambda: super(FlakyRecords, self).transition_order(order_id, state, at, **changes),
        )


class FlakyFeed(PriceFeed):
    """Crashes the exit watcher once when it starts watching a token."""

    crash_next = threading.Event()

    def watch(self, mint: str, decimals: int) -> None:
        if FlakyFeed.crash_next.is_set():
            FlakyFeed.crash_next.clear()
            raise InjectedCrashError("crash in the exit watcher")
        super().watch(mint, decimals)


def test_killed_trading_actors_never_duplicate_and_keep_watching(
    sim: SimulationThread, pg_db: Database
) -> None:
    records = FlakyRecords(pg_db)
    with running_trading(sim, pg_db, paper_execution(), records=records, feed_type=FlakyFeed) as (
        trading,
        market,
    ):
        first, second, third = market.mints(3)
        # 1. crash after the position and its entry order were stored: the redelivered
        # signal finds the position and adopts the order
        records.arm("open_position", after=True)
        signal = persisted(pg_db, scored_signal(first))
        trading.tell(POSITIONS, signal)
        trading.pass_time(3.0)
        trading.events.wait_for(PositionOpened, 1)
        # 2. crash while dispatching (before the send), then 3. after the fill was sent
        records.arm("transition_order", after=False)
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(second)))
        trading.pass_time(3.0)
        trading.settle()
        records.arm("settle_entry_fill", after=False)
        trading.pass_time(0.0)
        trading.events.wait_for(PositionOpened, 2)
        # 4. the exit watcher crashes when it takes the third position over
        FlakyFeed.crash_next.set()
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(third)))
        trading.tell(POSITIONS, signal)  # a late duplicate of the first signal
        trading.pass_time(3.0)
        opened = trading.events.wait_for(PositionOpened, 3)
        trading.settle()

        assert records.fired == ["open_position", "transition_order", "settle_entry_fill"]
        assert not FlakyFeed.crash_next.is_set()
        assert sorted(o.token_mint for o in opened) == sorted([first, second, third])
        assert len({o.position_id for o in opened}) == 3
        execution = trading.execution
        assert isinstance(execution, PaperExecution)
        assert len(execution.ledger.fills) == 3  # one transaction per order, no resend
        submitted = trading.events.of(OrderSubmitted)
        assert len({s.idempotency_key for s in submitted}) == 3
        for position in opened:
            orders = records.orders.for_position(position.position_id)
            assert [o.state.value for o in orders] == ["filled"]
            assert len(records.fills.for_order(orders[0].order_id)) == 1
            assert execution.token_balances()[position.token_mint] == position.token_amount
        # every open position is still watched, by the watcher and by the price feed
        trading.ask(EXIT_WATCHER, Inspect())
        watched = trading.ask(EXIT_WATCHER, Inspect())
        assert set(watched["states"]) == {o.position_id for o in opened}
        assert set(trading.feed.watched()) == {first, second, third}
        tree = trading.runtime.tree()
        assert tree.by_name(POSITIONS).restarts >= 3  # type: ignore[union-attr]
        assert tree.by_name(EXIT_WATCHER).restarts >= 1  # type: ignore[union-attr]


def test_an_entry_sent_in_the_message_that_decided_it_is_never_sent_twice_after_a_crash(
    sim: SimulationThread, pg_db: Database
) -> None:
    """No modelled venue delay (as in live mode): the entry's row is stored as submitted
    with its position and the attempt's journal, and the process dies before it is sent."""
    records = FlakyRecords(pg_db)

    def no_delay(jupiter: Any, runner: Any) -> PaperExecution:
        return PaperExecution(jupiter, runner, starting_lamports=10 * SOL, latency_s=0.0)

    with running_trading(sim, pg_db, no_delay, records=records) as (trading, market):
        [mint] = market.mints(1)
        records.arm("open_position", after=True)
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
        failed = trading.events.wait_for(OrderFailed, 1)  # the restart settles it: not sent
        assert "not landed" in failed[0].error
        trading.pass_time(30.0)  # the retry's backoff
        [opened] = trading.events.wait_for(PositionOpened, 1)
        trading.settle()

        assert records.fired == ["open_position"]
        execution = trading.execution
        assert isinstance(execution, PaperExecution)
        assert len(execution.ledger.fills) == 1
        [order] = records.orders.for_position(opened.position_id)
        assert (order.state.value, order.attempt) == ("filled", 1)
        assert [s.attempt for s in trading.events.of(OrderSubmitted)] == [1]


class ProcessEndedError(BaseException):
    """The process ends: a BaseException, so the worker's job reports nothing."""


class EndsAfterTheSend(PaperExecution):
    """The venue fills the attempt, then the process ends before the actor hears of it."""

    def execute(self, request: Any, on_signed: Any) -> Any:
        super().execute(request, on_signed)
        raise ProcessEndedError


def at_venue(
    venue: PaperLedger, kind: type[PaperExecution] = PaperExecution
) -> Callable[[Any, Any], PaperExecution]:
    """Paper execution with no modelled delay (as live mode) settling in `venue`: the
    chain, which outlives a process."""

    def build(jupiter: Any, runner: Any) -> PaperExecution:
        execution = kind(jupiter, runner, starting_lamports=0, latency_s=0.0)
        execution.ledger = venue
        return execution

    return build


class StaleSnapshots(InMemorySnapshotStore):
    """Snapshots whose newer saves are lost once `stale` is set (the write-behind store's
    buffer when the process ends)."""

    stale = False

    def save(self, snapshot: Any) -> None:
        if not self.stale:
            super().save(snapshot)


def entry_after_snapshots_went_stale(
    trading: Trading, market: Market, db: Database, snapshots: StaleSnapshots
) -> str:
    """Tell one traded signal once the newer snapshots are lost; the token it buys."""
    [mint] = market.mints(1)
    trading.settle()
    snapshots.stale = True
    trading.tell(POSITIONS, persisted(db, scored_signal(mint)))
    return mint


def test_an_entry_sent_before_the_process_ended_is_settled_from_its_journal_not_resent(
    sim: SimulationThread, pg_db: Database
) -> None:
    """No modelled venue delay: the entry is journaled in its own statement and filled, and
    the process ends before the actor hears of the fill and before its snapshot is written.
    The next process takes the entry back from the journal and settles it from the venue."""
    snapshots = StaleSnapshots()
    venue = PaperLedger(lamports=10 * SOL)
    ending = at_venue(venue, EndsAfterTheSend)

    with running_trading(sim, pg_db, ending, snapshots=snapshots) as (trading, market):
        mint = entry_after_snapshots_went_stale(trading, market, pg_db, snapshots)
        [sent] = trading.events.wait_for(OrderSubmitted, 1)
        trading.settle()
    assert list(venue.fills) == [f"{sent.idempotency_key}:{sent.attempt}"]

    snapshots.stale = False
    with running_trading(sim, pg_db, at_venue(venue), snapshots=snapshots) as (trading, _m):
        [opened] = trading.events.wait_for(PositionOpened, 1)
        trading.settle()
        assert opened.position_id == sent.position_id
        assert trading.events.of(OrderSubmitted) == []  # settled, not sent again
        assert len(venue.fills) == 1
        [order] = trading.records.orders.for_position(opened.position_id)
        assert (order.state.value, order.attempt) == ("filled", sent.attempt)
        assert trading.records.position(opened.position_id).state.value == "open"
        assert set(trading.ask(EXIT_WATCHER, Inspect())["states"]) == {opened.position_id}
        assert list(trading.feed.watched()) == [mint]


def test_an_entry_filled_and_settled_before_the_process_ended_is_taken_back_once(
    sim: SimulationThread, pg_db: Database
) -> None:
    """The entry filled and its fill was stored, but the snapshot holding the position was
    never written: the next process takes it back from the journal, finds the fill at the
    venue and settles it again without a second transaction or a second fill row."""
    snapshots = StaleSnapshots()
    venue = PaperLedger(lamports=10 * SOL)
    no_delay = at_venue(venue)

    with running_trading(sim, pg_db, no_delay, snapshots=snapshots) as (trading, market):
        entry_after_snapshots_went_stale(trading, market, pg_db, snapshots)
        [first] = trading.events.wait_for(PositionOpened, 1)
        trading.settle()

    snapshots.stale = False
    with running_trading(sim, pg_db, no_delay, snapshots=snapshots) as (trading, _m):
        [again] = trading.events.wait_for(PositionOpened, 1)
        trading.settle()
        assert trading.events.of(OrderSubmitted) == []
        assert len(venue.fills) == 1
        assert (again.position_id, again.token_amount) == (first.position_id, first.token_amount)
        [order] = trading.records.orders.for_position(first.position_id)
        assert order.state.value == "filled"
        assert len(trading.records.fills.for_order(order.order_id)) == 1
        [held] = [h for h in trading.positions()["holdings"].values() if h.is_open]
        assert (held.position_id, held.token_amount) == (first.position_id, first.token_amount)
        assert set(trading.ask(EXIT_WATCHER, Inspect())["states"]) == {first.position_id}
