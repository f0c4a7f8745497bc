"""Signal scoring: the reference's formula worked by hand, gates, thresholds, properties."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from walltrack.domain.params import RuntimeParams, default_params
from walltrack.domain.params.scoring import FactorWeights, ScoringParams
from walltrack.domain.records.signals import SignalDecision
from walltrack.domain.scoring import (
    ClusterSignalContext,
    ContextInputs,
    Conviction,
    SignalInputs,
    SkipReason,
    TokenFactorInputs,
    WalletFactorInputs,
    score_signal,
)
from walltrack.domain.scoring.cluster_factor import amplification_level
from walltrack.domain.scoring.context_factor import context_factor, price_volatility
from walltrack.domain.scoring.token_factor import market_cap_score, token_factor
from walltrack.domain.scoring.wallet_factor import wallet_factor

SOL = 1_000_000_000
NOW = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)  # 15:00 UTC: an active hour
D = Decimal


def _wallet(**changes: object) -> WalletFactorInputs:
    base = WalletFactorInputs(
        win_rate=0.8,
        total_pnl_lamports=5 * SOL,  # half of pnl_full_sol (10)
        timing_percentile=0.2,
        consistency=0.6,
        trade_count=25,
        is_leader=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _token(**changes: object) -> TokenFactorInputs:
    base = TokenFactorInputs(
        liquidity_usd=D(25_500),  # (25.5K - 1K) / 49K = 0.5
        market_cap_usd=D(255_000),  # 0.2 + 0.8 * 0.5 = 0.6
        holder_count=525,  # (525 - 50) / 950 = 0.5
        top10_share=0.5,  # 1 - (0.5 - 0.2) / 0.6 = 0.5
        volume_24h_usd=D(50_500),  # (50.5K - 1K) / 99K = 0.5
        launched_at=NOW - timedelta(hours=2),
        mint_authority_revoked=True,
        freeze_authority_revoked=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


CLUSTER = ClusterSignalContext(cluster_id="c1", multiplier=2.08, members_buying=3, cluster_size=5)
CONTEXT = ContextInputs(recent_trade_count=15, volatility=0.35, other_tracked_wallets=3)


def _inputs(**changes: object) -> SignalInputs:
    base = SignalInputs(wallet=_wallet(), cluster=CLUSTER, token=_token(), context=CONTEXT)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_fully_specified_signal_scores_as_computed_by_hand() -> None:
    result = score_signal(_inputs(), default_params(), NOW)
    # wallet: 0.35*0.8 + 0.25*0.5 + 0.25*0.8 + 0.15*0.6 = 0.695, +0.15 leader
    assert result.wallet.base == pytest.approx(0.695)
    assert result.wallet.value == pytest.approx(0.845)
    # cluster: m = (2.08 - 1) / 2 = 0.54, a = 2/3 (3 members, full at 4)
    assert result.cluster.value == pytest.approx(0.5 + 0.5 * (0.5 * 0.54 + 0.5 * 2 / 3))
    # token: 0.30*0.5 + 0.25*0.6 + 0.20*0.5 + 0.25*0.5
    assert result.token.value == pytest.approx(0.525)
    # context: 0.2*1 + 0.3*0.5 + 0.2*0.5 + 0.3*1
    assert result.context.value == pytest.approx(0.75)
    expected = 0.30 * 0.845 + 0.25 * (0.5 + 0.5 * 0.603333333) + 0.25 * 0.525 + 0.20 * 0.75
    assert result.score == pytest.approx(expected, abs=1e-8)
    assert result.decision is SignalDecision.TRADE
    assert (result.skip_reason, result.conviction, result.size_multiplier) == (
        None,
        Conviction.NORMAL,
        1.0,
    )


def test_cluster_context_lifts_the_same_swap_over_the_threshold() -> None:
    params = default_params()
    solo = score_signal(_inputs(cluster=ClusterSignalContext()), params, NOW)
    one_member = score_signal(
        _inputs(cluster=dataclasses.replace(CLUSTER, members_buying=1)), params, NOW
    )
    two_members = score_signal(
        _inputs(cluster=dataclasses.replace(CLUSTER, members_buying=2)), params, NOW
    )
    assert solo.cluster.value == 0.5
    assert solo.score == pytest.approx(0.2535 + 0.125 + 0.13125 + 0.15)
    assert solo.skip_reason is SkipReason.BELOW_THRESHOLD
    assert not one_member.cluster.amplified
    assert two_members.cluster.amplified
    assert solo.score < one_member.score < two_members.score
    assert two_members.traded


def test_amplification_levels() -> None:
    assert [amplification_level(n, 2, 4) for n in range(6)] == pytest.approx(
        [0, 0, 1 / 3, 2 / 3, 1, 1]
    )


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ({"liquidity_usd": D(999)}, SkipReason.LIQUIDITY_TOO_LOW),
        ({"liquidity_usd": None}, SkipReason.LIQUIDITY_UNKNOWN),
        ({"freeze_authority_revoked": False}, SkipReason.FREEZE_AUTHORITY_ACTIVE),
    ],
)
def test_hard_token_gates_skip_whatever_the_score(
    token: dict[str, object], reason: SkipReason
) -> None:
    strong = _wallet(score=1.0)
    result = score_signal(_inputs(wallet=strong, token=_token(**token)), default_params(), NOW)
    assert result.decision is SignalDecision.SKIP
    assert result.skip_reason is reason
    assert result.size_multiplier == 0.0


def test_liquidity_exactly_at_the_gate_passes() -> None:
    factor = token_factor(
        _token(liquidity_usd=D(1000)), default_params().scoring.token, default_params().tokens, NOW
    )
    assert factor.block is None
    assert factor.liquidity == 0.0


def test_token_penalties_and_missing_figures() -> None:
    params = default_params()
    clean = token_factor(_token(), params.scoring.token, params.tokens, NOW)
    young = token_factor(
        _token(launched_at=NOW - timedelta(minutes=4)), params.scoring.token, params.tokens, NOW
    )
    exactly_five = token_factor(
        _token(launched_at=NOW - timedelta(minutes=5)), params.scoring.token, params.tokens, NOW
    )
    minted = token_factor(
        _token(mint_authority_revoked=False), params.scoring.token, params.tokens, NOW
    )
    unknown = token_factor(
        TokenFactorInputs(liquidity_usd=D(50_000)), params.scoring.token, params.tokens, NOW
    )
    assert young.value == pytest.approx(clean.value - 0.2)
    assert exactly_five.age_penalty == 0.0
    assert minted.value == pytest.approx(clean.value - 0.2)
    assert minted.block is None  # only a freeze authority is a hard gate
    assert unknown.authority_penalty == 0.0
    assert unknown.value == pytest.approx(0.30)
    assert set(unknown.missing) == {
        "market_cap_usd",
        "holder_count",
        "top10_share",
        "volume_24h_usd",
        "launched_at",
    }


def test_market_cap_ramp_ends() -> None:
    params = default_params().scoring.token
    assert market_cap_score(D(9_999), params) == 0.0
    assert market_cap_score(D(10_000), params) == pytest.approx(0.2)
    assert market_cap_score(D(500_000), params) == 1.0
    assert market_cap_score(D(10**9), params) == 1.0


def test_wallet_factor_rules() -> None:
    params = default_params()
    weights, profiling = params.scoring.wallet, params.profiling
    few = wallet_factor(_wallet(trade_count=4, is_leader=False), weights, profiling)
    assert (few.value, few.from_metrics) == (0.3, False)
    maintained = wallet_factor(_wallet(score=0.62, is_leader=False), weights, profiling)
    assert maintained.value == pytest.approx(0.62)
    decayed = wallet_factor(
        _wallet(score=0.1, is_leader=False, is_decayed=True), weights, profiling
    )
    assert decayed.value == 0.0
    capped = wallet_factor(_wallet(score=0.95), weights, profiling)
    assert capped.value == 1.0
    losing = wallet_factor(
        _wallet(total_pnl_lamports=-3 * SOL, is_leader=False), weights, profiling
    )
    assert losing.pnl_norm == 0.0
    unknown_timing = wallet_factor(_wallet(timing_percentile=None), weights, profiling)
    assert unknown_timing.timing == 0.5


@pytest.mark.parametrize(("hour", "score"), [(12, 0.5), (13, 1.0), (22, 1.0), (23, 0.5), (3, 0.5)])
def test_time_of_day(hour: int, score: float) -> None:
    at = NOW.replace(hour=hour, minute=59)
    assert context_factor(CONTEXT, default_params().scoring.context, at).time_of_day == score


def test_context_without_prices_and_volatility_helper() -> None:
    params = default_params().scoring.context
    factor = context_factor(
        ContextInputs(recent_trade_count=0, volatility=None, other_tracked_wallets=0), params, NOW
    )
    assert factor.missing == ("volatility",)
    assert factor.value == pytest.approx(0.2)  # only the time of day
    assert price_volatility([D("0.001"), D("0.0015"), D("0.0012")]) == pytest.approx(0.5)
    assert price_volatility([]) is None
    assert price_volatility([D(0)]) is None


def _at_threshold_params() -> RuntimeParams:
    params = default_params()
    return dataclasses.replace(
        params, scoring=dataclasses.replace(params.scoring, solo_cluster_score=0.7)
    )


def test_a_score_exactly_at_the_threshold_trades() -> None:
    # every factor exactly 0.7: wallet (maintained score), solo cluster (param), token
    # 0.3*1 + 0.25*1 + 0.2*0.5 + 0.25*0.2, context 0.2*0.5 + 0.3*1 + 0.2*0.5 + 0.3*2/3
    inputs = SignalInputs(
        wallet=_wallet(score=0.7, is_leader=False),
        cluster=ClusterSignalContext(),
        token=_token(
            liquidity_usd=D(50_000),
            market_cap_usd=D(500_000),
            holder_count=1000,
            top10_share=0.8,
            volume_24h_usd=D(20_800),
        ),
        context=ContextInputs(recent_trade_count=30, volatility=0.35, other_tracked_wallets=2),
    )
    quiet = NOW.replace(hour=3) + timedelta(days=1)
    params = _at_threshold_params()
    at = score_signal(inputs, params, quiet)
    assert at.score == 0.7
    assert at.traded
    less_active = dataclasses.replace(
        inputs, context=dataclasses.replace(inputs.context, recent_trade_count=29)
    )
    below = score_signal(less_active, params, quiet)
    assert below.skip_reason is SkipReason.BELOW_THRESHOLD


def test_high_conviction_sizes_up_and_follows_the_parameter() -> None:
    best_token = _token(
        liquidity_usd=D(50_000),
        market_cap_usd=D(500_000),
        holder_count=1000,
        top10_share=0.2,
        volume_24h_usd=D(100_000),
    )
    strong = _inputs(wallet=_wallet(score=1.0), token=best_token)
    result = score_signal(strong, default_params(), NOW)
    assert result.score >= 0.85
    assert (result.conviction, result.size_multiplier) == (Conviction.HIGH, 1.5)
    params = default_params()
    stricter = dataclasses.replace(
        params, scoring=dataclasses.replace(params.scoring, threshold=0.95, high_conviction=0.97)
    )
    assert score_signal(strong, stricter, NOW).skip_reason is SkipReason.BELOW_THRESHOLD


def test_weights_come_from_the_parameters() -> None:
    params = default_params()
    wallet_only = dataclasses.replace(
        params,
        scoring=ScoringParams(
            weights=FactorWeights(wallet=1.0, cluster=0.0, token=0.0, context=0.0)
        ),
    )
    result = score_signal(_inputs(), wallet_only, NOW)
    assert result.score == pytest.approx(result.wallet.value)


def test_factor_breakdown_is_json() -> None:
    result = score_signal(_inputs(token=_token(liquidity_usd=None)), default_params(), NOW)
    document = json.loads(json.dumps(result.factors_json()))
    assert document["token"]["block"] == "liquidity_unknown"
    assert document["cluster"]["members_buying"] == 3
    assert set(document) >= {"wallet", "cluster", "token", "context"}


def _random_inputs(rng: random.Random) -> SignalInputs:
    def maybe[T](value: T) -> T | None:
        return None if rng.random() < 0.15 else value

    in_cluster = rng.random() < 0.5
    return SignalInputs(
        wallet=WalletFactorInputs(
            win_rate=rng.uniform(-0.2, 1.2),
            total_pnl_lamports=rng.randint(-100 * SOL, 100 * SOL),
            timing_percentile=maybe(rng.uniform(0, 1)),
            consistency=maybe(rng.uniform(0, 1)),
            trade_count=rng.randint(0, 100),
            is_leader=rng.random() < 0.3,
            is_decayed=rng.random() < 0.3,
            score=maybe(rng.uniform(0, 1)) if rng.random() < 0.5 else None,
        ),
        cluster=ClusterSignalContext(
            cluster_id="c" if in_cluster else None,
            multiplier=rng.uniform(0.5, 4),
            members_buying=rng.randint(0, 8),
        ),
        token=TokenFactorInputs(
            liquidity_usd=maybe(D(rng.randint(0, 200_000))),
            market_cap_usd=maybe(D(rng.randint(0, 2_000_000))),
            holder_count=maybe(rng.randint(0, 5000)),
            top10_share=maybe(rng.uniform(0, 1)),
            volume_24h_usd=maybe(D(rng.randint(0, 500_000))),
            launched_at=maybe(NOW - timedelta(seconds=rng.randint(0, 86_400))),
            mint_authority_revoked=maybe(rng.random() < 0.7),
            freeze_authority_revoked=maybe(rng.random() < 0.7),
        ),
        context=ContextInputs(
            recent_trade_count=rng.randint(0, 100),
            volatility=maybe(rng.uniform(0, 3)),
            other_tracked_wallets=rng.randint(0, 10),
        ),
    )


def test_property_scores_and_factors_stay_in_range() -> None:
    rng = random.Random(20250304)
    params = default_params()
    for _ in range(2000):
        at = NOW + timedelta(minutes=rng.randint(0, 24 * 60))
        result = score_signal(_random_inputs(rng), params, at)
        for value in (
            result.score,
            result.wallet.value,
            result.cluster.value,
            result.token.value,
            result.context.value,
        ):
            assert 0.0 <= value <= 1.0
        blocked = result.token.block is not None
        assert result.traded == (not blocked and result.score >= params.scoring.threshold)
        assert (result.conviction is Conviction.HIGH) == (
            result.traded and result.score >= params.scoring.high_conviction
        )
        assert (result.skip_reason is None) == result.traded
