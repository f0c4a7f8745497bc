"""What the venue clients did against the simulator is visible on the /metrics page:
rate-limit waits, retries, rotations, fallbacks and each breaker's state, per venue.
"""

from __future__ import annotations

import pytest

from tests.adapters_sim.conftest import HookedTime
from tests.adapters_sim.venues import SimVenues
from walltrack.adapters.resilience import RateLimit
from walltrack.adapters.webhook.metrics_api import write_venues
from walltrack.adapters.webhook.prometheus import TextWriter
from walltrack.errors import UpstreamError
from walltrack.sim.harness import Simulation


def _samples(text: str) -> dict[str, float]:
    """`name{labels}` -> value for every sample line of a Prometheus text page."""
    rows = (line.rsplit(" ", 1) for line in text.splitlines() if line and line[0] != "#")
    return {key: float(value) for key, value in rows}


async def test_waits_retries_rotations_fallbacks_and_breakers_show_on_the_page(
    sim: Simulation, venues: SimVenues, time: HookedTime
) -> None:
    mint = sim.world.market.token_list[0].mint
    helius = venues.helius(limits=RateLimit(limit=10, window_s=1.0))
    for _ in range(3):
        await helius.list_webhooks()  # the 2nd and 3rd wait for the bucket
    sim.faults["helius"].fail_next(1, 503)
    await helius.list_webhooks()  # waits too, then fails once and is retried
    rpc = venues.rpc()
    sim.faults["rpc-0"].go_down()
    await rpc.get_latest_blockhash()  # one rotation
    dex = venues.dexscreener()
    prices = venues.prices(dex, venues.birdeye())
    sim.faults["dexscreener"].go_down()
    for _ in range(2):
        await prices.price(mint)  # DexScreener's breaker opens; Birdeye answers
    jupiter = venues.jupiter()
    sim.faults["jupiter"].go_down()
    with pytest.raises(UpstreamError):
        await jupiter.prices([mint])  # three retries, then the error

    out = TextWriter()
    write_venues(out, venues.registry.snapshot())
    page = _samples(out.text())

    assert page['walltrack_venue_rate_limit_waits_total{venue="helius"}'] == 3
    assert page['walltrack_venue_rate_limit_wait_seconds_total{venue="helius"}'] > 0
    assert page['walltrack_venue_retries_total{venue="helius"}'] == 1
    assert page['walltrack_venue_rotations_total{venue="solana_rpc"}'] == 1
    assert page['walltrack_venue_failures_total{venue="solana_rpc#0"}'] == 1
    assert page['walltrack_venue_fallbacks_used_total{venue="prices"}'] == 2
    assert page['walltrack_venue_breaker_state{venue="dexscreener",state="open"}'] == 1
    assert page['walltrack_venue_breaker_state{venue="dexscreener",state="closed"}'] == 0
    assert page['walltrack_venue_breaker_state{venue="helius",state="closed"}'] == 1
    assert page['walltrack_venue_retries_total{venue="jupiter"}'] == 3
    assert page['walltrack_venue_last_retry_wait_seconds{venue="jupiter"}'] == pytest.approx(
        time.sleeps[-1], abs=1e-6
    )
