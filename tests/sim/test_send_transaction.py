"""A buy signed with solders and sent through the fake RPC lands at the curve's price, and
the RPC refuses what a real node refuses (api-formats.md §5.2-§5.4)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from solders.keypair import Keypair
from solders.transaction import VersionedTransaction

from tests.sim.conftest import rpc
from walltrack.sim.constants import ATA_RENT, BASE_FEE, WSOL_MINT
from walltrack.sim.harness import Simulation
from walltrack.sim.tokens import SimToken

SOL = 10**9


def _live_curve_token(sim: Simulation) -> SimToken:
    return next(t for t in reversed(sim.world.market.token_list) if t.pool is None)


async def _signed_swap(
    sim: Simulation, http: httpx.AsyncClient, keypair: Keypair, params: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any], str]:
    base = sim.endpoints.jupiter_base_url
    quote = (await http.get(f"{base}/swap/v1/quote", params=params)).json()
    body = {"userPublicKey": str(keypair.pubkey()), "quoteResponse": quote,
            "prioritizationFeeLamports": 100_000}  # fmt: skip
    swap = (await http.post(f"{base}/swap/v1/swap", json=body)).json()
    unsigned = VersionedTransaction.from_bytes(base64.b64decode(swap["swapTransaction"]))
    signed = VersionedTransaction(unsigned.message, [keypair])
    return quote, swap, base64.b64encode(bytes(signed)).decode()


async def _send(sim: Simulation, http: httpx.AsyncClient, tx: str, **config: Any) -> Any:
    options = {"encoding": "base64", "skipPreflight": False, "maxRetries": 0} | config
    return await rpc(http, sim.endpoints.rpc_urls[0], "sendTransaction", tx, options)


async def test_signed_buy_moves_the_curve_exactly_by_the_formula(
    sim: Simulation, http: httpx.AsyncClient
) -> None:
    keypair = Keypair.from_seed(bytes(range(32)))
    user = str(keypair.pubkey())
    sim.fund(user, 5 * SOL)
    token = _live_curve_token(sim)
    curve = token.curve
    vsol, vtok = curve.virtual_sol, curve.virtual_tokens
    gross = 250_000_000
    net = gross * 10_000 // 10_125
    expected_tokens = net * vtok // (vsol + net)

    params = {"inputMint": WSOL_MINT, "outputMint": token.mint, "amount": str(gross),
              "slippageBps": "100"}  # fmt: skip
    quote, swap, tx = await _signed_swap(sim, http, keypair, params)
    assert quote["outAmount"] == str(expected_tokens)
    assert swap["prioritizationFeeLamports"] == 100_000
    answer = await _send(sim, http, tx)
    signature = answer["result"]

    assert (curve.virtual_sol, curve.virtual_tokens) == (vsol + net, vtok - expected_tokens)
    ledger = sim.world.market.ledger
    assert ledger.tokens(user, token.mint) == expected_tokens
    assert ledger.lamports(user) == 5 * SOL - gross - BASE_FEE - 100_000 - ATA_RENT
    status = await rpc(http, sim.endpoints.rpc_urls[1], "getSignatureStatuses", [signature])
    assert status["result"]["value"][0]["confirmationStatus"] == "confirmed"
    history = await http.get(
        f"{sim.endpoints.helius_base_url}/v0/addresses/{user}/transactions",
        params={"api-key": "k"},
    )
    newest = history.json()[0]
    assert newest["signature"] == signature
    assert newest["source"] == "JUPITER"
    assert newest["events"]["swap"]["tokenOutputs"][0]["rawTokenAmount"]["tokenAmount"] == str(
        expected_tokens
    )

    sell = {"inputMint": token.mint, "outputMint": WSOL_MINT, "amount": str(expected_tokens),
            "slippageBps": "100"}  # fmt: skip
    quote, _, tx = await _signed_swap(sim, http, keypair, sell)
    before = ledger.lamports(user)
    assert "result" in await _send(sim, http, tx)
    assert ledger.tokens(user, token.mint) == 0
    assert ledger.lamports(user) == before + int(quote["outAmount"]) - BASE_FEE - 100_000


async def test_node_refusals(sim: Simulation, http: httpx.AsyncClient) -> None:
    keypair = Keypair.from_seed(bytes([9] * 32))
    user = str(keypair.pubkey())
    token = _live_curve_token(sim)
    params = {"inputMint": WSOL_MINT, "outputMint": token.mint, "amount": str(SOL),
              "slippageBps": "50"}  # fmt: skip

    _, swap, tx = await _signed_swap(sim, http, keypair, params)
    unsigned = await _send(sim, http, swap["swapTransaction"])
    assert unsigned["error"]["code"] == -32003

    broke = await _send(sim, http, tx)
    assert broke["error"]["code"] == -32002
    assert broke["error"]["data"]["err"] == "InsufficientFundsForFee"

    sim.fund(user, 3 * SOL)
    simulated = await rpc(http, sim.endpoints.rpc_urls[0], "simulateTransaction", tx,
                          {"encoding": "base64", "sigVerify": True})  # fmt: skip
    assert simulated["result"]["value"]["err"] is None
    assert simulated["result"]["value"]["logs"]

    other = sim.world.market.keys.wallet("trader", 1)
    sim.world.market.ledger.credit(other, 100 * SOL)
    sim.world.market.buy(sim.world.now, other, token.mint, 20 * SOL, priority_fee=0)
    slipped = await _send(sim, http, tx)
    assert slipped["error"]["code"] == -32002
    assert slipped["error"]["data"]["err"] == {"InstructionError": [2, {"Custom": 6001}]}
    assert any("SlippageToleranceExceeded" in line for line in slipped["error"]["data"]["logs"])

    _, _, fresh = await _signed_swap(sim, http, keypair, params)
    await sim.advance(61.0)
    expired = await _send(sim, http, fresh)
    assert expired["error"]["data"]["err"] == "BlockhashNotFound"

    _, _, tx = await _signed_swap(sim, http, keypair, params | {"amount": str(10 * SOL)})
    poor = await _send(sim, http, tx)
    assert poor["error"]["data"]["err"] == {"InstructionError": [2, {"Custom": 6024}]}

    _, _, tx = await _signed_swap(sim, http, keypair, params)
    assert "result" in await _send(sim, http, tx)
    again = await _send(sim, http, tx)
    assert again["error"]["data"]["err"] == "AlreadyProcessed"
