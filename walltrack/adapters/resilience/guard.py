"""One venue's protections in one place: breaker, rate limiter(s), retry policy, metrics.

Why: every client wraps each request the same way — fail fast while the breaker is open,
wait for a token, count the outcome, retry temporary failures with backoff. Keeping that
here leaves the clients with nothing but wire formats.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping

from walltrack.adapters.resilience.breaker import CircuitBreaker
from walltrack.adapters.resilience.limiter import RateLimit, Sleep, TokenBucket
from walltrack.adapters.resilience.metrics import MetricsRegistry, VenueMetrics
from walltrack.adapters.resilience.retry import RetryPolicy
from walltrack.clock import LiveClock
from walltrack.errors import UpstreamError, VenueUnavailableError
from walltrack.ports import Clock

DEFAULT_BUCKET = "default"


class VenueGuard:
    """Runs venue calls through the breaker, the right token bucket and the retry policy."""

    def __init__(
        self,
        *,
        metrics: VenueMetrics,
        breaker: CircuitBreaker,
        buckets: Mapping[str, TokenBucket],
        retry: RetryPolicy,
    ) -> None:
        if DEFAULT_BUCKET not in buckets:
            msg = f"a guard needs a {DEFAULT_BUCKET!r} bucket"
            raise ValueError(msg)
        self.metrics = metrics
        self.breaker = breaker
        self.buckets = dict(buckets)
        self.retry = retry

    @property
    def venue(self) -> str:
        """The venue this guard protects."""
        return self.metrics.venue

    def bucket(self, name: str) -> TokenBucket:
        """The bucket for an endpoint class; a guard with a single limit uses it for all."""
        return self.buckets.get(name) or self.buckets[DEFAULT_BUCKET]

    async def attempt[T](
        self, operation: Callable[[], Awaitable[T]], *, bucket: str = DEFAULT_BUCKET
    ) -> T:
        """One try: breaker check, token, call, outcome recorded. No retry."""
        self.breaker.before_call()
        try:
            await self.bucket(bucket).acquire()
        except BaseException:
            # Our own bucket said no (or we were cancelled): the venue was never asked.
            self.breaker.record_abandoned()
            raise
        self.metrics.request_started()
        try:
            result = await operation()
        except VenueUnavailableError:
            self.breaker.record_abandoned()
            raise
        except UpstreamError as error:
            self.breaker.record_failure()
            self.metrics.request_failed(error)
            raise
        except Exception:
            # The venue answered (a refusal, a config problem): it is healthy.
            self.breaker.record_success()
            self.metrics.request_succeeded()
            raise
        except BaseException:
            self.breaker.record_abandoned()
            raise
        self.breaker.record_success()
        self.metrics.request_succeeded()
        return result

    async def call[T](
        self, operation: Callable[[], Awaitable[T]], *, bucket: str = DEFAULT_BUCKET
    ) -> T:
        """`attempt` under the retry policy: what every client method uses."""
        return await self.retry.run(
            lambda: self.attempt(operation, bucket=bucket), metrics=self.metrics
        )


def build_guard(
    venue: str,
    limits: Mapping[str, RateLimit] | RateLimit,
    *,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
    rng: random.Random | None = None,
    failure_threshold: int = 5,
    open_seconds: float = 30.0,
    retries: int = 3,
    max_wait_s: float | None = None,
    registry: MetricsRegistry | None = None,
) -> VenueGuard:
    """A guard with the documented defaults (5 failures / 30 s; 3 retries 1-2-4 s ±0.5 s).

    Pass a ManualClock and a sleep that advances it to run every wait instantly in tests.
    """
    clock = clock or LiveClock()
    sleep = sleep or asyncio.sleep
    metrics = VenueMetrics(venue)
    if registry is not None:
        registry.register(metrics)
    named = {DEFAULT_BUCKET: limits} if isinstance(limits, RateLimit) else dict(limits)
    if DEFAULT_BUCKET not in named:
        named[DEFAULT_BUCKET] = next(iter(named.values()))
    buckets = {
        name: TokenBucket(
            limit, clock=clock, sleep=sleep, max_wait_s=max_wait_s, metrics=metrics, venue=venue
        )
        for name, limit in named.items()
    }
    return VenueGuard(
        metrics=metrics,
        breaker=CircuitBreaker(
            venue,
            clock=clock,
            failure_threshold=failure_threshold,
            open_seconds=open_seconds,
            metrics=metrics,
        ),
        buckets=buckets,
        retry=RetryPolicy(retries=retries, sleep=sleep, rng=rng),
    )
