"""Profiling: FIFO PnL in SOL by hand, every metric, copy-tradeability, watchlist, discovery."""

from __future__ import annotations

import dataclasses
import itertools
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from walltrack.domain.copytrade import copy_trade_pnl, copy_tradeability, price_path
from walltrack.domain.discovery import EXCLUDED_ACCOUNTS, find_candidates, judge_buyer
from walltrack.domain.fifo import pair_fifo
from walltrack.domain.params import default_params
from walltrack.domain.profiling import (
    TokenEntry,
    buyer_entries,
    consistency,
    max_swaps_in_window,
    profile_wallet,
    timing_percentile,
    watchlist_check,
)
from walltrack.domain.records.wallets import BuySize, Confidence, WalletProfile
from walltrack.domain.swap_types import Side, Swap

SOL = 1_000_000_000
T0 = datetime(2025, 4, 1, 14, tzinfo=UTC)
PARAMS = default_params()
PROFILING = PARAMS.profiling
_signatures = itertools.count()


def swap(
    side: Side,
    amount: int,
    lamports: int,
    at: datetime,
    *,
    mint: str = "MINT",
    fee: int = 0,
    wallet: str = "W",
) -> Swap:
    n = next(_signatures)
    return Swap(
        wallet=wallet,
        side=side,
        token_mint=mint,
        token_amount=amount,
        token_decimals=6,
        sol_lamports=lamports,
        network_fee_lamports=fee,
        venue="PUMP_AMM",
        signature=f"sig{n}",
        slot=1000 + n,
        timestamp=at,
        fee_payer=wallet,
    )


def _s(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_fifo_partial_sells_across_two_buys() -> None:
    swaps = [
        swap(Side.BUY, 1000, 1 * SOL, _s(0), fee=5000),
        swap(Side.BUY, 1000, 2 * SOL, _s(60), fee=5000),
        swap(Side.SELL, 1500, 3 * SOL, _s(120), fee=5000),  # all of lot 1, half of lot 2
        swap(Side.SELL, 500, SOL // 2, _s(180), fee=5000),  # the rest of lot 2
    ]
    first, second = pair_fifo(reversed(swaps)).closed  # input order does not matter
    # the 2.999995 SOL of the first sell split 1000 : 500 between the lots, to the lamport
    assert (first.cost_lamports, first.proceeds_lamports) == (1_000_005_000, 1_999_996_666)
    assert first.pnl_lamports == 999_991_666
    assert first.hold_seconds == 120
    assert second.sales[0].lamports == 999_998_334
    assert (second.cost_lamports, second.proceeds_lamports) == (2_000_005_000, 1_499_993_334)
    assert second.pnl_lamports == -500_011_666
    assert second.pnl_ratio == pytest.approx(-0.25, abs=1e-4)
    assert second.hold_seconds == 120


def test_fifo_dust_open_lots_and_unknown_sells() -> None:
    result = pair_fifo(
        [
            swap(Side.BUY, 1000, SOL, _s(0)),
            swap(Side.SELL, 990, 2 * SOL, _s(10)),  # 1 % left: closed, dust written off
            swap(Side.BUY, 1000, SOL, _s(20), mint="OTHER"),
            swap(Side.SELL, 400, SOL, _s(30), mint="OTHER"),
            swap(Side.SELL, 70, SOL, _s(40), mint="GIFT"),
        ]
    )
    assert [t.token_mint for t in result.closed] == ["MINT"]
    assert result.closed[0].proceeds_lamports == 2 * SOL
    assert [(lot.token_mint, lot.remaining) for lot in result.open_lots] == [("OTHER", 600)]
    assert result.unmatched_sells == (("GIFT", 70),)


def test_property_fifo_never_creates_or_loses_a_lamport() -> None:
    rng = random.Random(5)
    for _ in range(200):
        swaps, held, at = [], 0, T0
        for _ in range(rng.randint(1, 30)):
            at += timedelta(seconds=rng.randint(1, 600))
            if held and rng.random() < 0.5:
                amount = rng.randint(1, held)
                held -= amount
                swaps.append(swap(Side.SELL, amount, rng.randint(1, 5 * SOL), at))
            else:
                amount = rng.randint(1, 10**9)
                held += amount
                swaps.append(swap(Side.BUY, amount, rng.randint(1, 5 * SOL), at))
        if held:
            swaps.append(swap(Side.SELL, held, rng.randint(1, 5 * SOL), at + timedelta(seconds=1)))
        result = pair_fifo(swaps, dust_fraction=0.0)
        sold = sum(s.sol_lamports for s in swaps if s.side is Side.SELL)
        bought = sum(s.sol_lamports for s in swaps if s.side is Side.BUY)
        assert sum(t.proceeds_lamports for t in result.closed) == sold
        assert sum(t.cost_lamports for t in result.closed) == bought
        assert result.open_lots == ()
        assert result.unmatched_sells == ()


def test_timing_percentile_from_the_buyers_order() -> None:
    entries = buyer_entries([("c", _s(30)), ("a", _s(10)), ("b", _s(20)), ("a", _s(40))])
    assert entries["a"] == TokenEntry(rank=0, buyers=3)
    assert entries["c"] == TokenEntry(rank=2, buyers=3)
    assert timing_percentile([TokenEntry(rank=0, buyers=5), TokenEntry(rank=2, buyers=5)]) == 0.25
    assert timing_percentile([TokenEntry(rank=0, buyers=1)]) == 0.0
    assert timing_percentile([]) is None


def _round_trip(mint: str, start: float, cost: int, proceeds: int, hold: float = 600) -> list[Swap]:
    return [
        swap(Side.BUY, 10**6, cost, _s(start), mint=mint),
        swap(Side.SELL, 10**6, proceeds, _s(start + hold), mint=mint),
    ]


def _history() -> list[Swap]:
    """Six tokens: 4 wins (+50 %), 1 breakeven-ish (+5 %, not a win), 1 loss (-40 %)."""
    plan = [(2 * SOL, 3 * SOL)] * 4 + [(2 * SOL, 2_100_000_000), (2 * SOL, 1_200_000_000)]
    swaps: list[Swap] = []
    for i, (cost, proceeds) in enumerate(plan):
        swaps += _round_trip(f"T{i}", i * 3600, cost, proceeds)
    return swaps


def test_profile_metrics_by_hand() -> None:
    entries = {
        "T0": TokenEntry(rank=0, buyers=11),
        "T1": TokenEntry(rank=5, buyers=11),
        "ZZ": TokenEntry(rank=9, buyers=10),
    }
    profile = profile_wallet(
        _history(), token_entries=entries, params=PROFILING, weights=PARAMS.scoring.wallet
    )
    assert profile.trade_count == 6
    assert profile.win_rate == pytest.approx(4 / 6)
    assert profile.total_pnl_lamports == 4 * SOL + 100_000_000 - 800_000_000
    assert profile.avg_pnl_lamports == 550_000_000
    assert profile.timing_percentile == pytest.approx(0.25)  # ZZ was never traded
    assert profile.avg_hold_seconds == 600
    assert profile.consistency == 0.5  # chunks [5 trades: +4.1 SOL], [1 trade: -0.8 SOL] -> 1/2
    assert profile.preferred_hours == (14, 15, 16)
    assert (profile.avg_buy_lamports, profile.buy_size) == (2 * SOL, BuySize.MEDIUM)
    assert profile.confidence is Confidence.MEDIUM
    assert profile.consecutive_losses == 2  # +5 % is not a win (< 10 %), then -40 %
    assert not profile.is_flash_flipper
    assert not profile.is_bot
    # 0.35 x 4/6 + 0.25 x 0.33 (3.3 SOL of 10) + 0.25 x 0.75 + 0.15 x consistency
    expected = 0.35 * 4 / 6 + 0.25 * 0.33 + 0.25 * 0.75 + 0.15 * profile.consistency
    assert profile.score == pytest.approx(expected)


def test_consistency_chunks() -> None:
    trades = pair_fifo(_history()).closed
    assert consistency(trades, 5) == 0.5
    assert consistency(trades, 6) == 1.0
    assert consistency(trades, 1) == pytest.approx(5 / 6)
    assert consistency((), 5) is None


def test_few_trades_score_point_three_and_no_trades_is_insufficient() -> None:
    few = profile_wallet(
        _history()[:8], token_entries={}, params=PROFILING, weights=PARAMS.scoring.wallet
    )
    assert (few.trade_count, few.confidence, few.score) == (4, Confidence.LOW, 0.3)
    empty = profile_wallet([], token_entries={}, params=PROFILING, weights=PARAMS.scoring.wallet)
    assert (empty.trade_count, empty.win_rate, empty.confidence) == (
        0,
        0.0,
        Confidence.INSUFFICIENT,
    )
    assert (empty.buy_size, empty.avg_hold_seconds, empty.consistency) == (None, None, None)


@pytest.mark.parametrize(("flips", "flagged"), [(3, True), (2, False)])
def test_flash_flippers(flips: int, flagged: bool) -> None:
    swaps: list[Swap] = []
    for i in range(10):
        swaps += _round_trip(f"T{i}", i * 100, SOL, 2 * SOL, hold=4.9 if i < flips else 60)
    profile = profile_wallet(
        swaps, token_entries={}, params=PROFILING, weights=PARAMS.scoring.wallet
    )
    assert profile.is_flash_flipper is flagged


def test_bots_by_swaps_in_seven_days() -> None:
    params = dataclasses.replace(PROFILING, bot_trades_7d=10)
    swaps: list[Swap] = []
    for i in range(5):
        swaps += _round_trip(f"T{i}", i * 86_400, SOL, 2 * SOL)  # 10 swaps over 4 days
    assert profile_wallet(
        swaps, token_entries={}, params=params, weights=PARAMS.scoring.wallet
    ).is_bot
    spread: list[Swap] = []
    for i in range(5):
        spread += _round_trip(f"T{i}", i * 2 * 86_400, SOL, 2 * SOL)
    assert max_swaps_in_window(spread, timedelta(days=7)) == 8
    assert not profile_wallet(
        spread, token_entries={}, params=params, weights=PARAMS.scoring.wallet
    ).is_bot


def test_copy_tradeability_by_hand() -> None:
    swaps = _round_trip("T", 0, SOL, 3 * SOL, hold=60)
    path = price_path(
        {
            "T": [
                (_s(0), Decimal("0.000001")),
                (_s(2), Decimal("0.0000011")),
                (_s(60), Decimal("0.000003")),
                (_s(62), Decimal("0.000002")),
            ]
        }
    )
    (trade,) = pair_fifo(swaps).closed
    # enters at 1.1e-6 x 1.05, exits at 2e-6 x 0.95: 1 SOL x 1.9 / 1.155, minus 2 swaps' fees
    assert copy_trade_pnl(trade, path, PROFILING) == 1_645_021_645 - SOL - 20_000
    result = copy_tradeability([trade], path, PROFILING)
    assert (result.trades, result.skipped, result.wallet_pnl_lamports) == (1, 0, 2 * SOL)
    assert result.retention == pytest.approx(645_001_645 / (2 * SOL))
    unknown = copy_tradeability([trade], price_path({}), PROFILING)
    assert (unknown.trades, unknown.skipped, unknown.retention) == (0, 1, None)
    profile = profile_wallet(
        swaps, token_entries={}, params=PROFILING, weights=PARAMS.scoring.wallet, price_at=path
    )
    assert profile.copy_pnl_lamports == 645_001_645


def _watched(**changes: object) -> WalletProfile:
    base = WalletProfile(trade_count=12, win_rate=0.75, total_pnl_lamports=6 * SOL, decay_score=0.1)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_watchlist_criteria_at_their_edges() -> None:
    params = PARAMS.watchlist
    assert watchlist_check(
        _watched(win_rate=0.70, total_pnl_lamports=5 * SOL, trade_count=10, decay_score=0.3), params
    ).passed
    verdict = watchlist_check(
        _watched(
            win_rate=0.69,
            total_pnl_lamports=5 * SOL - 1,
            trade_count=9,
            decay_score=0.31,
            is_bot=True,
            is_flash_flipper=True,
        ),
        params,
    )
    assert verdict.failed == ("win_rate", "pnl", "trades", "decay", "bot", "flash_flipper")
    assert "9 trades < 10" in verdict.reasons


LAUNCH = T0


def test_discovery_rules_at_their_edges() -> None:
    rules = PARAMS.discovery

    def judge(first_after: float, sold: int, received: int) -> list[str]:
        swaps = [
            swap(Side.BUY, 1000, SOL, _s(first_after), wallet="X"),
            swap(Side.SELL, sold, received, _s(first_after + 600), wallet="X"),
        ]
        candidate = judge_buyer("X", swaps, LAUNCH, rules)
        assert candidate is not None
        return list(candidate.failed)

    assert judge(1800, 900, 1_500_000_000) == []  # 30 min, 90 %, +50 %: all exactly at the rule
    assert judge(1801, 900, 1_500_000_000) == ["late"]
    assert judge(60, 899, 1_500_000_000) == ["kept_tokens"]
    assert judge(60, 1000, 1_499_999_999) == ["low_profit"]


def test_find_candidates_excludes_programs_and_ranks_by_first_buy() -> None:
    program = next(iter(EXCLUDED_ACCOUNTS))
    swaps = [
        swap(Side.BUY, 1000, SOL, _s(5), wallet=program),
        swap(Side.BUY, 1000, SOL, _s(20), wallet="late_but_first_listed"),
        swap(Side.BUY, 1000, SOL, _s(10), wallet="smart"),
        swap(Side.SELL, 1000, 3 * SOL, _s(900), wallet="smart"),
        swap(Side.SELL, 1000, 3 * SOL, _s(30), wallet="pool"),
        swap(Side.BUY, 1000, SOL, _s(1), wallet="pool"),
    ]
    found = find_candidates(swaps, LAUNCH, PARAMS.discovery, excluded=frozenset({"pool"}))
    assert [c.wallet for c in found] == ["smart", "late_but_first_listed"]
    smart = found[0]
    assert smart.accepted
    assert (smart.sold_fraction, smart.profit_ratio, smart.seconds_after_launch) == (1.0, 2.0, 10.0)
    assert found[1].failed == ("kept_tokens", "low_profit")
