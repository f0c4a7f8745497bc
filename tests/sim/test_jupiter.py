"""The fake Jupiter answers quote, swap and price in the documented shapes (§2)."""

from __future__ import annotations

import base64

import httpx
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from tests.sim.conftest import still_config
from walltrack.sim.constants import JUPITER_PROGRAM, WSOL_MINT
from walltrack.sim.harness import Simulation, start_simulation
from walltrack.sim.servers.context import ApiKeys


def _graduated_mint(sim: Simulation) -> str:
    return next(t.mint for t in sim.world.market.token_list if t.pool is not None)


async def test_quote_shape_for_curve_and_pool(sim: Simulation, http: httpx.AsyncClient) -> None:
    base = sim.endpoints.jupiter_base_url
    curve_mint = next(t.mint for t in sim.world.market.token_list if t.pool is None)
    for mint, label in ((curve_mint, "Pump.fun"), (_graduated_mint(sim), "Pump.fun Amm")):
        params = {"inputMint": WSOL_MINT, "outputMint": mint, "amount": "250000000",
                  "slippageBps": "1500"}  # fmt: skip
        quote = (await http.get(f"{base}/swap/v1/quote", params=params)).json()
        for key in ("inAmount", "outAmount", "otherAmountThreshold", "priceImpactPct"):
            assert isinstance(quote[key], str)
        assert quote["slippageBps"] == 1500
        assert int(quote["otherAmountThreshold"]) == int(quote["outAmount"]) * 8500 // 10_000
        assert 0.0 <= float(quote["priceImpactPct"]) < 0.5
        (route,) = quote["routePlan"]
        assert route["percent"] == 100
        assert route["swapInfo"]["label"] == label
        assert isinstance(quote["contextSlot"], int)
        sell = {"inputMint": mint, "outputMint": WSOL_MINT, "amount": quote["outAmount"]}
        back = (await http.get(f"{base}/swap/v1/quote", params=sell)).json()
        assert 0 < int(back["outAmount"]) < 250_000_000


async def test_routing_errors_carry_codes(sim: Simulation, http: httpx.AsyncClient) -> None:
    base = sim.endpoints.jupiter_base_url
    mint = _graduated_mint(sim)
    unknown = "9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCpump"
    cases = {
        (WSOL_MINT, unknown): "TOKEN_NOT_TRADABLE",
        (mint, "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"): "COULD_NOT_FIND_ANY_ROUTE",
        (mint, mint): "CIRCULAR_ARBITRAGE_IS_DISABLED",
    }
    for (source, target), code in cases.items():
        params = {"inputMint": source, "outputMint": target, "amount": "1000"}
        response = await http.get(f"{base}/swap/v1/quote", params=params)
        assert response.status_code == 400
        assert response.json()["errorCode"] == code
    bad = await http.get(f"{base}/swap/v1/quote", params={"inputMint": WSOL_MINT})
    assert bad.status_code == 400
    assert "errorCode" not in bad.json()


async def test_swap_returns_an_unsigned_v0_transaction(
    sim: Simulation, http: httpx.AsyncClient
) -> None:
    base = sim.endpoints.jupiter_base_url
    params = {"inputMint": WSOL_MINT, "outputMint": _graduated_mint(sim), "amount": "10000000"}
    quote = (await http.get(f"{base}/quote", params=params)).json()
    user = "Cqx1u15KT8kb4cVcUoVizJ8XSUFvJa6vy1UCrkaf9moC"
    body = {"userPublicKey": user, "quoteResponse": quote, "dynamicComputeUnitLimit": True,
            "prioritizationFeeLamports": {"priorityLevelWithMaxLamports": {
                "priorityLevel": "veryHigh", "maxLamports": 300_000}}}  # fmt: skip
    swap = (await http.post(f"{base}/swap/v1/swap", json=body)).json()
    assert swap["prioritizationFeeLamports"] == 300_000
    assert swap["computeUnitLimit"] == 187_000
    assert swap["lastValidBlockHeight"] == sim.world.block_height + 150
    tx = VersionedTransaction.from_bytes(base64.b64decode(swap["swapTransaction"]))
    assert tx.signatures == [Signature.default()]
    assert str(tx.message.account_keys[0]) == user
    assert JUPITER_PROGRAM in {str(k) for k in tx.message.account_keys}
    assert str(tx.message.recent_blockhash) in sim.services.blockhashes
    missing = await http.post(f"{base}/swap/v1/swap", json={"userPublicKey": user})
    assert missing.status_code == 400


async def test_price_v3_omits_unknown_mints(sim: Simulation, http: httpx.AsyncClient) -> None:
    mint = _graduated_mint(sim)
    unknown = "9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCpump"
    response = await http.get(
        f"{sim.endpoints.jupiter_base_url}/price/v3",
        params={"ids": f"{mint},{unknown},{WSOL_MINT}"},
    )
    prices = response.json()
    assert set(prices) == {mint, WSOL_MINT}
    token = sim.world.market.tokens[mint]
    assert prices[mint]["usdPrice"] == token.price() * sim.world.params.sol_usd
    assert prices[mint]["decimals"] == 6
    assert isinstance(prices[mint]["blockId"], int)


async def test_api_key_and_rate_limit_headers(http: httpx.AsyncClient) -> None:
    config = still_config(warmup_s=300.0, api_keys=ApiKeys(jupiter="jup-secret"))
    async with start_simulation(config) as sim:
        url = f"{sim.endpoints.jupiter_base_url}/price/v3"
        assert (await http.get(url, params={"ids": WSOL_MINT})).status_code == 401
        headers = {"x-api-key": "jup-secret"}
        sim.faults["jupiter"].configure(rate_limit_per_s=2)
        statuses = []
        for _ in range(6):
            response = await http.get(url, params={"ids": WSOL_MINT}, headers=headers)
            statuses.append(response.status_code)
            assert "x-ratelimit-remaining" in response.headers
        assert statuses[:2] == [200, 200]
        assert 429 in statuses
