"""The context factor: is now a good moment to follow a buy of this token?

context = 0.20 time of day + 0.30 activity + 0.20 calm + 0.30 tracked wallets
(weights and levels from `ContextFactorParams`), all computed from what the scorer saw:

- time of day: `active_hour_score` inside `active_hours_utc` (13-22 UTC by default, when
  the US and European sessions overlap), `quiet_hour_score` outside.
- activity: swaps in the token over the last `activity_window_s` (300 s), 0 at none and 1
  at `activity_full_trades` (30): a token nobody trades cannot be exited.
- calm: the token's price range (high - low) / low over the same window; 1 at or below
  `volatility_calm` (10 %), 0 at or above `volatility_wild` (60 %): wild swings eat the
  copy's slippage and trip stops.
- tracked wallets: other tracked wallets that bought the token in the window, 0 at none,
  1 at `tracked_wallets_full` (3): independent smart money agreeing.

A figure not available (no price in the window) scores 0 and is named in `missing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from walltrack.domain.params.scoring import ContextFactorParams
from walltrack.domain.scoring.ramp import clamp01, falling_ramp, ramp


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextInputs:
    """What the scorer observed about the token's recent market."""

    recent_trade_count: int
    volatility: float | None  # (high - low) / low over the window; None without prices
    other_tracked_wallets: int  # tracked wallets besides the signaller buying in the window


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextFactor:
    """The context factor and every part of it."""

    value: float
    hour_utc: int
    time_of_day: float
    activity: float
    calm: float
    tracked_wallets: float
    missing: tuple[str, ...]


def price_volatility(prices: Sequence[Decimal]) -> float | None:
    """(high - low) / low of a price series; None when there is no positive price."""
    positive = [p for p in prices if p > 0]
    if not positive:
        return None
    low, high = min(positive), max(positive)
    return float((high - low) / low)


def context_factor(
    inputs: ContextInputs, params: ContextFactorParams, now: datetime
) -> ContextFactor:
    """The context factor of a signal at `now`, with its breakdown."""
    hour = now.astimezone(UTC).hour
    time_score = (
        params.active_hour_score if hour in params.active_hours_utc else params.quiet_hour_score
    )
    activity = ramp(inputs.recent_trade_count, 0, params.activity_full_trades)
    missing: tuple[str, ...] = ()
    if inputs.volatility is None:
        calm = 0.0
        missing = ("volatility",)
    else:
        calm = falling_ramp(inputs.volatility, params.volatility_calm, params.volatility_wild)
    wallets = ramp(inputs.other_tracked_wallets, 0, params.tracked_wallets_full)
    value = (
        params.time_weight * time_score
        + params.activity_weight * activity
        + params.volatility_weight * calm
        + params.tracked_wallets_weight * wallets
    )
    return ContextFactor(
        value=clamp01(value),
        hour_utc=hour,
        time_of_day=time_score,
        activity=activity,
        calm=calm,
        tracked_wallets=wallets,
        missing=missing,
    )
