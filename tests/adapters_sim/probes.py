"""One representative call per venue client, with the guard that protects it.

Why: the resilience behaviour (retries, breaker, counters) must hold for every client
against its own fake server, so the fault tests run the same scenario over each venue.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tests.adapters_sim.venues import SimVenues
from walltrack.adapters.resilience import VenueGuard, VenueMetrics
from walltrack.sim.constants import WSOL_MINT

VENUES = ("helius", "rpc-0", "jupiter", "dexscreener", "birdeye")
"""Fault-injector names of the venues with a client (the webhook pusher has none)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Probe:
    """A call to one venue, the guard it goes through and where retries are counted."""

    venue: str
    call: Callable[[], Awaitable[object]]
    guard: VenueGuard
    retry_metrics: VenueMetrics


def expected_backoff(seed: int, retries: int = 3) -> list[float]:
    """The documented schedule 1 s / 2 s / 4 s, each ±0.5 s, as the seeded guard draws it."""
    rng = random.Random(seed)
    return [nominal + rng.uniform(-0.5, 0.5) for nominal in (1.0, 2.0, 4.0)][:retries]


def probe(venues: SimVenues, venue: str, *, timeout_s: float = 5.0, seed: int = 7) -> Probe:
    """The probe of `venue` (an entry of VENUES)."""
    market = venues.sim.world.market
    mint = market.token_list[-1].mint
    if venue == "helius":
        helius = venues.helius(timeout_s=timeout_s, seed=seed)
        return Probe(
            venue=venue,
            call=helius.list_webhooks,
            guard=helius.guard,
            retry_metrics=helius.guard.metrics,
        )
    if venue == "rpc-0":
        rpc = venues.rpc(venues.sim.endpoints.rpc_urls[:1], timeout_s=timeout_s, seed=seed)
        wallet = next(iter(venues.sim.world.ctx.roles.smart))
        return Probe(
            venue=venue,
            call=lambda: rpc.get_balance(wallet),
            guard=rpc.providers[0].guard,
            retry_metrics=rpc.metrics,
        )
    if venue == "jupiter":
        jupiter = venues.jupiter(timeout_s=timeout_s, seed=seed)
        return Probe(
            venue=venue,
            call=lambda: jupiter.quote(input_mint=WSOL_MINT, output_mint=mint, amount=10**8),
            guard=jupiter.guard,
            retry_metrics=jupiter.guard.metrics,
        )
    if venue == "dexscreener":
        dex = venues.dexscreener(timeout_s=timeout_s, seed=seed)
        return Probe(
            venue=venue,
            call=lambda: dex.pairs_for_token(mint),
            guard=dex.guard,
            retry_metrics=dex.guard.metrics,
        )
    if venue == "birdeye":
        birdeye = venues.birdeye(timeout_s=timeout_s, seed=seed)
        return Probe(
            venue=venue,
            call=lambda: birdeye.price(mint),
            guard=birdeye.guard,
            retry_metrics=birdeye.guard.metrics,
        )
    msg = f"no probe for venue {venue!r}"
    raise ValueError(msg)
