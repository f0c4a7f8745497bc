"""The fake DexScreener and Birdeye answer in the documented shapes (§3, §4)."""

from __future__ import annotations

import httpx

from walltrack.sim.harness import Simulation

UNKNOWN = "9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCpump"


def _check_pair(pair: dict[str, object]) -> None:
    assert pair["chainId"] == "solana"
    assert pair["dexId"] in ("pumpfun", "pumpswap")
    assert isinstance(pair["priceNative"], str)
    assert isinstance(pair["priceUsd"], str)
    assert "e" not in str(pair["priceNative"])
    assert float(str(pair["priceNative"])) > 0
    assert isinstance(pair["pairCreatedAt"], int)
    assert pair["pairCreatedAt"] > 1_700_000_000_000
    txns = pair["txns"]
    assert isinstance(txns, dict)
    assert set(txns) == {"m5", "h1", "h6", "h24"}


async def test_profiles_and_boosts_mix_chains(sim: Simulation, http: httpx.AsyncClient) -> None:
    base = sim.endpoints.dexscreener_base_url
    for path in ("/token-profiles/latest/v1", "/token-boosts/latest/v1", "/token-boosts/top/v1"):
        feed = (await http.get(base + path)).json()
        assert isinstance(feed, list)
        assert feed
        chains = {entry["chainId"] for entry in feed}
        assert "solana" in chains
        for entry in feed:
            if entry["chainId"] == "solana":
                assert entry["tokenAddress"] in sim.world.market.tokens
            if "boosts" in path:
                assert isinstance(entry["amount"], int)
    profiles = (await http.get(base + "/token-profiles/latest/v1")).json()
    assert any(entry["chainId"] != "solana" for entry in profiles)


async def test_pairs_by_token_and_envelopes(sim: Simulation, http: httpx.AsyncClient) -> None:
    base = sim.endpoints.dexscreener_base_url
    graduated = next(t for t in sim.world.market.token_list if t.pool is not None)
    pairs = (await http.get(f"{base}/token-pairs/v1/solana/{graduated.mint}")).json()
    assert [p["dexId"] for p in pairs] == ["pumpswap", "pumpfun"]
    for pair in pairs:
        _check_pair(pair)
    assert pairs[0]["liquidity"]["usd"] > 0
    assert "liquidity" not in pairs[1]
    main = (await http.get(f"{base}/tokens/v1/solana/{graduated.mint},{UNKNOWN}")).json()
    assert [p["pairAddress"] for p in main] == [graduated.pool_address]
    envelope = (await http.get(f"{base}/latest/dex/tokens/{graduated.mint}")).json()
    assert envelope["schemaVersion"] == "1.0.0"
    assert len(envelope["pairs"]) == 2
    empty = (await http.get(f"{base}/latest/dex/tokens/{UNKNOWN}")).json()
    assert empty["pairs"] is None
    by_pair = (await http.get(f"{base}/latest/dex/pairs/solana/{graduated.pool_address}")).json()
    assert by_pair["pairs"][0]["baseToken"]["address"] == graduated.mint
    assert (await http.get(f"{base}/token-pairs/v1/base/{graduated.mint}")).json() == []
    search = (await http.get(f"{base}/latest/dex/search", params={"q": graduated.symbol})).json()
    assert graduated.mint in {p["baseToken"]["address"] for p in search["pairs"]}


async def test_birdeye_price_envelope(sim: Simulation, http: httpx.AsyncClient) -> None:
    base = sim.endpoints.birdeye_base_url
    token = sim.world.market.token_list[-1]
    params = {"address": token.mint, "include_liquidity": "true"}
    body = (
        await http.get(f"{base}/defi/price", params=params, headers={"x-chain": "solana"})
    ).json()
    assert body["success"] is True
    data = body["data"]
    assert data["value"] == token.price() * sim.world.params.sol_usd
    assert data["priceInNative"] == token.price()
    assert data["liquidity"] > 0
    assert isinstance(data["updateUnixTime"], int)
    missing = (await http.get(f"{base}/defi/price", params={"address": UNKNOWN})).json()
    assert missing["success"] is False
    multi = (
        await http.get(
            f"{base}/defi/multi_price", params={"list_address": f"{token.mint},{UNKNOWN}"}
        )
    ).json()
    assert set(multi["data"]) == {token.mint}
