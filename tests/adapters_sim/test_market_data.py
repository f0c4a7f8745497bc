"""DexScreener and Birdeye against the simulator, and the declared price fallback:
DexScreener down (or its breaker open) -> Birdeye answers, counted in the metrics.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.adapters_sim.conftest import HookedTime
from tests.adapters_sim.probes import expected_backoff
from tests.adapters_sim.venues import SimVenues
from walltrack.adapters.resilience import BreakerState
from walltrack.domain.venues import SOL_MINT
from walltrack.errors import UpstreamError
from walltrack.sim.harness import Simulation


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    assert a is not None
    assert b is not None
    return abs(a - b) <= b * Decimal("0.001")


async def test_profiles_boosts_pairs_and_search(sim: Simulation, venues: SimVenues) -> None:
    dex = venues.dexscreener()
    market = sim.world.market
    known = {t.mint for t in market.token_list}
    for feed in (dex.latest_token_profiles, dex.latest_boosts, dex.top_boosts):
        profiles = await feed()
        assert profiles
        assert all(p.chain_id == "solana" and p.token_address in known for p in profiles)

    token = market.token_list[0]
    pairs = await dex.pairs_for_token(token.mint)
    assert pairs
    assert {p.base_token.address for p in pairs} == {token.mint}
    assert all(p.quote_token.address == SOL_MINT for p in pairs)
    assert (await dex.pair(pairs[0].pair_address)) == pairs[0]
    found = await dex.search_pairs(token.symbol)
    assert token.mint in {p.base_token.address for p in found}
    main_pairs = await dex.pairs_for_tokens([t.mint for t in market.token_list])
    assert {p.base_token.address for p in main_pairs} == known


async def test_dexscreener_and_birdeye_price_the_same_world(
    sim: Simulation, venues: SimVenues
) -> None:
    dex, birdeye = venues.dexscreener(), venues.birdeye()
    for token in sim.world.market.token_list:
        primary = await dex.price(token.mint)
        fallback = await birdeye.price(token.mint)
        assert primary is not None
        assert fallback is not None
        assert (primary.source, fallback.source) == ("dexscreener", "birdeye")
        assert _close(primary.price_usd, fallback.price_usd)
        assert _close(primary.price_sol, fallback.price_sol)
    assert await birdeye.price("1" * 44) is None


async def test_dexscreener_down_prices_come_from_birdeye(
    sim: Simulation, venues: SimVenues, time: HookedTime
) -> None:
    dex, birdeye = venues.dexscreener(), venues.birdeye()
    prices = venues.prices(dex, birdeye)
    mint = sim.world.market.token_list[0].mint
    dex_faults, birdeye_faults = sim.faults["dexscreener"], sim.faults["birdeye"]

    assert (await prices.price(mint) or pytest.fail("no price")).source == "dexscreener"
    dex_faults.go_down()
    quote = await prices.price(mint)
    assert quote is not None
    assert quote.source == "birdeye"
    assert quote.price_usd is not None
    assert time.sleeps == pytest.approx(expected_backoff(7))  # DexScreener was retried first
    assert dex_faults.requests == 1 + 4
    assert (await prices.price(mint) or pytest.fail("no price")).source == "birdeye"
    assert dex.guard.breaker.state is BreakerState.OPEN  # the 5th failure opened it
    requests_when_opened = dex_faults.requests

    for _ in range(3):  # while open: DexScreener is not even asked, Birdeye answers at once
        waits = len(time.sleeps)
        assert (await prices.price(mint) or pytest.fail("no price")).source == "birdeye"
        assert len(time.sleeps) == waits
    assert dex_faults.requests == requests_when_opened
    assert birdeye_faults.requests == 5
    snapshot = venues.registry.snapshot()
    assert snapshot["prices"]["fallbacks_used"] == 5
    assert snapshot["dexscreener"]["breaker_state"] == "open"

    time.clock.advance(30.0)
    dex_faults.come_up()
    assert (await prices.price(mint) or pytest.fail("no price")).source == "dexscreener"
    assert venues.registry.snapshot()["dexscreener"]["breaker_state"] == "closed"
    assert venues.registry.snapshot()["prices"]["fallbacks_used"] == 5


async def test_a_token_dexscreener_cannot_price_falls_back_too(
    sim: Simulation, venues: SimVenues
) -> None:
    prices = venues.prices(venues.dexscreener(), venues.birdeye())
    assert await prices.price("1" * 44) is None  # neither knows it: no price, no error
    assert prices.metrics.count("fallbacks_used") == 1


async def test_both_down_raises_the_fallbacks_error(sim: Simulation, venues: SimVenues) -> None:
    prices = venues.prices(venues.dexscreener(), venues.birdeye())
    sim.faults["dexscreener"].go_down()
    sim.faults["birdeye"].go_down()
    with pytest.raises(UpstreamError) as raised:
        await prices.price(sim.world.market.token_list[0].mint)
    assert raised.value.venue == "birdeye"
