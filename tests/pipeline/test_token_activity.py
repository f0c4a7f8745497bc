"""The scorer's per-token memory of swaps: each swap once, bounded, restorable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from actors.token_activity import MAX_PER_TOKEN, SeenTrade, TokenActivity

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
MINT = "Mint1111111111111111111111111111111111111111"


def _trade(second: int, wallet: str = "W") -> SeenTrade:
    return SeenTrade(T0 + timedelta(seconds=second), wallet, True, Decimal("0.5"))


def test_a_swap_seen_again_is_kept_once() -> None:
    activity = TokenActivity(horizon_s=3600)
    activity.record(MINT, _trade(1))
    activity.record(MINT, _trade(1))  # a signal requeued after a crash
    activity.record(MINT, _trade(1, wallet="X"))
    assert len(activity.window(MINT, T0 + timedelta(seconds=5), 60)) == 2


def test_a_trade_pushed_out_of_the_window_can_be_recorded_again() -> None:
    activity = TokenActivity(horizon_s=10**6)
    for second in range(MAX_PER_TOKEN + 1):
        activity.record(MINT, _trade(second))
    now = T0 + timedelta(seconds=MAX_PER_TOKEN + 1)
    window = activity.window(MINT, now, 10**6)
    assert len(window) == MAX_PER_TOKEN
    assert _trade(0) not in window  # the oldest went first
    activity.record(MINT, _trade(0))  # forgotten, so no longer a duplicate
    assert _trade(0) in activity.window(MINT, now, 10**6)


def test_the_memory_of_seen_swaps_survives_a_snapshot_round_trip() -> None:
    activity = TokenActivity(horizon_s=3600)
    activity.record(MINT, _trade(1))
    restored = TokenActivity(horizon_s=3600)
    restored.load_json(activity.to_json())
    restored.record(MINT, _trade(1))
    assert len(restored.window(MINT, T0 + timedelta(seconds=5), 60)) == 1


def test_the_snapshot_holds_exactly_the_trades_kept() -> None:
    activity = TokenActivity(horizon_s=100)
    for second in (0, 50, 120):  # 120 pushes 0 out of the horizon
        activity.record(MINT, _trade(second))
    activity.record("OtherMint", _trade(10))
    activity.prune(T0 + timedelta(seconds=150))  # the other token has nothing recent

    restored = TokenActivity(horizon_s=100)
    restored.load_json(activity.to_json())
    now = T0 + timedelta(seconds=150)
    assert restored.window(MINT, now, 1000) == [_trade(50), _trade(120)]
    assert activity.to_json() == restored.to_json()
    assert list(activity.to_json()) == [MINT]
