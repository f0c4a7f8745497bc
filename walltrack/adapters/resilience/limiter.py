"""A token-bucket rate limiter per venue (and per endpoint class when a venue has several).

Why: 429s cost a retry and, repeated, open the breaker; it is cheaper to wait before
sending. Callers reserve a token immediately (the bucket may go negative) and sleep for
their share of the debt, so concurrent callers queue fairly without a lock and the
schedule is exact under a manual clock.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from walltrack.adapters.resilience.metrics import VenueMetrics
from walltrack.errors import RateLimitedError
from walltrack.ports import Clock

type Sleep = Callable[[float], Awaitable[None]]
"""How a component waits; tests inject one that advances a ManualClock instead."""


class BucketExhaustedError(RateLimitedError):
    """Our own bucket would make the caller wait longer than it allows; nothing was sent."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RateLimit:
    """A venue limit: at most `limit` requests in any window of `window_s` seconds.

    The bucket holds `burst` tokens and refills at (limit - burst) / window_s per second,
    so even a full burst followed by steady traffic never exceeds `limit` in any window.
    """

    limit: int
    window_s: float
    burst: int | None = None

    @property
    def capacity(self) -> int:
        """Tokens the bucket holds when full."""
        if self.burst is not None:
            return self.burst
        return max(1, self.limit // 10)

    @property
    def refill_per_s(self) -> float:
        """Tokens added per second."""
        return max(self.limit - self.capacity, 1) / self.window_s


class TokenBucket:
    """Grants one token per request; waits (via the injected sleep) when empty."""

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        max_wait_s: float | None = None,
        metrics: VenueMetrics | None = None,
        venue: str = "",
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._max_wait_s = max_wait_s
        self._metrics = metrics
        self._venue = venue or (metrics.venue if metrics else "venue")
        self._lock = threading.Lock()
        self._tokens = float(limit.capacity)
        self._updated = clock.monotonic()

    def _refill(self) -> None:
        now = self._clock.monotonic()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(
            float(self.limit.capacity), self._tokens + elapsed * self.limit.refill_per_s
        )
        self._updated = now

    def reserve(self) -> float:
        """Take a token now; return how long the caller must wait before using it."""
        with self._lock:
            self._refill()
            self._tokens -= 1.0
            if self._tokens >= 0:
                return 0.0
            wait = -self._tokens / self.limit.refill_per_s
            if self._max_wait_s is not None and wait > self._max_wait_s:
                self._tokens += 1.0
                raise BucketExhaustedError(self._venue, f"local rate limit: would wait {wait:.2f}s")
            return wait

    async def acquire(self) -> None:
        """Wait until this caller may send one request."""
        wait = self.reserve()
        if wait > 0:
            if self._metrics is not None:
                self._metrics.rate_limit_waited(wait)
            await self._sleep(wait)
