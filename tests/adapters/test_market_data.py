"""DexScreener and Birdeye against loopback fakes, and the DexScreener -> Birdeye fallback."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.adapters.canned_rest import MINT, PAIR, SOL, MarketWorld, pair_json
from tests.adapters.canned_rpc import new_address
from tests.adapters.conftest import Timekeeper
from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.birdeye import BirdeyeClient
from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.price_fallback import FallbackPriceSource
from walltrack.errors import ConfigurationError, UpstreamError

BIRDEYE_KEY = "birdeye-test-key"


@pytest.fixture
def world(fake: FakeVenue, fake2: FakeVenue) -> MarketWorld:
    market = MarketWorld()
    market.install_dexscreener(fake)
    fake2.required_headers = {"x-api-key": BIRDEYE_KEY}
    market.install_birdeye(fake2)
    return market


@pytest.fixture
def dex(fake, world, time: Timekeeper, http) -> DexScreenerClient:
    return DexScreenerClient(base_url=fake.base_url, client=http, guard=time.guard("dexscreener"))


@pytest.fixture
def birdeye(fake2, world, time: Timekeeper, http) -> BirdeyeClient:
    return BirdeyeClient(
        api_key=BIRDEYE_KEY, base_url=fake2.base_url, client=http, guard=time.guard("birdeye")
    )


async def test_profiles_and_boosts_are_filtered_to_solana(dex) -> None:
    (profile,) = await dex.latest_token_profiles()
    assert profile.token_address == MINT
    assert profile.boost_amount is None
    assert [link.kind for link in profile.links] == [None, "twitter"]
    assert profile.links[0].label == "Website"
    (boost,) = await dex.latest_boosts()
    assert (boost.boost_amount, boost.boost_total_amount) == (10, 40)
    assert boost.header is None
    assert [b.token_address for b in await dex.top_boosts()] == [MINT]


async def test_pairs_for_token_parse_every_field(dex) -> None:
    (pair,) = await dex.pairs_for_token(MINT)
    assert pair.pair_address == PAIR
    assert pair.base_token.symbol == "GORBO"
    assert pair.quote_token.address == SOL
    assert pair.price_native == Decimal("0.0000004211")
    assert pair.price_usd == Decimal("0.00007159")
    assert pair.liquidity_usd == Decimal("29876.12")
    assert pair.volume_h24_usd == Decimal("918233.41")
    assert (pair.buys_h24, pair.sells_h24) == (4120, 3302)
    assert pair.price_change_h24 == pytest.approx(312.4)
    assert pair.created_at == datetime.fromtimestamp(1761309011, UTC)
    assert pair.labels == ("CPMM",)
    assert pair.boosts_active == 10
    assert await dex.pairs_for_token(new_address()) == ()


async def test_missing_optional_blocks_are_none(dex, world) -> None:
    fresh = new_address()
    bare = pair_json(fresh, liquidity=None)
    for key in (
        "txns",
        "volume",
        "priceChange",
        "fdv",
        "marketCap",
        "pairCreatedAt",
        "labels",
        "boosts",
    ):
        bare.pop(key)
    world.pairs[fresh] = [bare]
    (pair,) = await dex.pairs_for_token(fresh)
    assert pair.liquidity_usd is None
    assert pair.volume_h24_usd is None
    assert pair.created_at is None
    assert pair.boosts_active == 0


async def test_search_and_pair_lookup_read_the_envelope(dex) -> None:
    assert [p.pair_address for p in await dex.search_pairs("gorbo")] == [PAIR]
    assert await dex.search_pairs("nothing") == ()
    pair = await dex.pair(PAIR)
    assert pair is not None
    assert pair.base_token.address == MINT
    assert await dex.pair(new_address()) is None


async def test_pairs_for_many_tokens_batches_by_30(fake, dex, world) -> None:
    mints = [new_address() for _ in range(45)]
    for mint in mints:
        world.pairs[mint] = [pair_json(mint, pair=new_address())]
    pairs = await dex.pairs_for_tokens(mints)
    assert len(pairs) == 45
    assert [len(r.path.rsplit("/", 1)[1].split(",")) for r in fake.hits("/tokens/v1/")] == [30, 15]


async def test_dexscreener_price_picks_the_most_liquid_base_pair(dex, world) -> None:
    world.pairs[MINT].append(pair_json(MINT, pair=new_address(), liquidity=100.0, price_usd="1"))
    price = await dex.price(MINT)
    assert price is not None
    assert price.source == "dexscreener"
    assert price.price_usd == Decimal("0.00007159")
    assert price.price_sol == Decimal("0.0000004211")


async def test_birdeye_price_and_unknown_token(fake2, birdeye) -> None:
    price = await birdeye.price(MINT)
    assert price is not None
    assert price.price_usd == Decimal("0.00007159")
    assert price.price_sol == Decimal("4.211E-7")
    assert price.observed_at == datetime.fromtimestamp(1761312450, UTC)
    request = fake2.hits("/defi/price")[0]
    assert request.headers["x-chain"] == "solana"
    assert request.query["address"] == MINT
    assert await birdeye.price(new_address()) is None


async def test_birdeye_bad_key_is_a_configuration_error(fake2, world, time, http) -> None:
    client = BirdeyeClient(
        api_key="nope", base_url=fake2.base_url, client=http, guard=time.guard("birdeye")
    )
    with pytest.raises(ConfigurationError):
        await client.price(MINT)


async def test_fallback_not_used_when_dexscreener_answers(fake2, dex, birdeye) -> None:
    prices = FallbackPriceSource(dex, birdeye)
    price = await prices.price(MINT)
    assert price is not None
    assert price.source == "dexscreener"
    assert fake2.hits() == []
    assert prices.metrics.count("fallbacks_used") == 0


async def test_fallback_to_birdeye_when_dexscreener_is_down(fake, dex, birdeye, time) -> None:
    fake.down = True
    prices = FallbackPriceSource(dex, birdeye)
    price = await prices.price(MINT)
    assert price is not None
    assert price.source == "birdeye"
    assert len(fake.hits()) == 4  # DexScreener was retried before falling back
    assert prices.metrics.snapshot()["fallbacks_used"] == 1
    # DexScreener's breaker opens on the next failure; later prices fail fast to Birdeye.
    await prices.price(MINT)
    assert dex.guard.breaker.state.value == "open"
    hits = len(fake.hits())
    await prices.price(MINT)
    assert len(fake.hits()) == hits
    assert prices.metrics.count("fallbacks_used") == 3


async def test_fallback_when_dexscreener_has_no_pair_yet(dex, birdeye, world) -> None:
    fresh = new_address()
    world.birdeye_prices[fresh] = 0.5
    price = await FallbackPriceSource(dex, birdeye).price(fresh)
    assert price is not None
    assert price.price_usd == Decimal("0.5")


async def test_both_sources_failing_raises(fake, fake2, dex, birdeye) -> None:
    fake.down = fake2.down = True
    with pytest.raises(UpstreamError):
        await FallbackPriceSource(dex, birdeye).price(MINT)
