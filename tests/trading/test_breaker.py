"""The circuit breaker: a loss streak halts entries while exits keep running; pause,
resume and reset reach it through the root's routes; every decision is recorded."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from actors.names import POSITIONS
from tests.trading.kit import (
    START,
    Trading,
    command_fields,
    paper_execution,
    persisted,
    running_trading,
    scored_signal,
)
from walltrack.adapters.postgres.database import Database
from walltrack.domain.messages.control import (
    HaltCause,
    PauseTrading,
    ResetCircuitBreaker,
    ResumeTrading,
    TradingHalted,
    TradingResumed,
)
from walltrack.domain.messages.trading import (
    ClosePosition,
    EntrySkipped,
    PositionClosed,
    PositionOpened,
)
from walltrack.domain.params import default_params
from walltrack.domain.records import BreakerAction
from walltrack.domain.records.trading import ExitReason
from walltrack.sim.thread import SimulationThread


def _open(trading: Trading, db: Database, mint: str, count: int) -> PositionOpened:
    trading.tell(POSITIONS, persisted(db, scored_signal(mint)))
    trading.pass_time(3.0)
    return trading.events.wait_for(PositionOpened, count)[-1]


def _close(trading: Trading, opened: PositionOpened, count: int) -> PositionClosed:
    trading.control(
        ClosePosition(
            **command_fields(),
            position_id=opened.position_id,
            reason=ExitReason.MANUAL,
            requested_by="operator",
        )
    )
    trading.pass_time(3.0)
    return trading.events.wait_for(PositionClosed, count)[-1]


def test_loss_streak_halts_entries_exits_still_run_and_the_operator_controls_it(
    sim: SimulationThread, pg_db: Database
) -> None:
    defaults = default_params()
    params = dataclasses.replace(
        defaults,
        risk=dataclasses.replace(defaults.risk, loss_streak_reduce=2, loss_streak_pause=2),
    )
    with running_trading(sim, pg_db, paper_execution(), params=params) as (trading, market):
        mints = market.mints(3)
        assert len(mints) == 3  # a token is free again once its position closed
        first, second, third = (_open(trading, pg_db, mints[i], i + 1) for i in range(3))
        assert _close(trading, first, 1).realized_pnl_lamports < 0  # fees and slippage
        assert trading.events.of(TradingHalted) == []
        assert _close(trading, second, 2).realized_pnl_lamports < 0
        (halted,) = trading.events.wait_for(TradingHalted)
        assert halted.cause is HaltCause.CIRCUIT_BREAKER
        assert "consecutive_losses" in halted.detail

        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mints[0])))
        (skipped,) = trading.events.wait_for(EntrySkipped)
        assert skipped.token_mint == mints[0]
        assert "halted" in skipped.reason
        # exits are never halted
        assert _close(trading, third, 3).position_id == third.position_id
        assert len(trading.events.of(PositionOpened)) == 3

        resumed = len(trading.events.of(TradingResumed))  # announced at start
        trading.control(ResetCircuitBreaker(**command_fields(), requested_by="operator"))
        trading.events.wait_for(TradingResumed, resumed + 1)
        trading.control(PauseTrading(**command_fields(), requested_by="operator", reason="x"))
        halts = trading.events.of(TradingHalted)
        assert len(halts) == 2
        paused = halts[-1]
        assert paused.cause is HaltCause.OPERATOR_PAUSE
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mints[1])))
        assert trading.events.wait_for(EntrySkipped, 2)[-1].token_mint == mints[1]
        trading.control(ResumeTrading(**command_fields(), requested_by="operator"))
        trading.events.wait_for(TradingResumed, resumed + 2)
        assert _open(trading, pg_db, mints[0], 4).token_mint == mints[0]

        events = trading.records.breaker_events.since(START - timedelta(days=1))
        actions = [(e.rule, e.action) for e in reversed(events)]
        assert ("consecutive_losses", BreakerAction.PAUSE) in actions
        assert actions[-3:] == [
            ("operator", BreakerAction.RESET),
            ("operator", BreakerAction.PAUSE),
            ("operator", BreakerAction.RESUME),
        ]
