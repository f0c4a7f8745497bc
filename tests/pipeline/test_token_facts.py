"""Token figures for the scorer: the tokens table first, DexScreener within a time bound.

Against the simulator's DexScreener; the scorer's thread is played by `to_thread`, the
venue client lives on the test's loop, as it would on the process's venue loop.
"""

from __future__ import annotations

import asyncio
import time as wallclock
from decimal import Decimal

from tests.adapters_sim.conftest import (  # noqa: F401 - fixtures
    http,
    old_sim,
    old_venues,
    sim,
    time,
    venues,
)
from tests.adapters_sim.venues import SimVenues
from tests.pipeline.kit import open_stores, seed_token
from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.token_facts import StoredTokenFacts
from walltrack.domain.venues import TokenPair
from walltrack.sim.harness import Simulation


async def test_venue_figures_for_an_unknown_token_and_the_table_first(
    pg_dsn: str,
    old_sim: Simulation,  # noqa: F811 - the fixture (old enough for graduated tokens)
    old_venues: SimVenues,  # noqa: F811 - the fixture
) -> None:
    market, dex = old_sim.world.market, old_venues.dexscreener()
    loop = asyncio.get_running_loop()
    stores = open_stores(pg_dsn)
    try:
        facts = StoredTokenFacts(stores.tokens, dex, loop, timeout_s=5.0)
        fresh, pairs = await _liquid_token(dex, [t.mint for t in market.token_list])
        stored = next(t.mint for t in market.token_list if t.mint != fresh)
        found = await asyncio.to_thread(facts.facts, fresh)
        assert found is not None
        assert found.liquidity_usd == sum(
            (p.liquidity_usd for p in pairs if p.liquidity_usd is not None), Decimal(0)
        )
        assert found.liquidity_usd > 0
        assert found.holder_count is None  # DexScreener does not say; the table will

        seed_token(stores, stored)
        from_table = await asyncio.to_thread(facts.facts, stored)
        assert from_table is not None
        assert from_table.liquidity_usd == Decimal(40_000)
        assert from_table.holder_count == 800
    finally:
        stores.close()


async def _liquid_token(dex: DexScreenerClient, mints: list[str]) -> tuple[str, list[TokenPair]]:
    """A token with a pool that reports liquidity (bonding curves report none)."""
    for mint in mints:
        pairs = list(await dex.pairs_for_token(mint))
        if any(p.liquidity_usd for p in pairs):
            return mint, pairs
    raise AssertionError("no token of the simulated market has a liquid pool")


async def test_a_slow_venue_costs_the_scorer_the_timeout_not_more(
    pg_dsn: str,
    sim: Simulation,  # noqa: F811 - the fixture
    venues: SimVenues,  # noqa: F811 - the fixture
) -> None:
    dex = venues.dexscreener()
    stores = open_stores(pg_dsn)
    try:
        facts = StoredTokenFacts(stores.tokens, dex, asyncio.get_running_loop(), timeout_s=0.3)
        sim.faults["dexscreener"].configure(latency_s=3.0)
        mint = sim.world.market.token_list[0].mint
        began = wallclock.monotonic()
        found = await asyncio.to_thread(facts.facts, mint)
        waited = wallclock.monotonic() - began
        assert found is None  # unknown: the token factor scores it 0, the gate skips it
        assert waited < 2.0
    finally:
        stores.close()


async def test_a_bonding_curve_token_takes_its_liquidity_from_the_price_source(
    pg_dsn: str,
    sim: Simulation,  # noqa: F811 - the fixture
    venues: SimVenues,  # noqa: F811 - the fixture
) -> None:
    dex, birdeye = venues.dexscreener(), venues.birdeye()
    curve_mint = None
    for token in sim.world.market.token_list:
        pairs = await dex.pairs_for_token(token.mint)
        if pairs and not any(p.liquidity_usd for p in pairs):
            curve_mint = token.mint
            break
    assert curve_mint is not None, "no token on its bonding curve"
    stores = open_stores(pg_dsn)
    try:
        loop = asyncio.get_running_loop()
        plain = StoredTokenFacts(stores.tokens, dex, loop, timeout_s=5.0)
        with_prices = StoredTokenFacts(stores.tokens, dex, loop, prices=birdeye, timeout_s=5.0)
        without = await asyncio.to_thread(plain.facts, curve_mint)
        found = await asyncio.to_thread(with_prices.facts, curve_mint)
    finally:
        stores.close()
    assert without is not None
    assert without.liquidity_usd is None  # the liquidity gate would skip every curve buy
    assert found is not None
    quote = await birdeye.price(curve_mint)
    assert quote is not None
    assert found.liquidity_usd == quote.liquidity_usd
    assert found.liquidity_usd is not None
    assert found.liquidity_usd > 0
    assert found.market_cap_usd == without.market_cap_usd
