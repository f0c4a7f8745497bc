"""Live mode against the simulator's fake Jupiter and RPC: the entry and the exit are real
solders-signed transactions, sent and confirmed; the signature is stored before sending;
start-up reconciliation halts entries when the wallet holds what no position explains."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from solders.keypair import Keypair

from actors.names import POSITIONS
from tests.trading.kit import (
    SOL,
    START,
    command_fields,
    persisted,
    running_trading,
    scored_signal,
)
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.execution.live import LiveExecution
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.resilience import RateLimit
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.domain.messages.control import HaltCause, TradingHalted
from walltrack.domain.messages.trading import (
    ClosePosition,
    EntrySkipped,
    OrderFilled,
    PositionClosed,
    PositionOpened,
)
from walltrack.domain.records.trading import ExitReason
from walltrack.execution_ports import WSOL_MINT, Execution, SwapRequest
from walltrack.sim.thread import SimulationThread

KEYPAIR = Keypair.from_seed(bytes(range(1, 33)))
OWNER = str(KEYPAIR.pubkey())


def _live(sim: SimulationThread) -> Callable[[JupiterClient, AsyncRunner], Execution]:
    def build(jupiter: JupiterClient, runner: AsyncRunner) -> Execution:
        rpc = SolanaRpcClient(
            list(sim.endpoints.rpc_urls), rate_limit=RateLimit(limit=1_000_000, window_s=1.0)
        )
        return LiveExecution(
            jupiter, rpc, KEYPAIR, runner, poll_interval_s=0.05, confirmation_timeout_s=1.0
        )

    return build


def _chain_tokens(sim: SimulationThread, mint: str) -> int:
    return int(sim.call(lambda s: s.world.market.ledger.tokens(OWNER, mint)))


def test_a_live_entry_and_exit_are_signed_sent_and_confirmed(
    sim: SimulationThread, pg_db: Database
) -> None:
    sim.call(lambda s: s.fund(OWNER, 5 * SOL))
    with running_trading(sim, pg_db, _live(sim), reconcile_on_start=True) as (trading, market):
        (mint,) = market.mints(1)
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
        trading.pass_time(0.0)  # live orders go out at once
        (opened,) = trading.events.wait_for(PositionOpened)
        (entry,) = trading.events.wait_for(OrderFilled)
        assert opened.token_amount == _chain_tokens(sim, mint) > 0
        assert trading.execution.balance_lamports() < 5 * SOL - opened.entry_lamports // 2
        row = trading.records.order(entry.idempotency_key)
        assert row is not None
        assert row.tx_signature == entry.tx_signature  # stored before it was sent
        assert not entry.tx_signature.startswith("paper")
        # after a restart the order is settled from its stored signature, never resent
        request = SwapRequest(
            attempt_key=f"{entry.idempotency_key}:0",
            input_mint=WSOL_MINT,
            output_mint=mint,
            amount_in=entry.in_amount,
            slippage_bps=100,
            priority_fee_lamports=50_000,
        )
        recovered = trading.execution.recover(request, entry.tx_signature)
        assert recovered is not None
        assert (recovered.tx_signature, recovered.out_amount) == (
            entry.tx_signature,
            opened.token_amount,
        )
        assert trading.execution.recover(request, None) is None
        assert trading.execution.recover(request, "1" * 88) is None  # never landed

        trading.control(
            ClosePosition(
                **command_fields(),
                position_id=opened.position_id,
                reason=ExitReason.MANUAL,
                requested_by="operator",
            )
        )
        trading.pass_time(0.0)
        (closed,) = trading.events.wait_for(PositionClosed)
        assert closed.exit_reason is ExitReason.MANUAL
        assert _chain_tokens(sim, mint) == 0
        exit_fill = trading.events.wait_for(OrderFilled, 2)[-1]
        assert closed.proceeds_lamports == exit_fill.out_amount - exit_fill.fee_lamports > 0
        assert trading.events.of(TradingHalted) == []  # reconciliation matched at start


def test_reconciliation_mismatch_keeps_entries_halted_with_the_reason(
    sim: SimulationThread, pg_db: Database
) -> None:
    sim.call(lambda s: s.fund(OWNER, 5 * SOL))
    stray = sim.call(lambda s: [t.mint for t in s.world.market.token_list][-1])
    sim.call(lambda s: s.world.market.buy(s.world.now, OWNER, stray, SOL // 2, priority_fee=0))
    assert _chain_tokens(sim, stray) > 0
    with running_trading(sim, pg_db, _live(sim), reconcile_on_start=True) as (trading, market):
        halted = trading.events.wait_for(TradingHalted)[0]
        assert halted.cause is HaltCause.RECONCILIATION_MISMATCH
        assert stray in halted.detail
        trading.settle()
        (mint,) = market.mints(1)
        trading.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
        (skipped,) = trading.events.wait_for(EntrySkipped)
        assert "reconciliation" in skipped.reason
        alerts = trading.records.alerts.recent()
        assert [a.code for a in alerts] == ["reconciliation_mismatch"]
        events = trading.records.breaker_events.since(START - timedelta(days=1))
        assert [e.rule for e in events] == ["reconciliation"]
