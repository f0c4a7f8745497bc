"""Retries with exponential backoff and jitter (tenacity), with an injectable wait.

Why: venue failures are mostly brief (a 5xx, a 429, a timeout). The policy retries 3 times
after the first attempt, waiting 1 s, 2 s, 4 s, each ±0.5 s of jitter so that many clients
do not retry in lockstep. The sleep and the random source are injected, so tests assert the
exact schedule without sleeping.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from walltrack.adapters.resilience.limiter import BucketExhaustedError, Sleep
from walltrack.adapters.resilience.metrics import VenueMetrics
from walltrack.errors import UpstreamError, VenueUnavailableError


def is_retryable(error: BaseException) -> bool:
    """Temporary venue failures are retried; an open breaker or a full local bucket is not."""
    return isinstance(error, UpstreamError) and not isinstance(
        error, VenueUnavailableError | BucketExhaustedError
    )


class RetryPolicy:
    """How often and how long to wait before retrying a failed venue call."""

    def __init__(
        self,
        *,
        retries: int = 3,
        base_s: float = 1.0,
        factor: float = 2.0,
        jitter_s: float = 0.5,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if retries < 0:
            msg = f"retries must be >= 0, got {retries}"
            raise ValueError(msg)
        self.retries = retries
        self.base_s = base_s
        self.factor = factor
        self.jitter_s = jitter_s
        self._sleep = sleep
        self._rng = rng or random.Random()

    def backoff(self, retry_number: int) -> float:
        """The wait before retry number `retry_number` (1-based): base·factor^(n-1) ± jitter."""
        nominal = self.base_s * self.factor ** (retry_number - 1)
        jitter = self._rng.uniform(-self.jitter_s, self.jitter_s) if self.jitter_s else 0.0
        return max(0.0, nominal + jitter)

    def _wait(self, state: RetryCallState) -> float:
        return self.backoff(state.attempt_number)

    async def run[T](
        self,
        operation: Callable[[], Awaitable[T]],
        *,
        metrics: VenueMetrics | None = None,
        retry_if: Callable[[BaseException], bool] = is_retryable,
    ) -> T:
        """Await `operation`, retrying it per this policy; the last error propagates.

        The first try runs outside tenacity (the common case costs nothing extra); only a
        retryable failure hands over to tenacity, which replays that failure as its first
        attempt so the schedule and the counters are the same as if it had run it.
        """
        try:
            return await operation()
        except Exception as error:
            if self.retries == 0 or not retry_if(error):
                raise
            first_failure: Exception | None = error

        def before_sleep(state: RetryCallState) -> None:
            if metrics is not None and state.next_action is not None:
                metrics.retry_scheduled(state.next_action.sleep)

        async def attempt() -> T:
            nonlocal first_failure
            if first_failure is not None:
                failure, first_failure = first_failure, None
                raise failure
            return await operation()

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=self._wait,
            retry=retry_if_exception(retry_if),
            sleep=self._sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        return await retrying(attempt)
