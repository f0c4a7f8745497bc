"""Position sizing: reference numbers, drawdown tiers at their edges, every limit, properties."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from walltrack.domain.params import default_params
from walltrack.domain.params.trading import SizingParams
from walltrack.domain.sizing import (
    EquityPeaks,
    Exposure,
    Portfolio,
    SizingRequest,
    SizingSkip,
    drawdown,
    drawdown_cut,
    size_position,
)

SOL = 1_000_000_000
PARAMS = default_params().sizing
REQUEST = SizingRequest(token_mint="MINT")


def _size(
    portfolio: Portfolio, request: SizingRequest = REQUEST, params: SizingParams = PARAMS
) -> int | None:
    return size_position(request, portfolio, params).size_lamports


def test_base_is_two_percent_of_the_balance_above_the_reserve() -> None:
    decision = size_position(REQUEST, Portfolio(balance_lamports=10 * SOL), PARAMS)
    assert decision.size_lamports == 199_000_000  # 2 % of 9.95 SOL
    assert decision.binding_limit is None
    assert decision.equity_lamports == 10 * SOL


def test_conviction_and_risk_multipliers() -> None:
    portfolio = Portfolio(balance_lamports=10 * SOL)
    high = SizingRequest(token_mint="MINT", conviction_multiplier=1.5)
    halved = SizingRequest(token_mint="MINT", risk_multiplier=0.5)
    assert _size(portfolio, high) == 298_500_000
    assert _size(portfolio, halved) == 99_500_000


def test_clamped_to_min_and_max() -> None:
    assert _size(Portfolio(balance_lamports=100 * SOL)) == 1 * SOL  # 1.999 SOL -> 1 SOL
    assert _size(Portfolio(balance_lamports=SOL // 2)) == 10_000_000  # 0.009 SOL -> 0.01 SOL


@pytest.mark.parametrize(
    ("equity_sol", "cut", "size"),
    [
        (Decimal("9.01"), 0.0, 179_200_000),  # 9.9 % down: no cut
        (Decimal(9), 0.25, 134_250_000),  # exactly 10 %: -25 %
        (Decimal("8.5"), 0.50, 84_500_000),  # exactly 15 %: -50 %
        (Decimal(8), 1.0, None),  # exactly 20 %: blocked
    ],
)
def test_drawdown_tiers_apply_from_exactly_their_level(
    equity_sol: Decimal, cut: float, size: int | None
) -> None:
    portfolio = Portfolio(balance_lamports=int(equity_sol * SOL), peak_equity_lamports=10 * SOL)
    decision = size_position(REQUEST, portfolio, PARAMS)
    assert decision.drawdown_cut == cut
    assert decision.size_lamports == size
    if size is None:
        assert decision.skip_reason is SizingSkip.DRAWDOWN_BLOCKED


def test_drawdown_is_exact() -> None:
    assert drawdown(9 * SOL, 10 * SOL) == Decimal("0.1")
    assert drawdown(11 * SOL, 10 * SOL) == 0
    assert drawdown(5, 0) == 0
    assert drawdown_cut(Decimal("0.1"), PARAMS) == 0.25


def _held(n: int, lamports: int = SOL // 10, cluster: str | None = None) -> tuple[Exposure, ...]:
    return tuple(
        Exposure(token_mint=f"T{i}", cluster_id=cluster, lamports=lamports) for i in range(n)
    )


def test_no_second_position_in_a_held_token() -> None:
    portfolio = Portfolio(
        balance_lamports=10 * SOL,
        open_positions=(Exposure(token_mint="MINT", cluster_id=None, lamports=SOL),),
    )
    assert size_position(REQUEST, portfolio, PARAMS).skip_reason is SizingSkip.ALREADY_HOLDING_TOKEN


def test_max_concurrent_positions() -> None:
    assert size_position(
        REQUEST, Portfolio(balance_lamports=10 * SOL, open_positions=_held(4)), PARAMS
    ).size_lamports
    five = Portfolio(balance_lamports=10 * SOL, open_positions=_held(5))
    assert size_position(REQUEST, five, PARAMS).skip_reason is SizingSkip.MAX_POSITIONS


def test_cluster_position_count_and_share() -> None:
    clustered = SizingRequest(token_mint="MINT", cluster_id="c1")
    three = Portfolio(balance_lamports=10 * SOL, open_positions=_held(3, cluster="c1"))
    assert size_position(clustered, three, PARAMS).skip_reason is SizingSkip.CLUSTER_POSITIONS
    assert size_position(REQUEST, three, PARAMS).size_lamports is not None  # other tokens fine
    # equity 2 SOL, 0.99 SOL already in the cluster: room 0.01 SOL
    heavy = Portfolio(
        balance_lamports=SOL + 10_000_000,
        open_positions=(Exposure(token_mint="A", cluster_id="c1", lamports=990_000_000),),
    )
    wide = dataclasses.replace(PARAMS, max_allocated_fraction=1.0, base_fraction=0.5)
    decision = size_position(clustered, heavy, wide)
    assert decision.size_lamports == 10_000_000
    assert decision.binding_limit is SizingSkip.CLUSTER_CONCENTRATION
    fuller = dataclasses.replace(
        heavy, open_positions=(Exposure(token_mint="A", cluster_id="c1", lamports=995_000_000),)
    )
    assert size_position(clustered, fuller, wide).skip_reason is SizingSkip.CLUSTER_CONCENTRATION


def test_max_allocation_binds() -> None:
    # equity 10 SOL, 4.9 SOL already allocated: 0.1 SOL of room under 50 %
    portfolio = Portfolio(
        balance_lamports=51 * SOL // 10, open_positions=_held(2, lamports=245 * SOL // 100)
    )
    decision = size_position(REQUEST, portfolio, PARAMS)
    assert decision.size_lamports == 100_000_000
    assert decision.binding_limit is SizingSkip.MAX_ALLOCATION


def test_token_concentration_binds() -> None:
    params = dataclasses.replace(PARAMS, base_fraction=0.5, max_token_fraction=0.1)
    decision = size_position(REQUEST, Portfolio(balance_lamports=5 * SOL), params)
    assert decision.wanted_lamports == 1 * SOL
    assert decision.size_lamports == 500_000_000
    assert decision.binding_limit is SizingSkip.TOKEN_CONCENTRATION


@pytest.mark.parametrize("balance", [0, 50_000_000, 59_999_999])
def test_zero_or_reserve_only_balance_skips(balance: int) -> None:
    decision = size_position(REQUEST, Portfolio(balance_lamports=balance), PARAMS)
    assert decision.skip_reason is SizingSkip.INSUFFICIENT_BALANCE


def test_balance_just_above_the_reserve_buys_the_minimum() -> None:
    assert _size(Portfolio(balance_lamports=60_000_000)) == 10_000_000


def test_equity_peaks_keep_thirty_days() -> None:
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)
    peaks = EquityPeaks()
    peaks = peaks.record(20 * SOL, start, 30)
    peaks = peaks.record(12 * SOL, start + timedelta(days=10), 30)
    peaks = peaks.record(13 * SOL, start + timedelta(days=10, hours=1), 30)
    assert peaks.peak(start + timedelta(days=29), 30) == 20 * SOL
    assert peaks.peak(start + timedelta(days=30), 30) == 13 * SOL
    later = peaks.record(11 * SOL, start + timedelta(days=45), 30)
    assert later.days == ((later.days[0][0], 11 * SOL),)


def test_property_sizes_never_break_a_limit() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        clusters = [None, "c1", "c2"]
        held = tuple(
            Exposure(
                token_mint=f"T{i}",
                cluster_id=rng.choice(clusters),
                lamports=rng.randint(0, 3 * SOL),
            )
            for i in range(rng.randint(0, 6))
        )
        portfolio = Portfolio(
            balance_lamports=rng.randint(0, 50 * SOL),
            open_positions=held,
            peak_equity_lamports=rng.randint(0, 80 * SOL),
        )
        request = SizingRequest(
            token_mint=rng.choice(["T0", "T1", "NEW"]),
            cluster_id=rng.choice(clusters),
            conviction_multiplier=rng.choice([1.0, 1.5]),
            risk_multiplier=rng.choice([1.0, 0.5]),
        )
        decision = size_position(request, portfolio, PARAMS)
        if decision.size_lamports is None:
            assert decision.skip_reason is not None
            continue
        size, equity = decision.size_lamports, portfolio.equity_lamports
        assert 10_000_000 <= size <= SOL
        assert size <= portfolio.balance_lamports - 50_000_000
        assert portfolio.allocated_lamports + size <= equity * 0.5
        assert size <= equity * 0.25
        assert len(held) < 5
        assert all(p.token_mint != request.token_mint for p in held)
        if request.cluster_id is not None:
            same = [p for p in held if p.cluster_id == request.cluster_id]
            assert len(same) < 3
            assert sum(p.lamports for p in same) + size <= equity * 0.5
        assert decision.drawdown < Decimal("0.2")
