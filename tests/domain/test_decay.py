"""Decay transitions on hand-built histories: flag, downgrade, recover, dormancy, priority."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from walltrack.domain.decay import (
    DecayState,
    DecayVerdict,
    decay_score,
    evaluate_decay,
    is_decayed,
    trailing_losses,
)
from walltrack.domain.params import default_params
from walltrack.domain.records.wallets import DecayStatus

PARAMS = default_params().decay
NOW = datetime(2025, 9, 1, tzinfo=UTC)
W, L = True, False


def _eval(
    outcomes: list[bool],
    previous: DecayState | None = None,
    idle_days: float = 1,
    lifetime: float | None = 0.7,
) -> DecayVerdict:
    return evaluate_decay(
        outcomes=outcomes,
        lifetime_win_rate=lifetime,
        last_activity_at=NOW - timedelta(days=idle_days),
        now=NOW,
        previous=previous or DecayState(),
        params=PARAMS,
    )


def _window(wins: int, total: int = 20) -> list[bool]:
    """`wins` wins spread evenly over `total` trades, the last one a win (no long streak)."""
    return [(i + 1) * wins // total > i * wins // total for i in range(total)]


def test_flagged_below_forty_percent_over_twenty_trades() -> None:
    seven = _window(7)
    assert sum(seven) == 7
    assert trailing_losses(seven) < 3
    verdict = _eval(seven)
    assert verdict.rolling_win_rate == pytest.approx(0.35)
    assert verdict.state.status is DecayStatus.FLAGGED
    assert verdict.score_multiplier == 0.8
    assert verdict.changed
    again = _eval(seven, verdict.state)
    assert (again.state.status, again.score_multiplier, again.changed) == (
        DecayStatus.FLAGGED,
        1.0,
        False,
    )


def test_exactly_forty_percent_is_not_flagged() -> None:
    assert _eval(_window(8)).state.status is DecayStatus.OK


def test_no_rolling_verdict_before_twenty_trades() -> None:
    verdict = _eval([L, W, L, W, L, W, L, W])
    assert verdict.rolling_win_rate is None
    assert verdict.state.status is DecayStatus.OK


def test_flagged_stays_flagged_in_the_band_then_recovers_at_fifty() -> None:
    flagged = DecayState(status=DecayStatus.FLAGGED)
    band = _eval(_window(9), flagged)  # 45 %
    assert band.state.status is DecayStatus.FLAGGED
    recovered = _eval(_window(10), flagged)  # exactly 50 %
    assert recovered.state.status is DecayStatus.RECOVERED
    assert recovered.score_multiplier == 1.1
    fine = _eval(_window(10))
    assert fine.state.status is DecayStatus.OK  # nothing to recover from


def test_loss_streak_downgrades_with_a_penalty_per_loss() -> None:
    base = _window(15)
    three = _eval([*base, L, L, L])
    assert three.state.status is DecayStatus.DOWNGRADED
    assert three.score_multiplier == pytest.approx(0.95)
    four = _eval([*base, L, L, L, L], three.state)
    assert four.score_multiplier == pytest.approx(0.95)  # one more loss, one more x0.95
    assert four.state.penalised_losses == 2
    fresh_five = _eval([*base, L, L, L, L, L])
    assert fresh_five.score_multiplier == pytest.approx(0.95**3)
    two = _eval([*base, L, L])
    assert two.state.status is DecayStatus.OK


def test_dormant_after_thirty_days_has_priority() -> None:
    losing = [L] * 20
    verdict = _eval(losing, idle_days=30)
    assert verdict.state.status is DecayStatus.DORMANT
    assert verdict.decay_score == 1.0
    assert _eval(losing, idle_days=29.9).state.status is DecayStatus.DOWNGRADED
    back = _eval(_window(12), DecayState(status=DecayStatus.DORMANT))
    assert back.state.status is DecayStatus.RECOVERED


def test_downgrade_beats_flag() -> None:
    verdict = _eval([*_window(7, 17), L, L, L])
    assert verdict.rolling_win_rate is not None
    assert verdict.rolling_win_rate < 0.4
    assert verdict.state.status is DecayStatus.DOWNGRADED


def test_decay_score_is_the_relative_decline() -> None:
    assert decay_score([W, L, L, L], 0.5, dormant=False) == pytest.approx(0.5)
    assert decay_score([W, W], 0.5, dormant=False) == 0.0
    assert decay_score([], 0.5, dormant=False) == 0.0
    assert decay_score([L], None, dormant=False) == 0.0
    assert is_decayed(DecayStatus.FLAGGED)
    assert not is_decayed(DecayStatus.RECOVERED)
