"""Launch-block buyers (creator, bundle, insider) on hand-built buyer lists."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from walltrack.domain.launch_buyers import launch_buyer_verdict
from walltrack.domain.params import default_params
from walltrack.domain.profiling import watchlist_check
from walltrack.domain.records.wallets import WalletProfile

T0 = datetime(2025, 4, 1, 14, tzinfo=UTC)
PROFILING = default_params().profiling  # block 1 s, share >= 0.5, >= 5 tokens


def _world(entries: dict[str, float], tokens: int) -> dict[str, list[tuple[str, datetime]]]:
    """`tokens` launches an hour apart: DEV buys at the launch, each wallet `s` after."""
    world: dict[str, list[tuple[str, datetime]]] = {}
    for i in range(tokens):
        launch = T0 + timedelta(hours=i)
        pairs = [("DEV", launch)] + [(w, launch + timedelta(seconds=s)) for w, s in entries.items()]
        world[f"T{i}"] = pairs
    return world


def test_the_creator_and_a_same_block_bundle_are_flagged() -> None:
    world = _world({"BUNDLE": 1.0, "SNIPER": 1.5, "SMART": 12.0}, tokens=6)
    dev = launch_buyer_verdict("DEV", world, PROFILING)
    assert (dev.tokens_judged, dev.launch_block_tokens, dev.is_launch_buyer) == (6, 6, True)
    assert launch_buyer_verdict("BUNDLE", world, PROFILING).is_launch_buyer  # 1 s: the edge
    assert not launch_buyer_verdict("SNIPER", world, PROFILING).is_launch_buyer
    smart = launch_buyer_verdict("SMART", world, PROFILING)
    assert (smart.launch_block_tokens, smart.share, smart.is_launch_buyer) == (0, 0.0, False)


def test_share_and_token_count_thresholds() -> None:
    world = _world({"W": 0.0}, tokens=6)
    for i in range(3):  # W is 30 s late in half of its tokens: exactly the share
        world[f"T{i}"] = [
            ("DEV", T0 + timedelta(hours=i)),
            ("W", T0 + timedelta(hours=i, seconds=30)),
        ]
    verdict = launch_buyer_verdict("W", world, PROFILING)
    assert (verdict.launch_block_tokens, verdict.share, verdict.is_launch_buyer) == (3, 0.5, True)
    stricter = dataclasses.replace(PROFILING, launch_buyer_share=0.51)
    assert not launch_buyer_verdict("W", world, stricter).is_launch_buyer
    few = _world({"W": 0.0}, tokens=4)
    assert not launch_buyer_verdict("W", few, PROFILING).is_launch_buyer
    assert launch_buyer_verdict("NOBODY", few, PROFILING).tokens_judged == 0


def test_the_watchlist_fails_a_launch_buyer_with_its_share() -> None:
    profile = WalletProfile(
        trade_count=12,
        win_rate=1.0,
        total_pnl_lamports=40 * 10**9,
        metrics={"is_launch_buyer": True, "launch_block_share": 0.9167},
    )
    verdict = watchlist_check(profile, default_params().watchlist)
    assert verdict.failed == ("launch_buyer",)
    assert verdict.reasons[0].startswith("bought in the launch block of 92 % of its tokens")
