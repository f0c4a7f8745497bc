"""The token buckets hold each venue's documented limit under a burst (manual clock)."""

from __future__ import annotations

import asyncio

import pytest

from tests.adapters.canned_rest import MINT, MarketWorld
from tests.adapters.conftest import Timekeeper
from walltrack.adapters.dexscreener import DEXSCREENER_LIMITS, DexScreenerClient
from walltrack.adapters.helius import HELIUS_RATE_LIMIT
from walltrack.adapters.resilience import BucketExhaustedError, RateLimit, TokenBucket


def max_in_window(times: list[float], window_s: float) -> int:
    """The most events inside any half-open window [t, t + window_s)."""
    ordered = sorted(times)
    best = 0
    for i, start in enumerate(ordered):
        inside = [t for t in ordered[i:] if t < start + window_s - 1e-9]
        best = max(best, len(inside))
    return best


@pytest.mark.parametrize(
    "limit",
    [HELIUS_RATE_LIMIT, DEXSCREENER_LIMITS["profiles"], DEXSCREENER_LIMITS["pairs"]],
    ids=["helius-10/s", "dexscreener-60/min", "dexscreener-300/min"],
)
async def test_sequential_burst_never_exceeds_the_limit(time: Timekeeper, limit: RateLimit) -> None:
    bucket = TokenBucket(limit, clock=time.clock, sleep=time.sleep)
    grants = []
    for _ in range(limit.limit * 3):
        await bucket.acquire()
        grants.append(time.clock.monotonic())
    assert max_in_window(grants, limit.window_s) <= limit.limit
    # ...and it is not needlessly slow: 3 windows' worth takes at most ~3.4 windows.
    assert grants[-1] <= 3.4 * limit.window_s


async def test_concurrent_callers_queue_at_the_refill_rate(time: Timekeeper) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    limit = RateLimit(limit=10, window_s=1.0, burst=4)
    bucket = TokenBucket(limit, clock=time.clock, sleep=record)
    await asyncio.gather(*(bucket.acquire() for _ in range(10)))
    step = 1 / limit.refill_per_s
    assert waits == pytest.approx([step * n for n in range(1, 7)])


async def test_bucket_refuses_rather_than_wait_too_long(time: Timekeeper) -> None:
    bucket = TokenBucket(
        RateLimit(limit=2, window_s=1.0, burst=1),
        clock=time.clock,
        sleep=time.sleep,
        max_wait_s=0.5,
    )
    await bucket.acquire()
    with pytest.raises(BucketExhaustedError):
        await bucket.acquire()
    time.clock.advance(1.0)
    await bucket.acquire()


async def test_dexscreener_burst_against_the_fake_holds_60_per_minute(fake, time, http) -> None:
    world = MarketWorld()
    world.install_dexscreener(fake)
    fake.stamp = time.clock.monotonic
    client = DexScreenerClient(
        base_url=fake.base_url, client=http, guard=time.guard("dexscreener", DEXSCREENER_LIMITS)
    )
    for _ in range(150):
        await client.latest_token_profiles()
    before = time.clock.monotonic()
    await client.pairs_for_token(MINT)  # the 300/min bucket is untouched by profile calls
    assert time.clock.monotonic() == before
    seen_at = [r.at for r in fake.hits("/token-profiles")]
    assert len(seen_at) == 150
    assert max_in_window(seen_at, 60.0) <= 60
    snapshot = client.guard.metrics.snapshot()
    assert snapshot["rate_limit_waits"] > 0
    assert snapshot["rate_limit_wait_s"] > 60
