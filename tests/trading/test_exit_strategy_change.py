"""The operator moves an open position to another exit strategy, or edits a strategy: the
position row in PostgreSQL follows, the exit watcher judges the next price by the new
strategy, refusals are events (never crashes), and new positions use an edited strategy."""

from __future__ import annotations

import uuid
from decimal import Decimal

from actors.names import POSITIONS
from tests.trading.kit import (
    SMART,
    SOL,
    command_fields,
    persisted,
    running_trading,
    scored_signal,
)
from walltrack.adapters.execution.paper import PaperExecution
from walltrack.adapters.postgres.database import Database
from walltrack.domain.exits import PRESETS_BY_NAME
from walltrack.domain.messages.trading import (
    ChangeExitStrategy,
    ExitStrategyChanged,
    ExitStrategyChangeRefused,
    ExitStrategyUpdated,
    OpenPosition,
    PositionClosed,
    PositionOpened,
    PositionReduced,
    UpdateExitStrategy,
)
from walltrack.domain.params.exit_presets import ExitStrategy, TakeProfit
from walltrack.domain.records.trading import ExitReason
from walltrack.sim.thread import SimulationThread


def _paper(jupiter, runner):  # type: ignore[no-untyped-def]
    return PaperExecution(jupiter, runner, starting_lamports=10 * SOL)


def _change(position_id: uuid.UUID, name: str) -> ChangeExitStrategy:
    return ChangeExitStrategy(
        **command_fields(), position_id=position_id, strategy_name=name, requested_by="test"
    )


def test_a_changed_strategy_is_stored_and_judges_the_next_price(
    sim: SimulationThread, pg_db: Database
) -> None:
    with running_trading(sim, pg_db, _paper) as (trading, market):
        token = market.curve_token()
        market.trade(token.mint, buy_sol=12)
        signal = persisted(pg_db, scored_signal(token.mint, score=0.95))  # diamond hands
        trading.tell(POSITIONS, signal)
        trading.pass_time(3.1)
        (opened,) = trading.events.wait_for(PositionOpened)
        assert opened.strategy.name == "diamond_hands"  # first take-profit at 5x

        entry = opened.entry_price
        market.push_until(token.mint, lambda p: p >= entry * Decimal("1.6"), up=True)
        assert market.price(token.mint) < entry * 5
        trading.poll_prices()
        trading.pass_time(3.0)
        assert trading.events.of(PositionReduced) == []  # 1.6x: diamond hands holds
        assert trading.events.of(PositionClosed) == []

        trading.control(_change(opened.position_id, "quick_flip"))  # takes profit at 1.5x
        (changed,) = trading.events.wait_for(ExitStrategyChanged)
        assert (changed.previous, changed.strategy.name) == ("diamond_hands", "quick_flip")
        stored = trading.records.position(opened.position_id)
        assert stored is not None
        assert stored.exit_strategy == "quick_flip"

        trading.poll_prices()  # the next price update, judged by quick flip
        trading.pass_time(3.0)
        (closed,) = trading.events.wait_for(PositionClosed)
        assert closed.exit_reason is ExitReason.TAKE_PROFIT

        trading.control(_change(opened.position_id, "balanced"))
        trading.control(_change(uuid.uuid4(), "balanced"))
        refused = trading.events.wait_for(ExitStrategyChangeRefused, 2)
        assert refused[0].reason in {"the position is closed", "no such open position"}
        assert refused[1].reason == "no such open position"
        assert trading.positions()["halted"] is False  # answered: the actor did not crash


def test_an_unknown_strategy_is_refused_and_an_edited_one_opens_new_positions(
    sim: SimulationThread, pg_db: Database
) -> None:
    edited = ExitStrategy(
        name="quick_flip",
        take_profits=(TakeProfit(multiplier=Decimal(4), sell_fraction=Decimal(1)),),
        stop_loss=Decimal("0.2"),
    )
    with running_trading(sim, pg_db, _paper) as (trading, market):
        first, second = market.mints(2)
        trading.control(
            OpenPosition(
                **command_fields(),
                position_id=uuid.uuid4(),
                signal_id=None,
                wallet=SMART,
                token_mint=first,
                score=0.5,
            )
        )
        trading.pass_time(3.1)
        (opened,) = trading.events.wait_for(PositionOpened)

        trading.control(_change(opened.position_id, "no_such_strategy"))
        (refused,) = trading.events.wait_for(ExitStrategyChangeRefused)
        assert "unknown exit strategy 'no_such_strategy'" in refused.reason
        stored = trading.records.position(opened.position_id)
        assert stored is not None
        assert stored.exit_strategy == opened.strategy.name  # nothing changed

        trading.control(UpdateExitStrategy(**command_fields(), strategy=edited, requested_by="t"))
        (updated,) = trading.events.wait_for(ExitStrategyUpdated)
        assert updated.strategy == edited
        assert trading.positions()["strategies"]["quick_flip"] == edited
        assert PRESETS_BY_NAME["quick_flip"] != edited
        trading.control(
            OpenPosition(
                **command_fields(),
                position_id=uuid.uuid4(),
                signal_id=None,
                wallet=SMART,
                token_mint=second,
                score=0.5,
                strategy_override="quick_flip",
            )
        )
        trading.pass_time(3.1)
        newer = trading.events.wait_for(PositionOpened, 2)[1]
        assert newer.strategy == edited  # the new version, without a restart
