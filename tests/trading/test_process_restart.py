"""A whole process restart: the trading actors come back from their snapshots and the
paper ledger from the positions table; every open position is watched again and no order
is sent twice."""

from __future__ import annotations

import threading

from actors.names import EXIT_WATCHER, POSITIONS
from actors.trading_protocol import Inspect
from tests.trading.kit import SOL, persisted, running_trading, scored_signal
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.execution.paper import PaperExecution
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.memory_snapshots import InMemorySnapshotStore
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.trade_records import PostgresTradeRecords
from walltrack.domain.messages.trading import OrderSubmitted, PositionOpened
from walltrack.execution_ports import Execution
from walltrack.sim.thread import SimulationThread

START_LAMPORTS = 10 * SOL


def test_open_positions_survive_a_process_restart(sim: SimulationThread, pg_db: Database) -> None:
    snapshots = InMemorySnapshotStore()  # stands for the PostgreSQL snapshot table
    records = PostgresTradeRecords(pg_db)

    def paper(jupiter: JupiterClient, runner: AsyncRunner) -> Execution:
        return PaperExecution(
            jupiter,
            runner,
            starting_lamports=START_LAMPORTS,
            restore=lambda: records.paper_balances(START_LAMPORTS),
        )

    with running_trading(sim, pg_db, paper, snapshots=snapshots) as (trading, market):
        mints = market.mints(2)
        for count, mint in enumerate(mints, start=1):
            trading.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
            trading.pass_time(3.0)
            trading.events.wait_for(PositionOpened, count)
        opened = trading.events.of(PositionOpened)
        trading.settle()
        balance = trading.execution.balance_lamports()

    with running_trading(sim, pg_db, paper, snapshots=snapshots) as (trading, _market):
        trading.settle()
        watched = trading.ask(EXIT_WATCHER, Inspect())
        assert set(watched["states"]) == {o.position_id for o in opened}
        assert set(trading.feed.watched()) == set(mints)
        state = trading.positions()
        assert {h.token_mint for h in state["holdings"].values() if h.is_open} == set(mints)
        assert state["working"] == {}
        assert trading.execution.balance_lamports() == balance
        assert trading.execution.token_balances() == {o.token_mint: o.token_amount for o in opened}
        trading.pass_time(60.0)
        assert trading.events.of(OrderSubmitted) == []  # nothing is sent again
        # the token is held: a new signal in it opens nothing
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mints[0])))
        trading.pass_time(3.0)
        assert trading.events.of(OrderSubmitted) == []


def test_the_first_entry_sizes_from_the_balance_read_at_start(
    sim: SimulationThread, pg_db: Database
) -> None:
    """The free SOL is read by the order worker when the actor starts, so the first entry
    never asks the venue on its own path (an RPC call in live mode)."""
    callers: list[str] = []

    class ReadWatched(PaperExecution):
        def balance_lamports(self) -> int:
            callers.append(threading.current_thread().name)
            return super().balance_lamports()

    def paper(jupiter: JupiterClient, runner: AsyncRunner) -> Execution:
        return ReadWatched(jupiter, runner, starting_lamports=START_LAMPORTS)

    with running_trading(sim, pg_db, paper) as (trading, market):
        trading.worker.submit(lambda: None).result(timeout=20)  # the start's reading ran
        trading.settle()
        assert trading.positions()["balance"] == START_LAMPORTS
        [mint] = market.mints(1)
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
        trading.pass_time(3.0)
        trading.events.wait_for(PositionOpened, 1)
        trading.settle()
        assert trading.positions()["balance"] < START_LAMPORTS  # the fill's reading
    assert any(name.startswith("orders") for name in callers), callers
    assert not any(name.startswith("PositionActor") for name in callers), callers
