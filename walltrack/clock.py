"""Clock implementations: the wall clock and a simulated clock with a speed factor.

Why: the domain never reads time itself; actors ask the Clock port they were given, so the
simulator can run an hour of market in a minute and tests can step time by hand.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class LiveClock:
    """The machine's wall clock (UTC) and monotonic clock."""

    def now(self) -> datetime:
        """Current UTC time."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """Monotonic seconds from the OS."""
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to: deterministic tests and backtests."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            msg = "ManualClock start must be timezone-aware"
            raise ValueError(msg)
        self._now = start
        self._elapsed = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current simulated time."""
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        """Simulated seconds since the clock was made."""
        with self._lock:
            return self._elapsed

    def advance(self, seconds: float) -> None:
        """Move time forward; never backwards."""
        if seconds < 0:
            msg = "time never runs backwards"
            raise ValueError(msg)
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._elapsed += seconds


class SimClock:
    """Simulated time that runs `speed` times faster than the wall clock.

    `speed=1` is real time, `speed=60` is a minute per second. For "as fast as possible"
    use ManualClock and advance it from the event loop of the simulation.
    """

    def __init__(self, start: datetime, speed: float) -> None:
        if start.tzinfo is None:
            msg = "SimClock start must be timezone-aware"
            raise ValueError(msg)
        if speed <= 0:
            msg = f"SimClock speed must be positive, got {speed}"
            raise ValueError(msg)
        self._start = start
        self._speed = speed
        self._origin = time.monotonic()

    @property
    def speed(self) -> float:
        """How many simulated seconds pass per real second."""
        return self._speed

    def now(self) -> datetime:
        """Simulated time: start + elapsed real time x speed."""
        return self._start + timedelta(seconds=self.monotonic())

    def monotonic(self) -> float:
        """Simulated seconds since start."""
        return (time.monotonic() - self._origin) * self._speed
