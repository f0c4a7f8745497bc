"""Pipeline messages: conventions, and one copied trade walked through the pure domain."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypedDict
from uuid import UUID, uuid4

import pytest

from walltrack.domain.clustering import FirstBuy, detect_clusters, signal_context
from walltrack.domain.exits import (
    ExitState,
    apply_fill,
    assign_strategy,
    on_price,
    open_exit_state,
)
from walltrack.domain.feedback import FactorAccuracy, apply_trade_feedback
from walltrack.domain.messages.base import Message
from walltrack.domain.messages.clusters import ClusterAmplified, ClusterContextUpdated
from walltrack.domain.messages.risk import (
    CircuitBreakerReset,
    CircuitBreakerTripped,
    PositionSizeAdjusted,
    RiskAlertRaised,
)
from walltrack.domain.messages.signals import SignalScored, SourceWalletSold, WalletSignal
from walltrack.domain.messages.trading import (
    ClosePosition,
    ExitTriggered,
    OpenPosition,
    OrderFailed,
    PositionClosed,
    PositionOpened,
    PositionReduced,
    PriceUpdated,
)
from walltrack.domain.messages.wallets import TradeClosedFeedback, WalletDecayChanged
from walltrack.domain.orders import OrderPurpose, exit_order
from walltrack.domain.params import default_params
from walltrack.domain.records.signals import SignalDecision
from walltrack.domain.records.trading import ExitReason, PositionState
from walltrack.domain.records.wallets import DecayStatus
from walltrack.domain.risk import FindingKind, evaluate, new_ledger, record_trade
from walltrack.domain.risk.base import Finding
from walltrack.domain.scoring import (
    ContextInputs,
    SignalInputs,
    TokenFactorInputs,
    WalletFactorInputs,
    score_signal,
)
from walltrack.domain.sizing import Portfolio, SizingRequest, size_position
from walltrack.domain.swap_types import Side, Swap

SOL = 1_000_000_000
NOW = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)
PARAMS = default_params()
CID = uuid4()


class Envelope(TypedDict):
    correlation_id: UUID
    ts_event: datetime
    ts_init: datetime


def _env(at: datetime = NOW) -> Envelope:
    return {"correlation_id": CID, "ts_event": at, "ts_init": at + timedelta(milliseconds=3)}


BUY = Swap(
    wallet="SMART",
    side=Side.BUY,
    token_mint="MEME",
    token_amount=35_000_000_000,
    token_decimals=6,
    sol_lamports=2 * SOL,
    network_fee_lamports=5000,
    venue="PUMP_AMM",
    signature="buy-sig",
    slot=1,
    timestamp=NOW - timedelta(seconds=2),
    fee_payer="SMART",
)
WALLET = WalletFactorInputs(
    win_rate=0.8,
    total_pnl_lamports=8 * SOL,
    timing_percentile=0.1,
    consistency=0.8,
    trade_count=30,
)
TOKEN = TokenFactorInputs(
    liquidity_usd=Decimal(80_000),
    market_cap_usd=Decimal(400_000),
    holder_count=900,
    top10_share=0.25,
    volume_24h_usd=Decimal(150_000),
    launched_at=NOW - timedelta(hours=3),
    mint_authority_revoked=True,
    freeze_authority_revoked=True,
)


def _samples() -> list[Message]:
    finding = Finding(
        rule="drawdown", kind=FindingKind.WARN, reason="x", metrics=(("drawdown", 0.16),)
    )
    return [
        WalletSignal(**_env(), wallet="SMART", token_mint="MEME", swap=BUY, wallet_inputs=WALLET),
        SourceWalletSold(
            **_env(), wallet="SMART", token_mint="MEME", swap=BUY, sold_fraction=Decimal("0.5")
        ),
        PriceUpdated(**_env(), token_mint="MEME", price=Decimal("0.0000001"), source="sim"),
        ClosePosition(**_env(), position_id=uuid4(), reason=ExitReason.MANUAL, requested_by="cli"),
        CircuitBreakerTripped(**_env(), finding=finding),
        RiskAlertRaised(**_env(), finding=finding),
        CircuitBreakerReset(**_env(), requested_by="op", cleared_rules=("drawdown",)),
        PositionSizeAdjusted(**_env(), multiplier=0.5, reason="3 losses"),
        ClusterContextUpdated(**_env(), clusters=()),
        ClusterAmplified(
            **_env(),
            cluster_id="c",
            token_mint="MEME",
            members_buying=frozenset("AB"),
            window_s=600,
        ),
        WalletDecayChanged(
            **_env(),
            wallet="SMART",
            old_status=DecayStatus.OK,
            new_status=DecayStatus.FLAGGED,
            reason="r",
            score_multiplier=0.8,
        ),
    ]


@pytest.mark.parametrize("message", _samples(), ids=lambda m: type(m).__name__)
def test_messages_are_frozen_slotted_and_keyword_only(message: Message) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.correlation_id = uuid4()  # type: ignore[misc]
    assert not hasattr(message, "__dict__")
    fields = {f.name: getattr(message, f.name) for f in dataclasses.fields(message)}
    with pytest.raises(TypeError):
        type(message)(*fields.values())  # type: ignore[call-arg]
    for name in ("ts_event", "ts_init"):
        naive = {**fields, name: NOW.replace(tzinfo=None)}
        with pytest.raises(ValueError, match=f"{name} must be timezone-aware"):
            type(message)(**naive)
    assert all(not isinstance(v, list | dict | set) for v in fields.values())


def test_one_copied_trade_through_the_pure_domain() -> None:
    # cluster context: SMART leads a triangle, a fellow member bought the token 2 minutes ago
    clusters = detect_clusters(
        funding=[],
        synced=[],
        cooccurring=[("SMART", "B"), ("B", "C"), ("SMART", "C")],
        win_rates={"SMART": 0.8, "B": 0.7, "C": 0.7},
        params=PARAMS.clusters,
    )
    buys = [FirstBuy(wallet="B", token_mint="MEME", at=NOW - timedelta(minutes=2))]
    cluster = signal_context(
        "SMART", "MEME", clusters=clusters, buys=buys, now=NOW, params=PARAMS.clusters
    )
    signal = WalletSignal(
        **_env(BUY.timestamp), wallet="SMART", token_mint="MEME", swap=BUY, wallet_inputs=WALLET
    )
    inputs = SignalInputs(
        wallet=signal.wallet_inputs,
        cluster=cluster,
        token=TOKEN,
        context=ContextInputs(recent_trade_count=25, volatility=0.2, other_tracked_wallets=1),
    )
    result = score_signal(inputs, PARAMS, NOW)
    scored = SignalScored(
        **_env(BUY.timestamp),
        signal_id=uuid4(),
        wallet=signal.wallet,
        token_mint=signal.token_mint,
        swap_signature=BUY.signature,
        amount_lamports=BUY.sol_lamports,
        cluster_id=cluster.cluster_id,
        result=result,
    )
    assert scored.decision is SignalDecision.TRADE
    record = scored.to_record()
    assert (record.score, record.cluster_factor, record.decision) == (
        result.score,
        result.cluster.value,
        SignalDecision.TRADE,
    )
    assert record.correlation_id == CID
    json.dumps(record.factors)

    sizing = size_position(
        SizingRequest(
            token_mint="MEME",
            cluster_id=cluster.cluster_id,
            conviction_multiplier=result.size_multiplier,
        ),
        Portfolio(balance_lamports=20 * SOL),
        PARAMS.sizing,
    )
    assert sizing.size_lamports is not None
    command = OpenPosition(
        **_env(),
        position_id=uuid4(),
        signal_id=scored.signal_id,
        wallet="SMART",
        token_mint="MEME",
        score=scored.score,
        conviction_multiplier=result.size_multiplier,
        cluster_id=cluster.cluster_id,
    )
    strategy = assign_strategy(command.score, PARAMS.exits)
    entry_price = Decimal("0.0000001")
    amount = 3_900_000_000_000
    opened = PositionOpened(
        **_env(),
        position_id=command.position_id,
        signal_id=command.signal_id,
        wallet="SMART",
        token_mint="MEME",
        token_decimals=6,
        entry_price=entry_price,
        entry_lamports=sizing.size_lamports,
        token_amount=amount,
        strategy=strategy,
        score=command.score,
        cluster_id=command.cluster_id,
    )

    state: ExitState = open_exit_state(
        position_id=opened.position_id,
        strategy=opened.strategy,
        entry_price=opened.entry_price,
        amount=opened.token_amount,
        opened_at=NOW,
    )
    proceeds, at, reductions = 0, NOW, []
    for multiple in ("1.3", "2.1", "2.6", "3.2", "4", "2.5", "0.6"):
        at += timedelta(minutes=10)
        price = PriceUpdated(
            **_env(at), token_mint="MEME", price=entry_price * Decimal(multiple), source="sim"
        )
        state, decisions = on_price(state, price.price, at)
        for decision in decisions:
            triggered = ExitTriggered(**_env(at), token_mint="MEME", decision=decision)
            order = exit_order(triggered.decision, PARAMS.orders, at)
            assert order.amount_in == decision.sell_amount
            sold_for = int(
                decision.sell_amount * price.price * SOL / 10**6
            )  # raw -> tokens -> lamports
            proceeds += sold_for
            state = apply_fill(state, decision.sell_amount)
            reductions.append(
                PositionReduced(
                    **_env(at),
                    position_id=opened.position_id,
                    token_mint="MEME",
                    reason=decision.reason,
                    sold_amount=decision.sell_amount,
                    proceeds_lamports=sold_for,
                    remaining_amount=state.remaining_amount,
                    state=state.state,
                )
            )
    assert [r.reason for r in reductions][:1] == [ExitReason.TAKE_PROFIT]
    assert sum(r.sold_amount for r in reductions) + state.remaining_amount == amount
    assert state.state in (PositionState.MOONBAG, PositionState.CLOSED)

    closed = PositionClosed(
        **_env(at),
        position_id=opened.position_id,
        signal_id=opened.signal_id,
        wallet="SMART",
        token_mint="MEME",
        cluster_id=opened.cluster_id,
        entry_lamports=opened.entry_lamports,
        proceeds_lamports=proceeds,
        exit_reason=reductions[-1].reason,
        opened_at=NOW,
        closed_at=at,
    )
    assert closed.realized_pnl_lamports == proceeds - opened.entry_lamports
    assert closed.realized_pnl_lamports > 0
    feedback = TradeClosedFeedback(
        **_env(at),
        wallet="SMART",
        position_id=closed.position_id,
        signal_id=closed.signal_id,
        cost_lamports=closed.entry_lamports,
        pnl_lamports=closed.realized_pnl_lamports,
        wallet_factor=result.wallet.value,
        cluster_factor=result.cluster.value,
        token_factor=result.token.value,
        context_factor=result.context.value,
    )
    update = apply_trade_feedback(0.6, feedback.pnl_ratio, PARAMS.feedback)
    assert update.won
    assert update.new_score > 0.6
    accuracy = FactorAccuracy().record(
        wallet=result.wallet.value,
        cluster=result.cluster.value,
        token=result.token.value,
        context=result.context.value,
        ratio=feedback.pnl_ratio,
        won=True,
    )
    assert accuracy.trades == 1
    ledger = record_trade(
        new_ledger(20 * SOL, NOW),
        closed.realized_pnl_lamports,
        at,
        keep=50,
        equity_lamports=20 * SOL + closed.realized_pnl_lamports,
    )
    assert evaluate(ledger, PARAMS, at).entries_allowed


def test_order_failed_says_whether_it_retries() -> None:
    failed = OrderFailed(
        **_env(),
        order_id=UUID(int=1),
        idempotency_key="k",
        position_id=UUID(int=2),
        purpose=OrderPurpose.STOP_LOSS,
        attempt=1,
        error="x",
        retry_at=None,
    )
    assert not failed.will_retry
    later = dataclasses.replace(failed, retry_at=NOW + timedelta(seconds=5))
    assert later.will_retry
