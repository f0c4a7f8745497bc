"""Every venue client against its fake server, under every fault the simulator injects.

Retries follow the documented schedule (1 s / 2 s / 4 s ± 0.5 s, asserted exactly through
the recording sleep); each breaker opens after 5 consecutive failures, fails fast without
touching the venue, half-opens after 30 s and closes once the venue is back; the counters
the clients expose agree with what the fake servers saw.
"""

from __future__ import annotations

import time as wall
from collections.abc import Callable

import pytest

from tests.adapters_sim.conftest import HookedTime
from tests.adapters_sim.probes import VENUES, expected_backoff, probe
from tests.adapters_sim.venues import SimVenues
from walltrack.adapters.resilience import BreakerState
from walltrack.errors import UpstreamError, VenueUnavailableError
from walltrack.sim.harness import Simulation
from walltrack.sim.servers.faults import FaultInjector

CLIENT_TIMEOUT_S = 0.25
HANG_S = 1.0

type Fault = Callable[[FaultInjector, HookedTime], None]


def _scripted(status: int) -> Fault:
    return lambda faults, _: faults.fail_next(2, status)


def _hang(faults: FaultInjector, _: HookedTime) -> None:
    faults.configure(timeout_s=HANG_S)
    faults.timeout_next(2)


def _slow(faults: FaultInjector, time: HookedTime) -> None:
    faults.configure(latency_s=HANG_S)
    time.during[2] = lambda: faults.configure(latency_s=0.0)


def _outage(style: str) -> Fault:
    def apply(faults: FaultInjector, time: HookedTime) -> None:
        faults.configure(down_style=style)
        faults.go_down()
        time.during[2] = faults.come_up

    return apply


def _always(setting: str) -> Fault:
    def apply(faults: FaultInjector, time: HookedTime) -> None:
        faults.configure(**{setting: 1.0, "timeout_s": HANG_S})
        time.during[2] = faults.reset

    return apply


FAULTS: dict[str, tuple[Fault, str | None]] = {
    "scripted-429": (_scripted(429), "rate_limited_responses"),
    "scripted-500": (_scripted(500), None),
    "scripted-502": (_scripted(502), None),
    "scripted-503": (_scripted(503), None),
    "scripted-timeout": (_hang, "timeouts"),
    "latency-over-timeout": (_slow, "timeouts"),
    "outage-503": (_outage("503"), None),
    "outage-connection-reset": (_outage("reset"), None),
    "random-429-rate": (_always("rate_429"), "rate_limited_responses"),
    "random-5xx-rate": (_always("rate_5xx"), None),
    "random-timeout-rate": (_always("rate_timeout"), "timeouts"),
}
"""Fault name -> (how to inject it for two attempts, the counter that names its kind)."""


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("venue", VENUES)
async def test_two_failures_are_retried_on_the_schedule_then_the_call_succeeds(
    sim: Simulation, venues: SimVenues, time: HookedTime, venue: str, fault: str
) -> None:
    p = probe(venues, venue, timeout_s=CLIENT_TIMEOUT_S, seed=11)
    faults = sim.faults[venue]
    inject, kind_counter = FAULTS[fault]
    inject(faults, time)
    before = faults.requests

    assert await p.call() is not None

    assert faults.requests - before == 3
    assert sum(faults.injected.values()) == (0 if fault.startswith("latency") else 2)
    assert time.sleeps == pytest.approx(expected_backoff(11, retries=2))
    assert p.retry_metrics.count("retries") == 2
    counters = p.guard.metrics.snapshot()
    assert (counters["requests"], counters["failures"], counters["successes"]) == (3, 2, 1)
    if kind_counter is not None:
        assert counters[kind_counter] == 2
    assert counters["last_error"]
    assert p.guard.breaker.state is BreakerState.CLOSED
    assert p.guard.breaker.consecutive_failures == 0


@pytest.mark.parametrize("venue", VENUES)
async def test_a_venue_that_stays_down_fails_after_three_retries(
    sim: Simulation, venues: SimVenues, time: HookedTime, venue: str
) -> None:
    p = probe(venues, venue, seed=3)
    sim.faults[venue].go_down()
    with pytest.raises(UpstreamError) as raised:
        await p.call()
    assert not isinstance(raised.value, VenueUnavailableError)
    assert sim.faults[venue].requests == 4
    assert time.sleeps == pytest.approx(expected_backoff(3))
    for wait, nominal in zip(time.sleeps, (1.0, 2.0, 4.0), strict=True):
        assert nominal - 0.5 <= wait <= nominal + 0.5


@pytest.mark.parametrize("venue", VENUES)
async def test_breaker_opens_after_5_failures_fails_fast_half_opens_and_closes(
    sim: Simulation, venues: SimVenues, time: HookedTime, venue: str
) -> None:
    p = probe(venues, venue)
    faults = sim.faults[venue]
    breaker = p.guard.breaker
    faults.go_down()

    with pytest.raises(UpstreamError):
        await p.call()  # 4 attempts: 4 consecutive failures, still closed
    assert (faults.requests, breaker.state) == (4, BreakerState.CLOSED)
    with pytest.raises(VenueUnavailableError):
        await p.call()  # the 5th failure opens it; the retry after it fails fast
    assert (faults.requests, breaker.state) == (5, BreakerState.OPEN)
    opened_at = time.clock.monotonic() - time.sleeps[-1]
    for _ in range(3):
        with pytest.raises(VenueUnavailableError):
            await p.call()
    assert faults.requests == 5  # fast failures never reach the venue
    assert len(time.sleeps) == 4  # and are not retried

    time.clock.advance(opened_at + 29.9 - time.clock.monotonic())
    with pytest.raises(VenueUnavailableError):
        await p.call()
    time.clock.advance(0.1)
    assert breaker.state is BreakerState.HALF_OPEN
    with pytest.raises(VenueUnavailableError):
        await p.call()  # the trial reaches the venue, fails, and opens the breaker again
    assert (faults.requests, breaker.state) == (6, BreakerState.OPEN)

    time.clock.advance(30.0)
    faults.come_up()
    assert await p.call() is not None
    assert (faults.requests, breaker.state) == (7, BreakerState.CLOSED)
    counters = p.guard.metrics.snapshot()
    assert counters["breaker_state"] == "closed"
    assert counters["breaker_opened"] == 2
    assert counters["fast_failures"] == 6
    assert counters["failures"] == 6
    assert venues.registry.snapshot()[p.guard.venue]["breaker_opened"] == 2


async def test_random_fault_rates_are_accounted_for_by_the_client(
    sim: Simulation, venues: SimVenues
) -> None:
    p = probe(venues, "helius", timeout_s=CLIENT_TIMEOUT_S)
    faults = sim.faults["helius"]
    faults.configure(rate_429=0.15, rate_5xx=0.15, rate_timeout=0.05, timeout_s=HANG_S)
    outcomes = {"ok": 0, "failed": 0}
    for _ in range(40):
        try:
            await p.call()
            outcomes["ok"] += 1
        except UpstreamError:
            outcomes["failed"] += 1
    counters = p.guard.metrics.snapshot()
    injected = faults.injected
    assert min(injected["429"], injected["5xx"], injected["timeout"]) > 0
    assert counters["requests"] == faults.requests
    assert counters["failures"] == sum(injected.values())
    assert counters["successes"] == faults.requests - sum(injected.values())
    assert counters["rate_limited_responses"] == injected["429"]
    assert counters["timeouts"] == injected["timeout"]
    assert counters["retries"] > 0
    assert outcomes["ok"] == counters["successes"]


async def test_added_latency_under_the_timeout_only_slows_calls(
    sim: Simulation, venues: SimVenues, time: HookedTime
) -> None:
    p = probe(venues, "dexscreener")
    sim.faults["dexscreener"].configure(latency_s=0.05, jitter_s=0.05)
    for _ in range(3):
        started = wall.perf_counter()
        await p.call()
        assert wall.perf_counter() - started >= 0.05
    assert time.sleeps == []
    assert p.guard.metrics.count("failures") == 0
