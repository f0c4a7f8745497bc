"""A circuit breaker per venue: stop calling a venue that keeps failing, probe it later.

Why: hammering a venue that is down wastes the rate budget and delays every caller by the
full retry schedule. After `failure_threshold` consecutive failures the breaker opens and
calls fail fast with VenueUnavailableError; after `open_seconds` it lets one trial call
through (half-open): success closes it, failure opens it again (domain-rules.md: 5 / 30 s).
"""

from __future__ import annotations

import threading
from enum import StrEnum

import structlog

from walltrack.adapters.resilience.metrics import VenueMetrics
from walltrack.errors import VenueUnavailableError
from walltrack.ports import Clock

_log = structlog.get_logger(__name__)


class BreakerState(StrEnum):
    """The three states of a circuit breaker."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Counts consecutive failures of one venue and fails fast while open."""

    def __init__(
        self,
        venue: str,
        *,
        clock: Clock,
        failure_threshold: int = 5,
        open_seconds: float = 30.0,
        metrics: VenueMetrics | None = None,
    ) -> None:
        if failure_threshold < 1:
            msg = f"failure_threshold must be >= 1, got {failure_threshold}"
            raise ValueError(msg)
        self.venue = venue
        self._clock = clock
        self._threshold = failure_threshold
        self._open_seconds = open_seconds
        self._metrics = metrics
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False
        if metrics is not None:
            metrics.bind_breaker_state(lambda: self.state.value)

    @property
    def state(self) -> BreakerState:
        """The state now (an open breaker whose time is up reads as half-open)."""
        with self._lock:
            return self._current_state()

    @property
    def consecutive_failures(self) -> int:
        """Failures since the last success."""
        with self._lock:
            return self._failures

    def _current_state(self) -> BreakerState:
        if (
            self._state is BreakerState.OPEN
            and self._clock.monotonic() - self._opened_at >= self._open_seconds
        ):
            self._state = BreakerState.HALF_OPEN
            self._trial_in_flight = False
            _log.info("venue_breaker_half_opened", venue=self.venue)
        return self._state

    def before_call(self) -> None:
        """Let a call through, or raise VenueUnavailableError while the breaker is open.

        In half-open state exactly one trial call goes through; others fail fast until the
        trial reports back.
        """
        with self._lock:
            state = self._current_state()
            if state is BreakerState.CLOSED:
                return
            if state is BreakerState.HALF_OPEN and not self._trial_in_flight:
                self._trial_in_flight = True
                return
            retry_in = max(0.0, self._open_seconds - (self._clock.monotonic() - self._opened_at))
        if self._metrics is not None:
            self._metrics.failed_fast()
        raise VenueUnavailableError(
            self.venue, f"circuit breaker {state.value}; next trial in {retry_in:.1f}s"
        )

    def record_success(self) -> None:
        """The venue answered: close the breaker and forget past failures."""
        with self._lock:
            was = self._state
            self._state = BreakerState.CLOSED
            self._failures = 0
            self._trial_in_flight = False
        if was is not BreakerState.CLOSED:
            _log.info("venue_breaker_closed", venue=self.venue)

    def record_failure(self) -> None:
        """The venue failed: open after the threshold, or again after a failed trial."""
        with self._lock:
            self._failures += 1
            trial_failed = self._state is BreakerState.HALF_OPEN
            if not trial_failed and (
                self._state is BreakerState.OPEN or self._failures < self._threshold
            ):
                return
            self._state = BreakerState.OPEN
            self._opened_at = self._clock.monotonic()
            self._trial_in_flight = False
            failures = self._failures
        if self._metrics is not None:
            self._metrics.breaker_opened()
        _log.warning("venue_breaker_opened", venue=self.venue, consecutive_failures=failures)

    def record_abandoned(self) -> None:
        """A call ended without a verdict (cancelled, our own bug): free the trial slot."""
        with self._lock:
            self._trial_in_flight = False

    def reset(self) -> None:
        """Operator reset: close the breaker now."""
        self.record_success()
