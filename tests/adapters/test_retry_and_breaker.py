"""Retries follow the documented schedule; the breaker opens, fails fast, half-opens, closes."""

from __future__ import annotations

import random

import httpx
import pytest

from tests.adapters.conftest import GENEROUS, Timekeeper
from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.resilience import (
    BreakerState,
    CircuitBreaker,
    RateLimit,
    RetryPolicy,
    VenueGuard,
    build_guard,
)
from walltrack.adapters.venue_http import VenueHttp
from walltrack.errors import (
    RejectedByVenueError,
    UpstreamError,
    UpstreamTimeoutError,
    VenueUnavailableError,
)


def expected_schedule(seed: int) -> list[float]:
    rng = random.Random(seed)
    return [nominal + rng.uniform(-0.5, 0.5) for nominal in (1.0, 2.0, 4.0)]


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 1234])
def test_backoff_is_1_2_4_seconds_with_half_second_jitter(seed: int) -> None:
    policy = RetryPolicy(rng=random.Random(seed))
    waits = [policy.backoff(n) for n in (1, 2, 3)]
    assert waits == pytest.approx(expected_schedule(seed))
    for wait, nominal in zip(waits, (1.0, 2.0, 4.0), strict=True):
        assert nominal - 0.5 <= wait <= nominal + 0.5


def test_jitter_varies_between_clients() -> None:
    first = RetryPolicy(rng=random.Random(1)).backoff(1)
    second = RetryPolicy(rng=random.Random(2)).backoff(1)
    assert first != second


def route_ok(fake: FakeVenue) -> None:
    fake.route("GET", r"/thing", lambda r, m: {"ok": True})


def venue_http(fake: FakeVenue, http: httpx.AsyncClient, timeout_s: float = 2.0) -> VenueHttp:
    return VenueHttp("testvenue", fake.base_url, client=http, timeout_s=timeout_s)


async def call(guard: VenueGuard, api: VenueHttp) -> object:
    return await guard.call(lambda: api.request_json("GET", "/thing"))


async def test_5xx_is_retried_on_the_schedule_then_raised(fake, time, http) -> None:
    route_ok(fake)
    fake.inject("status", status=503, times=10)
    guard = time.guard("testvenue", seed=42)
    with pytest.raises(UpstreamError, match="HTTP 503"):
        await call(guard, venue_http(fake, http))
    assert len(fake.hits("/thing")) == 4  # the first try and 3 retries
    assert time.sleeps == pytest.approx(expected_schedule(42))
    snapshot = guard.metrics.snapshot()
    assert snapshot["retries"] == 3
    assert snapshot["failures"] == 4
    assert snapshot["last_retry_wait_s"] == pytest.approx(expected_schedule(42)[2], abs=1e-6)


async def test_recovery_after_two_failures(fake, time, http) -> None:
    route_ok(fake)
    fake.inject("status", status=502, times=2)
    guard = time.guard("testvenue", seed=3)
    assert await call(guard, venue_http(fake, http)) == {"ok": True}
    assert time.sleeps == pytest.approx(expected_schedule(3)[:2])
    assert guard.breaker.state is BreakerState.CLOSED


async def test_timeouts_and_dropped_connections_are_retried(fake, time, http) -> None:
    route_ok(fake)
    fake.inject("hang", times=1)
    fake.inject("drop", times=1)
    guard = time.guard("testvenue")
    assert await call(guard, venue_http(fake, http, timeout_s=0.2)) == {"ok": True}
    assert len(time.sleeps) == 2
    assert guard.metrics.count("timeouts") == 1


async def test_timeout_error_type(fake, time, http) -> None:
    route_ok(fake)
    fake.inject("hang", times=4)
    with pytest.raises(UpstreamTimeoutError):
        await call(time.guard("testvenue"), venue_http(fake, http, timeout_s=0.1))


async def test_refusals_are_not_retried(fake, time, http) -> None:
    fake.route("GET", r"/thing", lambda r, m: (400, {"error": "bad"}))
    guard = time.guard("testvenue")
    with pytest.raises(RejectedByVenueError):
        await call(guard, venue_http(fake, http))
    assert time.sleeps == []
    assert guard.breaker.consecutive_failures == 0


def no_retry_guard(time: Timekeeper) -> VenueGuard:
    return build_guard("testvenue", GENEROUS, clock=time.clock, sleep=time.sleep, retries=0)


async def test_breaker_opens_after_5_failures_and_fails_fast(fake, time, http) -> None:
    route_ok(fake)
    fake.down = True
    guard = no_retry_guard(time)
    api = venue_http(fake, http)
    for _ in range(5):
        with pytest.raises(UpstreamError):
            await call(guard, api)
    assert guard.breaker.state is BreakerState.OPEN
    with pytest.raises(VenueUnavailableError):
        await call(guard, api)
    assert len(fake.hits()) == 5  # the sixth call never reached the venue
    snapshot = guard.metrics.snapshot()
    assert snapshot["breaker_state"] == "open"
    assert snapshot["breaker_opened"] == 1
    assert snapshot["fast_failures"] == 1


async def test_breaker_half_opens_after_30s_and_closes_on_success(fake, time, http) -> None:
    route_ok(fake)
    fake.down = True
    guard = no_retry_guard(time)
    api = venue_http(fake, http)
    for _ in range(5):
        with pytest.raises(UpstreamError):
            await call(guard, api)
    time.clock.advance(29.9)
    with pytest.raises(VenueUnavailableError):
        await call(guard, api)
    time.clock.advance(0.1)
    assert guard.breaker.state is BreakerState.HALF_OPEN
    fake.down = False
    assert await call(guard, api) == {"ok": True}
    assert guard.breaker.state is BreakerState.CLOSED
    assert guard.metrics.snapshot()["breaker_state"] == "closed"


async def test_failed_trial_reopens_for_another_30s(fake, time, http) -> None:
    route_ok(fake)
    fake.down = True
    guard = no_retry_guard(time)
    api = venue_http(fake, http)
    for _ in range(5):
        with pytest.raises(UpstreamError):
            await call(guard, api)
    time.clock.advance(30)
    with pytest.raises(UpstreamError) as caught:
        await call(guard, api)  # the trial goes out and fails
    assert not isinstance(caught.value, VenueUnavailableError)
    assert guard.breaker.state is BreakerState.OPEN
    assert guard.metrics.count("breaker_opened") == 2
    time.clock.advance(15)
    with pytest.raises(VenueUnavailableError):
        await call(guard, api)
    assert len(fake.hits()) == 6


async def test_retries_stop_when_the_breaker_opens(fake, time, http) -> None:
    route_ok(fake)
    fake.down = True
    guard = time.guard("testvenue")
    api = venue_http(fake, http)
    with pytest.raises(UpstreamError):
        await call(guard, api)  # 4 failures
    with pytest.raises(VenueUnavailableError):
        await call(guard, api)  # 5th failure opens it; the retry then fails fast
    assert len(fake.hits()) == 5
    assert len(time.sleeps) == 4  # 3 + 1; no waiting once the breaker is open


def test_half_open_lets_exactly_one_trial_through(time) -> None:
    breaker = CircuitBreaker("v", clock=time.clock, failure_threshold=5, open_seconds=30)
    for _ in range(5):
        breaker.record_failure()
    time.clock.advance(30)
    breaker.before_call()
    with pytest.raises(VenueUnavailableError):
        breaker.before_call()
    breaker.record_abandoned()  # the trial was cancelled: another may go
    breaker.before_call()
    breaker.record_success()
    breaker.before_call()
    assert breaker.state is BreakerState.CLOSED


def test_a_success_resets_the_failure_count(time) -> None:
    breaker = CircuitBreaker("v", clock=time.clock)
    for _ in range(4):
        breaker.record_failure()
    breaker.record_success()
    for _ in range(4):
        breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


async def test_operator_reset_closes_an_open_breaker(time) -> None:
    guard = build_guard("v", RateLimit(limit=10, window_s=1.0), clock=time.clock, sleep=time.sleep)
    for _ in range(5):
        guard.breaker.record_failure()
    guard.breaker.reset()
    assert guard.breaker.state is BreakerState.CLOSED


async def test_added_latency_within_the_timeout_is_not_a_failure(fake, time, http) -> None:
    route_ok(fake)
    fake.inject("latency", seconds=0.05)
    guard = time.guard("testvenue")
    assert await call(guard, venue_http(fake, http, timeout_s=1.0)) == {"ok": True}
    assert time.sleeps == []
    assert guard.metrics.count("failures") == 0


async def test_added_latency_beyond_the_timeout_is_retried(fake, time, http) -> None:
    route_ok(fake)
    fake.inject("latency", seconds=0.3)
    guard = time.guard("testvenue")
    assert await call(guard, venue_http(fake, http, timeout_s=0.1)) == {"ok": True}
    assert len(time.sleeps) == 1
    assert guard.metrics.count("timeouts") == 1
