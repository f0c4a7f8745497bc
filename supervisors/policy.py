"""The decisions a supervisor makes on a crash, as plain objects testable without threads.

Why: restart intensity, backoff and poison detection are where supervision goes wrong
(crash loops, thundering restarts, a bad message killing an actor forever); keeping them out
of the actor makes each rule easy to check.
"""

from __future__ import annotations

import random
from collections import OrderedDict, deque
from typing import Any

from supervisors.specs import Backoff, Intensity

POISON_MEMORY = 1024
"""Distinct crashing messages remembered per supervisor."""


class RestartHistory:
    """Restart times within the intensity window: for the give-up rule and the backoff."""

    def __init__(self, intensity: Intensity, backoff: Backoff, rng: random.Random) -> None:
        self._intensity = intensity
        self._backoff = backoff
        self._rng = rng
        self._all: deque[float] = deque()
        self._per_child: dict[str, deque[float]] = {}

    def _trim(self, times: deque[float], now: float) -> None:
        horizon = now - self._intensity.window_s
        while times and times[0] <= horizon:
            times.popleft()

    def record(self, child: str, now: float) -> bool:
        """Count a restart at `now`; False when that exceeds the intensity (give up)."""
        self._trim(self._all, now)
        self._all.append(now)
        child_times = self._per_child.setdefault(child, deque())
        self._trim(child_times, now)
        child_times.append(now)
        return len(self._all) <= self._intensity.max_restarts

    def delay_for(self, child: str) -> float:
        """Seconds to wait before restarting `child`, given its recent restarts."""
        recent = len(self._per_child.get(child, ()))
        if recent <= 1:
            return 0.0
        raw = min(self._backoff.max_s, self._backoff.base_s * 2.0 ** (recent - 2))
        spread = self._backoff.jitter
        return raw * self._rng.uniform(1 - spread, 1 + spread)

    def forget(self, child: str) -> None:
        """Drop the history of a child that is gone for good."""
        self._per_child.pop(child, None)


def message_key(message: Any) -> object:
    """Identity of a message across redeliveries: its msg_id, else the object itself."""
    msg_id = getattr(message, "msg_id", None)
    return msg_id if msg_id is not None else id(message)


class PoisonTracker:
    """Counts crashes per (child, message); K crashes by one message make it poison."""

    def __init__(self, threshold: int) -> None:
        self._threshold = threshold
        # key -> (crashes, the message itself: held so an id() key is not reused)
        self._crashes: OrderedDict[tuple[str, object], tuple[int, Any]] = OrderedDict()

    def crashed(self, child: str, message: Any) -> int:
        """Record one crash of `child` on `message`; returns how many so far."""
        key = (child, message_key(message))
        count = self._crashes.pop(key, (0, message))[0] + 1
        self._crashes[key] = (count, message)
        while len(self._crashes) > POISON_MEMORY:
            self._crashes.popitem(last=False)
        return count

    def is_poison(self, crashes: int) -> bool:
        """Whether that many crashes mean the message must be quarantined."""
        return crashes >= self._threshold

    def release(self, child: str, message: Any) -> None:
        """Forget a message once it is quarantined."""
        self._crashes.pop((child, message_key(message)), None)
