"""A failing exit retries on the 5 / 15 / 45 s schedule with escalating slippage and fee;
after the last retry an emergency exit goes out at the cap and a loud alert is raised."""

from __future__ import annotations

from actors.names import POSITIONS
from tests.trading.kit import (
    SOL,
    command_fields,
    persisted,
    running_trading,
    scored_signal,
)
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.execution.paper import PaperExecution
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.positions import PositionRepository
from walltrack.domain.messages.trading import (
    ClosePosition,
    EntrySkipped,
    OrderFailed,
    OrderSubmitted,
    PositionClosed,
    PositionOpened,
)
from walltrack.domain.orders import OrderPurpose
from walltrack.domain.records import AlertSeverity
from walltrack.domain.records.trading import ExitReason, PositionState
from walltrack.errors import RejectedByVenueError, UpstreamTimeoutError
from walltrack.execution_ports import WSOL_MINT, Execution, OnSigned, SwapFill, SwapRequest
from walltrack.sim.thread import SimulationThread


class SellsTimeOut(PaperExecution):
    """Paper execution whose next `failures` sells time out (a congested venue)."""

    failures = 4

    def execute(self, request: SwapRequest, on_signed: OnSigned) -> SwapFill:
        if request.output_mint == WSOL_MINT and SellsTimeOut.failures > 0:
            SellsTimeOut.failures -= 1
            raise UpstreamTimeoutError("jupiter", "swap timed out")
        return super().execute(request, on_signed)


def _build(jupiter: JupiterClient, runner: AsyncRunner) -> Execution:
    return SellsTimeOut(jupiter, runner, starting_lamports=10 * SOL)


def test_exit_retries_then_emergency_exit_and_alert(sim: SimulationThread, pg_db: Database) -> None:
    SellsTimeOut.failures = 4
    with running_trading(sim, pg_db, _build) as (trading, market):
        (mint,) = market.mints(1)
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
        trading.pass_time(3.0)
        (opened,) = trading.events.wait_for(PositionOpened)
        trading.control(
            ClosePosition(
                **command_fields(),
                position_id=opened.position_id,
                reason=ExitReason.MANUAL,
                requested_by="operator",
            )
        )
        trading.pass_time(3.0)  # the paper latency, then the first attempt
        for attempt, backoff in enumerate((5.0, 15.0, 45.0), start=1):
            trading.events.wait_for(OrderFailed, attempt)
            trading.pass_time(backoff - 0.5)
            assert len(trading.events.of(OrderSubmitted)) == 1 + attempt  # not yet
            trading.pass_time(0.5)
        failures = trading.events.wait_for(OrderFailed, 4)
        assert [f.will_retry for f in failures] == [True, True, True, False]
        assert failures[-1].emergency_follows
        trading.pass_time(3.0)
        (closed,) = trading.events.wait_for(PositionClosed)
        assert closed.exit_reason is ExitReason.EMERGENCY
        sells = trading.events.of(OrderSubmitted)[1:]
        assert [s.purpose for s in sells] == [OrderPurpose.MANUAL] * 4 + [OrderPurpose.EMERGENCY]
        assert [s.slippage_bps for s in sells] == [100, 200, 300, 400, 500]
        assert [s.priority_fee_lamports for s in sells] == [
            50_000,
            100_000,
            200_000,
            400_000,
            1_000_000,
        ]
        (alert,) = trading.records.alerts.recent()
        assert (alert.severity, alert.code) == (AlertSeverity.CRITICAL, "manual_order_failed")
        assert "emergency exit" in alert.message
        assert trading.execution.token_balances() == {}


class BuysRefused(PaperExecution):
    """Paper execution whose buys the venue refuses (the token is not tradable)."""

    def execute(self, request: SwapRequest, on_signed: OnSigned) -> SwapFill:
        if request.input_mint == WSOL_MINT:
            raise RejectedByVenueError("jupiter", "TOKEN_NOT_TRADABLE", "no route")
        return super().execute(request, on_signed)


def test_an_entry_that_never_fills_closes_its_position_as_void(
    sim: SimulationThread, pg_db: Database
) -> None:
    def build(jupiter: JupiterClient, runner: AsyncRunner) -> Execution:
        return BuysRefused(jupiter, runner, starting_lamports=10 * SOL)

    with running_trading(sim, pg_db, build) as (trading, market):
        (mint,) = market.mints(1)
        signal = persisted(pg_db, scored_signal(mint))
        trading.tell(POSITIONS, signal)
        trading.pass_time(3.0)
        for attempt, backoff in enumerate((5.0, 15.0, 45.0, 0.0), start=1):
            # The attempt's answer comes back from a worker thread: time moves only once
            # it is in, so each retry is scheduled from the time it failed.
            trading.events.wait_for(OrderFailed, attempt)
            trading.pass_time(backoff)
        (skipped,) = trading.events.wait_for(EntrySkipped)
        assert skipped.signal_id == signal.signal_id
        failures = trading.events.of(OrderFailed)
        assert failures
        assert not failures[-1].will_retry
        assert trading.events.of(PositionOpened) == []
        (row,) = [p for p in PositionRepository(pg_db).closed() if p.token_mint == mint]
        assert (row.state, row.exit_reason) == (PositionState.CLOSED, ExitReason.ENTRY_FAILED)
        assert trading.runtime.tree().by_name(POSITIONS).restarts == 0  # type: ignore[union-attr]
        assert trading.execution.balance_lamports() == 10 * SOL  # nothing was spent
