"""Fixtures for the venue-adapter tests: a manual clock, a recording sleep, fake venues."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime

import httpx
import pytest

from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.resilience import RateLimit, VenueGuard, build_guard
from walltrack.clock import ManualClock

START = datetime(2025, 10, 24, 12, 0, tzinfo=UTC)
GENEROUS = RateLimit(limit=100_000, window_s=1.0)


class Timekeeper:
    """A ManualClock plus a sleep that records the wait and advances the clock instantly."""

    def __init__(self) -> None:
        self.clock = ManualClock(START)
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(seconds)

    def guard(
        self,
        venue: str,
        limits: Mapping[str, RateLimit] | RateLimit = GENEROUS,
        *,
        seed: int = 7,
    ) -> VenueGuard:
        """A guard on this clock: waits are recorded, never slept for real."""
        return build_guard(
            venue, limits, clock=self.clock, sleep=self.sleep, rng=random.Random(seed)
        )


@pytest.fixture
def time() -> Timekeeper:
    return Timekeeper()


@pytest.fixture
async def fake() -> AsyncIterator[FakeVenue]:
    venue = FakeVenue()
    await venue.start()
    yield venue
    await venue.close()


@pytest.fixture
async def fake2() -> AsyncIterator[FakeVenue]:
    venue = FakeVenue()
    await venue.start()
    yield venue
    await venue.close()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    client = httpx.AsyncClient(timeout=httpx.Timeout(2.0))
    yield client
    await client.aclose()
