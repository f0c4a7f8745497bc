"""Decay: is a watched wallet still as good as when it was watchlisted?

Verdicts (domain-rules.md, Decay), by priority:
1. dormant: no activity for `dormant_days` (30);
2. downgraded: the last `loss_streak` (3) or more closed trades were losses; the score is
   multiplied by 0.95 for each loss from the threshold on (3 losses: x0.95, 4: x0.95^2);
3. flagged: win rate of the last `window_trades` (20) closed trades below 0.40 (score x0.8);
4. recovered: that win rate back at >= 0.50 after a flag, downgrade or dormancy (x1.1).
Between 0.40 and 0.50 a flagged wallet stays flagged (no flapping). Score multipliers apply
once, on the transition that earns them. The rolling rules need a full window.

The decay score (a watchlist criterion, <= 0.3) measures the decline: how far the recent
win rate fell below the lifetime one, relative to it (0 = no decline, 1 = stopped winning);
a dormant wallet scores 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from walltrack.domain.params.wallets import DecayParams
from walltrack.domain.records.wallets import DecayStatus

DECAYED = frozenset({DecayStatus.FLAGGED, DecayStatus.DOWNGRADED, DecayStatus.DORMANT})


def is_decayed(status: DecayStatus) -> bool:
    """The wallet factor's decay penalty applies."""
    return status in DECAYED


@dataclass(frozen=True, slots=True, kw_only=True)
class DecayState:
    """What decay remembers between evaluations."""

    status: DecayStatus = DecayStatus.OK
    penalised_losses: int = 0  # losses of the current streak already charged x0.95


@dataclass(frozen=True, slots=True, kw_only=True)
class DecayVerdict:
    """The new state, whether it changed, and what to multiply the wallet score by."""

    state: DecayState
    changed: bool
    score_multiplier: float
    rolling_win_rate: float | None  # None until the window is full
    consecutive_losses: int
    decay_score: float
    reason: str


def trailing_losses(outcomes: Sequence[bool]) -> int:
    """How many of the newest outcomes in a row are losses."""
    count = 0
    for won in reversed(outcomes):
        if won:
            break
        count += 1
    return count


def decay_score(recent: Sequence[bool], lifetime_win_rate: float | None, dormant: bool) -> float:
    """Relative fall of the recent win rate below the lifetime one, in [0, 1]."""
    if dormant:
        return 1.0
    if not recent or not lifetime_win_rate or lifetime_win_rate <= 0:
        return 0.0
    recent_rate = sum(recent) / len(recent)
    return min(1.0, max(0.0, (lifetime_win_rate - recent_rate) / lifetime_win_rate))


def _status(
    previous: DecayStatus, dormant: bool, streak: int, rate: float | None, params: DecayParams
) -> DecayStatus:
    if dormant:
        return DecayStatus.DORMANT
    if streak >= params.loss_streak:
        return DecayStatus.DOWNGRADED
    if rate is not None and rate < params.flag_win_rate:
        return DecayStatus.FLAGGED
    if rate is not None and rate >= params.recover_win_rate and previous is not DecayStatus.OK:
        return DecayStatus.RECOVERED
    if previous is DecayStatus.FLAGGED:
        return DecayStatus.FLAGGED
    return DecayStatus.OK


def evaluate_decay(
    *,
    outcomes: Sequence[bool],
    lifetime_win_rate: float | None,
    last_activity_at: datetime | None,
    now: datetime,
    previous: DecayState,
    params: DecayParams,
) -> DecayVerdict:
    """Decay after the wallet's closed trades `outcomes` (oldest first, True = win)."""
    window = list(outcomes[-params.window_trades :])
    rate = sum(window) / len(window) if len(window) >= params.window_trades else None
    streak = trailing_losses(outcomes)
    dormant = last_activity_at is not None and now - last_activity_at >= timedelta(
        days=params.dormant_days
    )
    status = _status(previous.status, dormant, streak, rate, params)
    penalised = max(0, streak - params.loss_streak + 1)
    multiplier = 1.0
    if status is DecayStatus.DOWNGRADED:
        newly = max(0, penalised - previous.penalised_losses)
        multiplier = params.loss_streak_multiplier**newly
    elif status is DecayStatus.FLAGGED and previous.status is not DecayStatus.FLAGGED:
        multiplier = params.flag_multiplier
    elif status is DecayStatus.RECOVERED and previous.status is not DecayStatus.RECOVERED:
        multiplier = params.recover_multiplier
    reasons = {
        DecayStatus.DORMANT: f"no activity for {params.dormant_days} days",
        DecayStatus.DOWNGRADED: f"{streak} losses in a row",
        DecayStatus.FLAGGED: f"win rate {rate or 0:.0%} over the last {len(window)} trades",
        DecayStatus.RECOVERED: f"win rate back at {rate or 0:.0%}",
        DecayStatus.OK: "no decay",
    }
    return DecayVerdict(
        state=DecayState(status=status, penalised_losses=penalised),
        changed=status is not previous.status,
        score_multiplier=multiplier,
        rolling_win_rate=rate,
        consecutive_losses=streak,
        decay_score=decay_score(window, lifetime_win_rate, dormant),
        reason=reasons[status],
    )
