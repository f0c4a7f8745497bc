"""Time rules fire on the pacer's tick without a new price; runtime parameters pushed as
`RuntimeConfigChanged` change the size of the next position at once."""

from __future__ import annotations

import dataclasses
import uuid
from decimal import Decimal

from actors.names import EXIT_WATCHER, POSITIONS
from actors.trading_protocol import Tick
from tests.trading.kit import (
    SMART,
    SOL,
    START,
    command_fields,
    paper_execution,
    persisted,
    running_trading,
    scored_signal,
)
from walltrack.adapters.postgres.database import Database
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.trading import OpenPosition, PositionClosed, PositionOpened
from walltrack.domain.params import default_params
from walltrack.domain.records.trading import ExitReason
from walltrack.sim.thread import SimulationThread


def test_time_limit_on_a_tick_and_hot_sizing(sim: SimulationThread, pg_db: Database) -> None:
    with running_trading(sim, pg_db, paper_execution(10 * SOL)) as (trading, market):
        first, second = market.mints(2)
        trading.control(
            OpenPosition(
                **command_fields(),
                position_id=uuid.uuid4(),
                signal_id=None,
                wallet=SMART,
                token_mint=first,
                score=0.5,
                strategy_override="quick_flip",  # 24 h max hold
            )
        )
        trading.pass_time(3.0)
        (opened,) = trading.events.wait_for(PositionOpened)
        assert opened.strategy.name == "quick_flip"
        trading.poll_prices()
        trading.clock.advance(24 * 3600)
        trading.tell(EXIT_WATCHER, Tick())
        trading.pass_time(3.0)
        (closed,) = trading.events.wait_for(PositionClosed)
        assert closed.exit_reason is ExitReason.TIME_LIMIT

        defaults = default_params()
        doubled = dataclasses.replace(
            defaults, sizing=dataclasses.replace(defaults.sizing, base_fraction=0.04)
        )
        trading.runtime.services.bus.publish(
            RuntimeConfigChanged(
                correlation_id=uuid.uuid4(),
                ts_event=START,
                ts_init=START,
                params=doubled,
                sections=frozenset({"sizing"}),
            )
        )
        balance = trading.execution.balance_lamports()
        trading.settle()
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(second)))
        trading.pass_time(3.0)
        second_opened = trading.events.wait_for(PositionOpened, 2)[-1]
        size = int((balance - SOL // 20) * Decimal("0.04"))
        assert second_opened.entry_lamports == size + 5_000 + 50_000
