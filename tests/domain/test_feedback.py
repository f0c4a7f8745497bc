"""Feedback: wallet score moves per the reference, factor accuracy, weight suggestions."""

from __future__ import annotations

import random

import pytest

from walltrack.domain.feedback import (
    FactorAccuracy,
    FactorStats,
    apply_trade_feedback,
    pnl_ratio,
    suggest_weights,
)
from walltrack.domain.params import default_params
from walltrack.domain.params.parsing import parse_into

PARAMS = default_params().feedback
WEIGHTS = default_params().scoring.weights


@pytest.mark.parametrize(
    ("ratio", "delta"),
    [
        (0.5, 0.07),  # win +50 %: 0.02 + 0.01 x 5
        (0.05, 0.025),
        (1.0, 0.10),  # 0.12 capped at 0.10
        (-0.3, -0.075),  # loss -30 %: 0.03 + 0.015 x 3
        (-1.0, -0.15),  # 0.18 capped at 0.15
        (0.0, -0.03),  # breakeven is not a win
    ],
)
def test_score_moves_per_the_reference(ratio: float, delta: float) -> None:
    update = apply_trade_feedback(0.6, ratio, PARAMS)
    assert update.delta == pytest.approx(delta)
    assert update.won == (ratio > 0)


def test_score_is_clamped_and_flags_below_point_three() -> None:
    assert apply_trade_feedback(0.98, 0.9, PARAMS).new_score == 1.0
    assert apply_trade_feedback(0.05, -1.0, PARAMS).new_score == 0.0
    assert not apply_trade_feedback(0.375, -0.3, PARAMS).flagged  # lands on 0.30 exactly
    assert apply_trade_feedback(0.37, -0.3, PARAMS).flagged


def test_pnl_ratio() -> None:
    assert pnl_ratio(50_000_000, 100_000_000) == 0.5
    assert pnl_ratio(-1, 0) == 0.0


def test_factor_stats_correlation_and_accuracy() -> None:
    stats = FactorStats()
    for x, y in [(0.2, -0.5), (0.4, -0.1), (0.6, 0.2), (0.8, 0.9)]:
        stats = stats.add(x, y, y > 0)
    assert stats.accuracy == 1.0
    assert stats.correlation == pytest.approx(0.98315, abs=1e-5)  # statistics.correlation
    flat = FactorStats().add(0.5, 0.1, True).add(0.5, -0.2, False)
    assert flat.correlation is None
    assert FactorStats().accuracy is None


def _history(trades: int, seed: int) -> FactorAccuracy:
    """Token predicts PnL well, wallet a little, cluster not at all, context inversely."""
    rng = random.Random(seed)
    accuracy = FactorAccuracy()
    for _ in range(trades):
        token = rng.random()
        wallet = rng.random()
        ratio = (token - 0.5) * 2 + (wallet - 0.5) * 0.5 + rng.gauss(0, 0.2)
        accuracy = accuracy.record(
            wallet=wallet,
            cluster=rng.random(),
            token=token,
            context=1 - token,
            ratio=ratio,
            won=ratio > 0,
        )
    return accuracy


def test_no_suggestion_before_one_hundred_trades() -> None:
    assert suggest_weights(_history(99, 1), WEIGHTS, PARAMS) is None


def test_suggestion_blends_seventy_thirty_and_is_valid_config() -> None:
    accuracy = _history(100, 1)
    suggestion = suggest_weights(accuracy, WEIGHTS, PARAMS)
    assert suggestion is not None
    assert suggestion.trades == 100
    suggested, blended = suggestion.suggested, suggestion.blended
    assert suggested.token > suggested.wallet > 0
    assert suggested.context == 0.0  # a negative correlation earns no weight
    assert blended.token == pytest.approx(0.7 * suggested.token + 0.3 * WEIGHTS.token, abs=1e-4)
    assert blended.context == pytest.approx(0.3 * WEIGHTS.context, abs=2e-4)
    problems: list[tuple[str, str]] = []
    parse_into(
        type(WEIGHTS),
        {
            "wallet": blended.wallet,
            "cluster": blended.cluster,
            "token": blended.token,
            "context": blended.context,
        },
        "w",
        problems,
    )
    assert problems == []
    assert accuracy.stats("token").accuracy is not None
    assert accuracy.stats("token").accuracy > accuracy.stats("context").accuracy  # type: ignore[operator]


def test_no_suggestion_without_any_positive_correlation() -> None:
    accuracy = FactorAccuracy()
    for i in range(120):
        x = (i % 10) / 10
        accuracy = accuracy.record(wallet=x, cluster=x, token=x, context=x, ratio=-x, won=False)
    assert suggest_weights(accuracy, WEIGHTS, PARAMS) is None
