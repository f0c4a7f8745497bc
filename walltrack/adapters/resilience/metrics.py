"""Counters of one venue: what its rate limiter, retries and circuit breaker did.

Why: an operator sees a venue degrade on /metrics (waits growing, retries, the breaker
opening) before trades start failing. Counters are bumped from the event loop and read
from another thread, so reads take a lock and return plain values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from walltrack.errors import RateLimitedError, UpstreamError, UpstreamTimeoutError


class VenueMetrics:
    """Monotonic counters plus the current breaker state of one venue."""

    def __init__(self, venue: str) -> None:
        self.venue = venue
        self._lock = threading.Lock()
        self._counts: dict[str, int] = dict.fromkeys(
            (
                "requests",
                "successes",
                "failures",
                "timeouts",
                "rate_limited_responses",
                "retries",
                "rate_limit_waits",
                "fast_failures",
                "breaker_opened",
                "fallbacks_used",
                "rotations",
            ),
            0,
        )
        self._rate_limit_wait_s = 0.0
        self._last_retry_wait_s = 0.0
        self._last_error = ""
        self._breaker_state: Callable[[], str] = lambda: "closed"

    def bind_breaker_state(self, reader: Callable[[], str]) -> None:
        """Read the breaker state from `reader` at snapshot time."""
        self._breaker_state = reader

    def _bump(self, name: str, by: int = 1) -> None:
        with self._lock:
            self._counts[name] += by

    def count(self, name: str) -> int:
        """The current value of one counter."""
        with self._lock:
            return self._counts[name]

    def request_started(self) -> None:
        """A request is about to go out."""
        self._bump("requests")

    def request_succeeded(self) -> None:
        """The venue answered (even a refusal counts: the venue is up)."""
        self._bump("successes")

    def request_failed(self, error: BaseException) -> None:
        """A request failed in a way that counts against the venue's health."""
        with self._lock:
            self._counts["failures"] += 1
            if isinstance(error, UpstreamTimeoutError):
                self._counts["timeouts"] += 1
            if isinstance(error, RateLimitedError):
                self._counts["rate_limited_responses"] += 1
            if isinstance(error, UpstreamError):
                self._last_error = error.detail[:200]
            else:
                self._last_error = type(error).__name__

    def retry_scheduled(self, wait_s: float) -> None:
        """A failed attempt will be retried after `wait_s` seconds."""
        with self._lock:
            self._counts["retries"] += 1
            self._last_retry_wait_s = wait_s

    def rate_limit_waited(self, wait_s: float) -> None:
        """Our own token bucket made a request wait `wait_s` seconds."""
        with self._lock:
            self._counts["rate_limit_waits"] += 1
            self._rate_limit_wait_s += wait_s

    def failed_fast(self) -> None:
        """The open breaker refused a call without touching the network."""
        self._bump("fast_failures")

    def breaker_opened(self) -> None:
        """The breaker went from closed or half-open to open."""
        self._bump("breaker_opened")

    def fallback_used(self) -> None:
        """A declared fallback served a request this venue could not."""
        self._bump("fallbacks_used")

    def rotated(self) -> None:
        """A failing provider was left for the next one."""
        self._bump("rotations")

    def snapshot(self) -> dict[str, Any]:
        """Every counter, the breaker state and the last error, as plain values."""
        state = self._breaker_state()
        with self._lock:
            return {
                "venue": self.venue,
                "breaker_state": state,
                **self._counts,
                "rate_limit_wait_s": round(self._rate_limit_wait_s, 6),
                "last_retry_wait_s": round(self._last_retry_wait_s, 6),
                "last_error": self._last_error,
            }


class MetricsRegistry:
    """All venue metrics of a process, so /metrics renders them in one place."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._venues: dict[str, VenueMetrics] = {}

    def register(self, metrics: VenueMetrics) -> VenueMetrics:
        """Add (or replace) the metrics of `metrics.venue`."""
        with self._lock:
            self._venues[metrics.venue] = metrics
        return metrics

    def snapshot(self) -> dict[str, Any]:
        """`{venue: venue snapshot}` for every registered venue."""
        with self._lock:
            venues = dict(self._venues)
        return {name: metrics.snapshot() for name, metrics in sorted(venues.items())}
