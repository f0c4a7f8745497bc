"""Restart intensity, backoff and poison rules, without threads."""

from __future__ import annotations

import random

from supervisors.policy import PoisonTracker, RestartHistory
from supervisors.specs import Backoff, Intensity


def _history(max_restarts: int = 3, window_s: float = 10) -> RestartHistory:
    return RestartHistory(
        Intensity(max_restarts=max_restarts, window_s=window_s),
        Backoff(base_s=0.1, max_s=1.0, jitter=0.2),
        random.Random(3),
    )


def test_intensity_counts_restarts_inside_the_window_only() -> None:
    history = _history(max_restarts=2, window_s=10)
    assert history.record("a", 0.0)
    assert history.record("b", 5.0)
    assert not history.record("a", 9.0)  # third within 10 s
    fresh = _history(max_restarts=2, window_s=10)
    assert fresh.record("a", 0.0)
    assert fresh.record("a", 5.0)
    assert fresh.record("a", 10.5)  # the first one left the window


def test_backoff_is_zero_first_then_doubles_with_bounded_jitter_and_a_cap() -> None:
    history = _history(max_restarts=100, window_s=1000)
    delays = []
    for step in range(7):
        history.record("a", float(step))
        delays.append(history.delay_for("a"))
    assert delays[0] == 0.0
    expected = [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    for delay, base in zip(delays[1:], expected, strict=True):
        assert base * 0.8 <= delay <= base * 1.2
    history.record("b", 7.0)
    assert history.delay_for("b") == 0.0  # another child's first restart is immediate


def test_poison_after_threshold_per_child_and_message() -> None:
    tracker = PoisonTracker(threshold=3)
    message = object()
    other = object()
    assert [tracker.crashed("a", message) for _ in range(3)] == [1, 2, 3]
    assert tracker.is_poison(3)
    assert not tracker.is_poison(2)
    assert tracker.crashed("b", message) == 1  # counted per child
    assert tracker.crashed("a", other) == 1
    tracker.release("a", message)
    assert tracker.crashed("a", message) == 1
