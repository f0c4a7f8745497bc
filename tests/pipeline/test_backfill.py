"""The backfill recovers what the webhooks missed, against the simulated chain.

The simulator's world trades; the test plays Helius for half of the tracked wallets'
swaps (parsed and handed to the ingress as the webhook receiver would) and lets the
others go missing. One backfill pass over RPC signatures + Helius parsing recovers every
swap; the ones that had arrived by webhook are dropped by signature, so each buy becomes
exactly one stored signal and each sell one mirror-exit notice.
"""

from __future__ import annotations

import asyncio

from actors.names import BACKFILL, INGRESS
from actors.pipeline_messages import GetStats, RunBackfill
from tests.adapters_sim.conftest import http, sim, time, venues  # noqa: F401 - fixtures
from tests.adapters_sim.venues import SimVenues
from tests.pipeline.kit import pipeline
from walltrack.adapters.swap_backfill import PolledSwaps
from walltrack.domain.swaps import Swap, classify_swap
from walltrack.sim.events import SwapEvent
from walltrack.sim.harness import Simulation


def _tracked(world: Simulation) -> list[str]:
    roles = world.world.ctx.roles
    return sorted({*roles.smart, *(m for c in roles.clusters for m in c.members)})


async def test_backfill_recovers_missed_swaps_without_duplicating_webhook_ones(
    pg_dsn: str,
    sim: Simulation,  # noqa: F811 - the fixture
    venues: SimVenues,  # noqa: F811 - the fixture
) -> None:
    tracked = _tracked(sim)
    helius = venues.helius()
    source = PolledSwaps(venues.rpc(), helius.parse_transactions, page_size=50)
    loop = asyncio.get_running_loop()
    with pipeline(pg_dsn, tracked=tracked, recent_swaps=source, venue_loop=loop) as p:
        assert await asyncio.to_thread(p.ask, BACKFILL, RunBackfill()) == 0  # the baseline

        start = sim.world.market.next_seq
        await sim.advance(300.0)
        events = [
            e
            for e in sim.world.market.events_since(start)
            if type(e) is SwapEvent and e.wallet in set(tracked)
        ]
        assert len(events) > 20
        buys = {e.signature for e in events if e.is_buy}
        sells = {e.signature for e in events if not e.is_buy}
        assert buys
        assert sells

        # Helius delivered every other swap; the rest were dropped after its retries.
        delivered = [e.signature for e in events[::2]]
        for tx in await helius.parse_transactions(delivered):
            for wallet in tracked:
                found = classify_swap(tx, wallet)
                if isinstance(found, Swap):
                    p.submit(found)

        recovered = await asyncio.to_thread(p.ask, BACKFILL, RunBackfill())
        assert recovered == len(events)  # the backfill cannot know what the webhook brought
        await asyncio.to_thread(p.wait_told, len(buys))
        await asyncio.to_thread(p.drain, tracked)

        stored = p.signals()
        assert sorted(s.tx_signature or "" for s in stored) == sorted(buys)
        assert {s.swap.signature for s in p.sold} == sells
        assert len(p.sold) == len(sells)
        stats = await asyncio.to_thread(p.ask, INGRESS, GetStats())
        assert stats["duplicates"] == len(delivered)
        assert stats["routed"] == len(events)
        assert stats["dropped_untracked"] == 0


async def test_a_restarted_backfill_resumes_where_it_stopped(
    sim: Simulation,  # noqa: F811 - the fixture
    venues: SimVenues,  # noqa: F811 - the fixture
) -> None:
    tracked = set(_tracked(sim))
    helius, rpc = venues.helius(), venues.rpc()
    first = PolledSwaps(rpc, helius.parse_transactions, page_size=50)
    assert await first.recover(sorted(tracked)) == ()  # the baseline
    await sim.advance(120.0)
    before = {s.signature for s in await first.recover(sorted(tracked))}
    assert before

    # What the actor's snapshot kept; a new incarnation starts from it.
    resumed = PolledSwaps(rpc, helius.parse_transactions, page_size=50)
    resumed.resume(first.progress())
    start = sim.world.market.next_seq
    await sim.advance(120.0)
    after = {s.signature for s in await resumed.recover(sorted(tracked))}
    made = {
        e.signature
        for e in sim.world.market.events_since(start)
        if type(e) is SwapEvent and e.wallet in tracked
    }
    assert made
    assert after == made  # nothing replayed, nothing skipped
    assert not after & before
