"""One copied trade in paper mode: signal -> sized position -> take-profit -> trailing ->
moonbag stop -> PositionClosed with its PnL in the ledger, and feedback to the wallet."""

from __future__ import annotations

from decimal import Decimal

from actors.names import POSITIONS
from tests.trading.kit import (
    SMART,
    SOL,
    command_fields,
    paper_execution,
    persisted,
    running_trading,
    scored_signal,
)
from walltrack.adapters.execution.paper import PaperExecution
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.trade_records import PostgresTradeRecords
from walltrack.domain.messages.trading import (
    ClosePosition,
    OrderFilled,
    OrderSubmitted,
    PositionClosed,
    PositionOpened,
    PositionReduced,
)
from walltrack.domain.records.trading import ExitReason, PositionState
from walltrack.sim.thread import SimulationThread

START_LAMPORTS = 10 * SOL


def test_signal_to_closed_position_with_pnl_and_feedback(
    sim: SimulationThread, pg_db: Database
) -> None:
    def paper(jupiter, runner):  # type: ignore[no-untyped-def]
        return PaperExecution(jupiter, runner, starting_lamports=START_LAMPORTS)

    with running_trading(sim, pg_db, paper) as (trading, market):
        token = market.curve_token()
        market.trade(token.mint, buy_sol=12)  # others bought first: the price can fall below
        signal = persisted(pg_db, scored_signal(token.mint, score=0.7))  # balanced strategy
        trading.tell(POSITIONS, signal)
        trading.tell(POSITIONS, signal)  # a duplicate delivery opens nothing more
        trading.pass_time(2.9)
        assert trading.events.of(OrderSubmitted) == []  # the paper latency is 3 s
        trading.pass_time(0.2)
        (opened,) = trading.events.wait_for(PositionOpened)
        # 2 % of (10 SOL - 0.05 reserve), fees on top
        size = int((START_LAMPORTS - SOL // 20) * Decimal("0.02"))
        assert opened.entry_lamports == size + 5_000 + 50_000
        assert opened.strategy.name == "balanced"
        assert trading.execution.balance_lamports() == START_LAMPORTS - opened.entry_lamports
        trading.settle()
        assert trading.feed.watched() == {token.mint: 6}

        entry = opened.entry_price
        market.push_until(token.mint, lambda p: p >= entry * 2, up=True)
        trading.poll_prices()
        trading.pass_time(3.0)
        (take_profit,) = trading.events.wait_for(PositionReduced)
        assert take_profit.reason is ExitReason.TAKE_PROFIT
        ladder = opened.token_amount - opened.token_amount * 34 // 100
        assert take_profit.sold_amount == ladder * 33 // 100

        peak = market.price(token.mint)
        trading.poll_prices()
        market.push_until(token.mint, lambda p: p <= peak * Decimal("0.69") and p > entry, up=False)
        trading.poll_prices()
        trading.pass_time(3.0)
        reduced = trading.events.wait_for(PositionReduced, 2)
        assert reduced[1].reason is ExitReason.TRAILING_STOP
        assert reduced[1].state is PositionState.MOONBAG

        market.push_until(token.mint, lambda p: p <= entry * Decimal("0.69"), up=False)
        trading.poll_prices()
        trading.pass_time(3.0)
        (closed,) = trading.events.wait_for(PositionClosed)
        assert closed.exit_reason is ExitReason.MOONBAG_STOP
        fills = trading.events.of(OrderFilled)
        assert len(fills) == 4
        proceeds = sum(f.out_amount - f.fee_lamports for f in fills[1:])
        assert closed.proceeds_lamports == proceeds
        assert closed.realized_pnl_lamports == proceeds - opened.entry_lamports
        # the paper ledger holds exactly the PnL; nothing of the token is left
        assert trading.execution.balance_lamports() == START_LAMPORTS + closed.realized_pnl_lamports
        assert trading.execution.token_balances() == {}
        row = trading.records.position(opened.position_id)
        assert row is not None
        assert (row.state, row.realized_pnl_lamports) == (
            PositionState.CLOSED,
            closed.realized_pnl_lamports,
        )
        trading.settle()  # the position actor told the wallet before answering
        (feedback,) = trading.ask(f"wallet:{SMART}", "feedback")
        assert (feedback.pnl_lamports, feedback.cost_lamports) == (
            closed.realized_pnl_lamports,
            opened.entry_lamports,
        )
        assert feedback.wallet_factor is not None
        trading.tell(POSITIONS, signal)  # redelivered long after: one signal, one position
        trading.pass_time(3.0)
        assert len(trading.events.of(OrderSubmitted)) == 4
        assert trading.feed.watched() == {}


def test_the_paper_ledger_is_rebuilt_from_the_positions_after_a_process_restart(
    sim: SimulationThread, pg_db: Database
) -> None:
    with running_trading(sim, pg_db, paper_execution(START_LAMPORTS)) as (trading, market):
        first, second = market.mints(2)
        for count, mint in enumerate((first, second), start=1):
            trading.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
            trading.pass_time(3.0)
            trading.events.wait_for(PositionOpened, count)
        opened = trading.events.of(PositionOpened)
        trading.control(
            ClosePosition(
                **command_fields(),
                position_id=opened[0].position_id,
                reason=ExitReason.MANUAL,
                requested_by="operator",
            )
        )
        trading.pass_time(3.0)
        trading.events.wait_for(PositionClosed)
        trading.settle()
        balance = trading.execution.balance_lamports()
        tokens = dict(trading.execution.token_balances())
    assert tokens == {second: opened[1].token_amount}
    assert PostgresTradeRecords(pg_db).paper_balances(START_LAMPORTS) == (balance, tokens)
