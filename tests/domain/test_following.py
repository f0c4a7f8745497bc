"""Follower (copy-trader) detection on hand-built buyer lists with known answers."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from walltrack.domain.following import follower_verdict, lead_wallets
from walltrack.domain.params import default_params
from walltrack.domain.profiling import followed_wallet, profile_wallet, watchlist_check
from walltrack.domain.records.wallets import WalletProfile
from walltrack.domain.swap_types import Side, Swap

SOL = 1_000_000_000
T0 = datetime(2025, 4, 1, 14, tzinfo=UTC)
PARAMS = default_params()
PROFILING = PARAMS.profiling  # window 60 s, share >= 0.75, >= 5 tokens


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _tokens(buys: dict[str, list[tuple[str, float]]]) -> dict[str, list[tuple[str, datetime]]]:
    """mint -> (wallet, seconds after T0) as buyer lists."""
    return {mint: [(w, _at(s)) for w, s in pairs] for mint, pairs in buys.items()}


def _copied_world() -> dict[str, list[tuple[str, datetime]]]:
    """LEAD buys 10 tokens; COPY buys 8 of them 5-40 s later; a sniper is in every other
    launch at 2 s, a different retail wallet in each one 20 s after LEAD."""
    buys: dict[str, list[tuple[str, float]]] = {}
    for i in range(10):
        start = i * 3600.0
        pairs = [("LEAD", start + 30), (f"retail{i}", start + 50)]
        if i % 2 == 0:
            pairs.append(("SNIPER", start + 2))
        if i < 8:
            pairs.append(("COPY", start + 30 + 5 + i * 5))
        buys[f"T{i}"] = pairs
    return _tokens(buys)


def test_a_copier_is_flagged_with_its_lead_share_and_lag() -> None:
    verdict = follower_verdict("COPY", _copied_world(), PROFILING)
    assert verdict.is_follower
    assert verdict.tokens_judged == 8
    assert verdict.lead is not None
    assert (verdict.lead.address, verdict.lead.tokens, verdict.lead.share) == ("LEAD", 8, 1.0)
    assert verdict.lead.median_delay_s == pytest.approx(22.5)  # lags 5, 10 ... 40 s


def test_the_lead_with_the_same_tokens_is_not_a_follower() -> None:
    verdict = follower_verdict("LEAD", _copied_world(), PROFILING)
    assert verdict.tokens_judged == 10
    # its copier is always behind it; the sniper is ahead in half of its tokens only
    assert verdict.lead is not None
    assert (verdict.lead.address, verdict.lead.share) == ("SNIPER", 0.5)
    assert not verdict.is_follower


def test_a_wallet_that_buys_after_different_wallets_is_not_a_follower() -> None:
    buys: dict[str, list[tuple[str, float]]] = {}
    for i in range(12):
        start = i * 3600.0
        # a different early buyer each time, 10 s ahead; a sniper in every other launch
        pairs = [(f"early{i}", start + 10), ("SMART", start + 20)]
        if i % 2 == 0:
            pairs.append(("SNIPER", start + 1))
        buys[f"T{i}"] = pairs
    verdict = follower_verdict("SMART", _tokens(buys), PROFILING)
    assert verdict.lead is not None
    assert (verdict.lead.address, verdict.lead.share) == ("SNIPER", 0.5)
    assert not verdict.is_follower


def test_the_thresholds_at_their_edges() -> None:
    # 4 of 5 tokens bought 60 s after LEAD (the window's edge), the 5th 61 s after
    buys = {
        f"T{i}": [("LEAD", i * 3600.0), ("F", i * 3600.0 + (60 if i < 4 else 61))] for i in range(5)
    }
    world = _tokens(buys)
    assert follower_verdict("F", world, PROFILING).is_follower  # 4/5 = 0.8 >= 0.75
    stricter = dataclasses.replace(PROFILING, follow_min_share=0.81)
    assert not follower_verdict("F", world, stricter).is_follower
    narrower = dataclasses.replace(PROFILING, follow_window_s=59.0)
    assert lead_wallets("F", world, narrower.follow_window_s).wallets == ()
    fewer = _tokens({k: v for k, v in buys.items() if k != "T4"})  # 4 tokens only
    assert not follower_verdict("F", fewer, PROFILING).is_follower


def test_same_second_buys_and_unknown_tokens_do_not_count() -> None:
    world = _tokens({f"T{i}": [("A", i * 100.0), ("B", i * 100.0)] for i in range(6)})
    world["ELSEWHERE"] = [("A", _at(0))]  # B never bought it: not judged for B
    leads = lead_wallets("B", world, 60.0)
    assert (leads.tokens_judged, leads.wallets) == (6, ())


def test_a_wallet_behind_a_sniper_of_every_launch_does_not_follow_it() -> None:
    # SNIPER buys all 30 launches at 1 s; SMART picks 10 of them and enters 20 s in;
    # COPY copies SMART 10 s later
    buys: dict[str, list[tuple[str, float]]] = {}
    for i in range(30):
        start = i * 600.0
        pairs = [("SNIPER", start + 1)]
        if i % 3 == 0:
            pairs += [("SMART", start + 20), ("COPY", start + 30)]
        buys[f"T{i}"] = pairs
    world = _tokens(buys)

    def lead_tokens(wallet: str, since: datetime, until: datetime) -> int:
        return sum(
            1 for pairs in world.values() for w, at in pairs if w == wallet and since <= at <= until
        )

    naive = follower_verdict("SMART", world, PROFILING)
    assert naive.is_follower  # without counting the sniper's tokens it looks like a lead
    smart = follower_verdict("SMART", world, PROFILING, lead_tokens)
    assert not smart.is_follower
    assert smart.lead is not None
    # 10 of the sniper's 28 launches between SMART's first and last entry
    assert smart.lead.address == "SNIPER"
    assert smart.lead.coverage == pytest.approx(10 / 28)
    copier = follower_verdict("COPY", world, PROFILING, lead_tokens)
    assert copier.is_follower  # the sniper is first in line, but SMART is the one it copies
    assert copier.lead is not None
    assert (copier.lead.address, copier.lead.coverage) == ("SMART", 1.0)


def _round_trip(wallet: str, mint: str, at: float) -> list[Swap]:
    def swap(side: Side, lamports: int, when: float, n: int) -> Swap:
        return Swap(
            wallet=wallet,
            side=side,
            token_mint=mint,
            token_amount=1000,
            token_decimals=6,
            sol_lamports=lamports,
            network_fee_lamports=0,
            venue="PUMP_AMM",
            signature=f"{wallet}-{mint}-{n}",
            slot=int(when),
            timestamp=_at(when),
            fee_payer=wallet,
        )

    return [swap(Side.BUY, SOL, at, 0), swap(Side.SELL, 2 * SOL, at + 600, 1)]


def test_the_profile_carries_the_flag_and_the_watchlist_fails_it() -> None:
    world = _copied_world()
    swaps = [s for i in range(8) for s in _round_trip("COPY", f"T{i}", i * 3600 + 35 + i * 5)]
    swaps += [s for i in range(8, 12) for s in _round_trip("COPY", f"X{i}", i * 3600)]
    profile = profile_wallet(
        swaps,
        token_entries={},
        params=PROFILING,
        weights=PARAMS.scoring.wallet,
        token_buyers=world,
    )
    assert profile.metrics is not None
    assert profile.metrics["is_follower"] is True
    assert profile.metrics["lead_wallet"] == "LEAD"
    assert followed_wallet(profile) == ("LEAD", 1.0)
    verdict = watchlist_check(profile, PARAMS.watchlist)
    assert verdict.failed == ("follower",)  # 12 winning trades, 12 SOL: only this fails
    assert verdict.reasons == ("follows LEAD in 100 % of its tokens",)


def test_without_buyers_or_flag_the_watchlist_does_not_judge_following() -> None:
    swaps = [s for i in range(12) for s in _round_trip("W", f"T{i}", i * 3600)]
    profile = profile_wallet(
        swaps, token_entries={}, params=PROFILING, weights=PARAMS.scoring.wallet
    )
    assert profile.metrics is not None
    assert profile.metrics["is_follower"] is False
    assert watchlist_check(profile, PARAMS.watchlist).passed
    plain = WalletProfile(trade_count=12, win_rate=1.0, total_pnl_lamports=12 * SOL)
    assert followed_wallet(plain) is None
