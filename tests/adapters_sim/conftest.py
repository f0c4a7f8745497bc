"""Fixtures for the adapters-against-the-simulator tests.

Every venue client is pointed at the simulator's fake servers on loopback; every wait the
clients make (retry backoff, token buckets, breaker timers) goes through a ManualClock and
a recording sleep, so the tests assert the exact schedule and never sleep for real.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from tests.adapters.conftest import Timekeeper
from tests.adapters_sim.venues import SimVenues
from tests.sim.conftest import still_config
from walltrack.sim.harness import Simulation, start_simulation


class HookedTime(Timekeeper):
    """A Timekeeper that can act during a given wait: "the venue comes back meanwhile"."""

    def __init__(self) -> None:
        super().__init__()
        self.during: dict[int, Callable[[], Awaitable[None] | None]] = {}

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds)
        action = self.during.pop(len(self.sleeps), None)
        result = action() if action is not None else None
        if inspect.isawaitable(result):
            await result


@pytest.fixture
def time() -> HookedTime:
    """A ManualClock and a sleep that records each wait and advances that clock."""
    return HookedTime()


@pytest.fixture
async def sim() -> AsyncIterator[Simulation]:
    """A still world (it moves only when a test advances it), five minutes old, no faults."""
    async with start_simulation(still_config(warmup_s=300.0)) as running:
        yield running


@pytest.fixture
async def old_sim() -> AsyncIterator[Simulation]:
    """The same world 25 minutes old: tens of thousands of transactions of history."""
    async with start_simulation(still_config(warmup_s=1500.0)) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """One connection pool shared by the clients of a test, as a process would have."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0)) as client:
        yield client


@pytest.fixture
def venues(sim: Simulation, time: HookedTime, http: httpx.AsyncClient) -> SimVenues:
    """Builders of every venue client, aimed at `sim`, waiting on `time`."""
    return SimVenues(sim, time, http)


@pytest.fixture
def old_venues(old_sim: Simulation, time: HookedTime, http: httpx.AsyncClient) -> SimVenues:
    """Builders of every venue client, aimed at `old_sim`."""
    return SimVenues(old_sim, time, http)
