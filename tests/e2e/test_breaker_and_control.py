"""The circuit breaker and the operator's controls, through the whole process (issue 5,
item 17): after the configured loss streak new entries halt while exits still run; reset,
pause and resume reach the breaker from the HTTP API. The losses are mirror exits of the
source wallet's sales, with the strategies as the operator edited them in their table."""

from __future__ import annotations

import dataclasses

import httpx

from tests.e2e.kit import (
    EndToEnd,
    Process,
    Trader,
    enhanced,
)
from walltrack.domain.exits import PRESETS_BY_NAME
from walltrack.domain.messages.control import HaltCause, TradingHalted, TradingResumed
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import EntrySkipped, PositionClosed, PositionOpened
from walltrack.domain.records.signals import SignalDecision
from walltrack.domain.records.trading import ExitReason
from walltrack.sim.thread import SimulationThread

LOSS_STREAK = 2


def _deliver(process: Process, sim: SimulationThread, signature: str, wallet: str) -> None:
    reply = process.post([enhanced(sim, signature)])
    assert (reply.status_code, reply.json()["swaps"]) == (200, 1), reply.text
    process.flow(wallet)


def _buy(process: Process, sim: SimulationThread, smart: Trader, mint: str, opened: int) -> None:
    _deliver(process, sim, smart.buy(mint, 1), smart.address)
    process.trading.pass_time(3.1)
    process.events.wait_for(PositionOpened, opened)


def _mirror_sell(
    process: Process, sim: SimulationThread, smart: Trader, mint: str, closed: int
) -> PositionClosed:
    _deliver(process, sim, smart.sell_all(mint), smart.address)
    process.trading.pass_time(3.1)
    return process.events.wait_for(PositionClosed, closed)[-1]


def test_a_loss_streak_halts_entries_exits_run_and_the_api_controls_the_breaker(
    e2e: EndToEnd,
) -> None:
    sim = e2e.sim
    smart = Trader(sim, "e2e-breaker")
    fresh = Trader(sim, "e2e-breaker-fresh")  # the losses lower the first one's score
    mints = e2e.curve_mints(4)  # a token is free again once its position closed
    e2e.seed(
        [smart.address, fresh.address],
        mints,
        # the operator turns mirror exits on, and halts entries after two losses
        strategies=[dataclasses.replace(p, mirror_exit=True) for p in PRESETS_BY_NAME.values()],
        config={"risk.loss_streak_reduce": LOSS_STREAK, "risk.loss_streak_pause": LOSS_STREAK},
    )

    with e2e.process() as process:
        events = process.events
        for count, mint in enumerate(mints[:3], start=1):
            _buy(process, sim, smart, mint, count)
        # the source wallet sells: mirror exits, each a loss (fees and slippage)
        for count, mint in enumerate(mints[:LOSS_STREAK], start=1):
            closed = _mirror_sell(process, sim, smart, mint, count)
            assert closed.exit_reason is ExitReason.MIRROR
            assert closed.realized_pnl_lamports < 0
        (halted,) = events.wait_for(TradingHalted)
        assert halted.cause is HaltCause.CIRCUIT_BREAKER

        _deliver(process, sim, fresh.buy(mints[3], 1), fresh.address)
        process.trading.pass_time(3.1)
        assert events.of(SignalScored)[-1].result.decision is SignalDecision.TRADE
        (skipped,) = events.wait_for(EntrySkipped)
        assert skipped.token_mint == mints[3]
        assert len(events.of(PositionOpened)) == 3
        # exits keep running while entries are halted
        third = _mirror_sell(process, sim, smart, mints[2], 3)
        assert third.exit_reason is ExitReason.MIRROR

        assert process.control("reset").status_code == 202
        process.trading.settle()
        events.wait_for(TradingResumed)
        _buy(process, sim, fresh, mints[0], 4)

        assert process.control("pause").status_code == 202
        process.trading.settle()
        assert len(events.wait_for(TradingHalted, 2)) == 2
        _deliver(process, sim, fresh.buy(mints[1], 1), fresh.address)
        process.trading.pass_time(3.1)
        assert len(events.wait_for(EntrySkipped, 2)) == 2
        assert process.control("resume").status_code == 202
        process.trading.settle()
        events.wait_for(TradingResumed, 2)
        _buy(process, sim, fresh, mints[1], 5)
        assert process.restarts() == {}
        stranger = httpx.post(f"{process.base_url}/api/control/pause", timeout=10)
        assert stranger.status_code == 401
        process.trading.settle()
        assert len(events.of(TradingHalted)) == 2  # the stranger paused nothing
