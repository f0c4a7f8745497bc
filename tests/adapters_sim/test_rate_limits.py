"""Rate limits hold under a burst against the fake venues.

On the manual clock the schedule is exact: a burst through the Helius client never sends
more than 10 requests in any second, and DexScreener's profile calls never more than 60 in
any minute while its pair calls (300/min bucket) do not queue behind them. In real time,
a burst through a limited Jupiter client meets the fake venue's own limit with no 429,
while the same burst without the client's limit is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.adapters_sim.conftest import HookedTime
from tests.adapters_sim.venues import SimVenues
from walltrack.adapters.dexscreener import DEXSCREENER_LIMITS
from walltrack.adapters.helius import HELIUS_RATE_LIMIT
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.resilience import RateLimit, build_guard
from walltrack.errors import RateLimitedError
from walltrack.sim.harness import Simulation


def max_in_window(times: list[float], window_s: float) -> int:
    """The most events inside any half-open window [t, t + window_s)."""
    ordered = sorted(times)
    return max(
        sum(1 for t in ordered[i:] if t < start + window_s - 1e-9)
        for i, start in enumerate(ordered)
    )


@pytest.fixture
async def stamped(time: HookedTime) -> AsyncIterator[tuple[httpx.AsyncClient, list[float]]]:
    """An HTTP client that notes the manual-clock time at which each request leaves."""
    sent: list[float] = []

    async def note(_: httpx.Request) -> None:
        sent.append(time.clock.monotonic())

    async with httpx.AsyncClient(timeout=5.0, event_hooks={"request": [note]}) as client:
        yield client, sent


async def test_a_helius_burst_never_exceeds_10_per_second(
    sim: Simulation, time: HookedTime, stamped: tuple[httpx.AsyncClient, list[float]]
) -> None:
    client, sent = stamped
    helius = SimVenues(sim, time, client).helius(limits=HELIUS_RATE_LIMIT)
    wallets = list(sim.world.ctx.roles.smart)[:5]
    burst = [helius.transactions_for_address(wallets[i % 5], limit=5) for i in range(45)]
    pages = await asyncio.gather(*burst)
    assert all(pages)
    assert len(sent) == sim.faults["helius"].requests == 45
    assert max_in_window(sent, 1.0) <= 10
    assert sent[-1] - sent[0] <= 45 / 9  # queued at the refill rate, not slower
    counters = helius.guard.metrics.snapshot()
    assert counters["rate_limit_waits"] == 45 - HELIUS_RATE_LIMIT.capacity
    assert counters["rate_limit_wait_s"] > 0
    assert counters["failures"] == 0


async def test_dexscreener_buckets_hold_60_and_300_per_minute_separately(
    sim: Simulation, time: HookedTime, stamped: tuple[httpx.AsyncClient, list[float]]
) -> None:
    client, sent = stamped
    dex = SimVenues(sim, time, client).dexscreener(limits=DEXSCREENER_LIMITS)
    mint = sim.world.market.token_list[0].mint
    await asyncio.gather(*(dex.latest_boosts() for _ in range(130)))
    assert max_in_window(sent, 60.0) <= 60
    profiles_done = time.clock.monotonic()
    assert profiles_done > 60.0  # 130 profile calls cannot fit in one minute

    sent.clear()
    await asyncio.gather(*(dex.pairs_for_token(mint) for _ in range(30)))
    assert time.clock.monotonic() == profiles_done  # the pairs bucket had room: no wait
    await asyncio.gather(*(dex.pairs_for_token(mint) for _ in range(400)))
    assert max_in_window(sent, 60.0) <= 300
    assert sim.faults["dexscreener"].requests == 130 + 30 + 400


def _jupiter(sim: Simulation, http: httpx.AsyncClient, limit: RateLimit) -> JupiterClient:
    guard = build_guard("jupiter", limit, retries=0)
    return JupiterClient(base_url=sim.endpoints.jupiter_base_url, client=http, guard=guard)


async def test_a_real_time_burst_meets_the_venue_limit_without_a_429(
    sim: Simulation, http: httpx.AsyncClient
) -> None:
    """The fake Jupiter refuses beyond 10 requests per second; the client sends 6/s."""
    faults = sim.faults["jupiter"]
    faults.configure(rate_limit_per_s=10)
    mints = [t.mint for t in sim.world.market.token_list]

    limited = _jupiter(sim, http, RateLimit(limit=6, window_s=1.0, burst=1))
    answers = await asyncio.gather(*(limited.prices(mints) for _ in range(12)))
    assert all(answers)
    assert faults.requests == 12
    assert not faults.injected  # not one 429
    assert limited.guard.metrics.count("rate_limit_waits") == 11

    # The control: the same venue refuses a burst from a client without the limit.
    unlimited = _jupiter(sim, http, RateLimit(limit=10_000, window_s=1.0, burst=10_000))
    refused = await asyncio.gather(
        *(unlimited.prices(mints) for _ in range(20)), return_exceptions=True
    )
    assert sum(isinstance(r, RateLimitedError) for r in refused) >= 10
    assert faults.injected["rate_limited"] >= 10
