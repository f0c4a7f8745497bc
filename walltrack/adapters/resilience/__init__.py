"""Resilience shared by every venue client: breaker, token bucket, retries, metrics."""

from walltrack.adapters.resilience.breaker import BreakerState, CircuitBreaker
from walltrack.adapters.resilience.guard import DEFAULT_BUCKET, VenueGuard, build_guard
from walltrack.adapters.resilience.limiter import (
    BucketExhaustedError,
    RateLimit,
    Sleep,
    TokenBucket,
)
from walltrack.adapters.resilience.metrics import MetricsRegistry, VenueMetrics
from walltrack.adapters.resilience.retry import RetryPolicy, is_retryable

__all__ = [
    "DEFAULT_BUCKET",
    "BreakerState",
    "BucketExhaustedError",
    "CircuitBreaker",
    "MetricsRegistry",
    "RateLimit",
    "RetryPolicy",
    "Sleep",
    "TokenBucket",
    "VenueGuard",
    "VenueMetrics",
    "build_guard",
    "is_retryable",
]
