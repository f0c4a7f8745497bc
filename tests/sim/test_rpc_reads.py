"""The fake Solana RPC answers the read methods of api-formats.md §5.2 in shapes that the
solders response parsers accept, with real paging semantics."""

from __future__ import annotations

import base64
import json

import httpx
from solders.rpc.responses import (
    GetAccountInfoJsonParsedResp,
    GetAccountInfoResp,
    GetBalanceResp,
    GetLatestBlockhashResp,
    GetSignaturesForAddressResp,
    GetSignatureStatusesResp,
    GetTokenAccountsByOwnerJsonParsedResp,
    GetTokenLargestAccountsResp,
    GetTransactionResp,
)

from tests.sim.conftest import rpc
from walltrack.sim.events import SwapEvent
from walltrack.sim.harness import Simulation


def _first_swap(sim: Simulation) -> SwapEvent:
    return next(e for e in sim.world.market.events if isinstance(e, SwapEvent))


async def test_balance_and_blockhash(sim: Simulation, http: httpx.AsyncClient) -> None:
    url = sim.endpoints.rpc_urls[0]
    wallet = _first_swap(sim).wallet
    answer = await rpc(http, url, "getBalance", wallet, {"commitment": "confirmed"})
    parsed = GetBalanceResp.from_json(json.dumps(answer))
    assert isinstance(parsed, GetBalanceResp)
    assert parsed.value == sim.world.market.ledger.lamports(wallet)
    answer = await rpc(http, url, "getLatestBlockhash", {"commitment": "confirmed"})
    latest = GetLatestBlockhashResp.from_json(json.dumps(answer))
    assert isinstance(latest, GetLatestBlockhashResp)
    assert latest.value.last_valid_block_height == sim.world.block_height + 150


async def test_signatures_page_backwards_without_gaps(
    sim: Simulation, http: httpx.AsyncClient
) -> None:
    url = sim.endpoints.rpc_urls[1]
    market = sim.world.market
    mint = max(market.token_list, key=lambda t: len(market.events_for(t.mint))).mint
    expected = [sim.world.market.event(i).signature for i in sim.world.market.events_for(mint)]
    assert len(expected) > 150
    seen: list[str] = []
    before = None
    while True:
        config = {"limit": 100} | ({"before": before} if before else {})
        answer = await rpc(http, url, "getSignaturesForAddress", mint, config)
        parsed = GetSignaturesForAddressResp.from_json(json.dumps(answer))
        assert isinstance(parsed, GetSignaturesForAddressResp)
        page = [entry["signature"] for entry in answer["result"]]
        if not page:
            break
        seen += page
        before = page[-1]
    assert seen == list(reversed(expected))
    until = expected[-10]
    answer = await rpc(http, url, "getSignaturesForAddress", mint, {"until": until})
    assert [e["signature"] for e in answer["result"]] == list(reversed(expected[-9:]))


async def test_get_transaction_needs_the_version_and_parses(
    sim: Simulation, http: httpx.AsyncClient
) -> None:
    url = sim.endpoints.rpc_urls[0]
    swap = _first_swap(sim)
    refused = await rpc(http, url, "getTransaction", swap.signature, {"encoding": "json"})
    assert refused["error"]["code"] == -32015
    config = {"encoding": "json", "maxSupportedTransactionVersion": 0}
    answer = await rpc(http, url, "getTransaction", swap.signature, config)
    parsed = GetTransactionResp.from_json(json.dumps(answer))
    assert isinstance(parsed, GetTransactionResp)
    meta = answer["result"]["meta"]
    delta = meta["postBalances"][0] - meta["preBalances"][0]
    assert delta == swap.wallet_sol_change
    unknown = "1" * 64
    assert (await rpc(http, url, "getTransaction", unknown, config))["result"] is None


async def test_token_accounts_mint_and_largest_holders(
    sim: Simulation, http: httpx.AsyncClient
) -> None:
    url = sim.endpoints.rpc_urls[0]
    swap = _first_swap(sim)
    answer = await rpc(
        http,
        url,
        "getTokenAccountsByOwner",
        swap.wallet,
        {"mint": swap.mint},
        {"encoding": "jsonParsed"},
    )
    parsed = GetTokenAccountsByOwnerJsonParsedResp.from_json(json.dumps(answer))
    assert isinstance(parsed, GetTokenAccountsByOwnerJsonParsedResp)
    (account,) = answer["result"]["value"]
    info = account["account"]["data"]["parsed"]["info"]
    held = sim.world.market.ledger.tokens(swap.wallet, swap.mint)
    assert info["tokenAmount"]["amount"] == str(held)
    assert account["pubkey"] == sim.world.market.keys.ata(swap.wallet, swap.mint)

    answer = await rpc(http, url, "getAccountInfo", swap.mint, {"encoding": "jsonParsed"})
    parsed_mint = GetAccountInfoJsonParsedResp.from_json(json.dumps(answer))
    assert isinstance(parsed_mint, GetAccountInfoJsonParsedResp)
    mint_info = answer["result"]["value"]["data"]["parsed"]["info"]
    assert mint_info["mintAuthority"] is None
    assert mint_info["decimals"] == 6
    answer = await rpc(http, url, "getAccountInfo", swap.mint, {"encoding": "base64"})
    assert isinstance(GetAccountInfoResp.from_json(json.dumps(answer)), GetAccountInfoResp)
    raw = base64.b64decode(answer["result"]["value"]["data"][0])
    assert len(raw) == 82
    assert int.from_bytes(raw[36:44], "little") == 10**15

    answer = await rpc(http, url, "getTokenLargestAccounts", swap.mint)
    parsed_largest = GetTokenLargestAccountsResp.from_json(json.dumps(answer))
    assert isinstance(parsed_largest, GetTokenLargestAccountsResp)
    amounts = [int(row["amount"]) for row in answer["result"]["value"]]
    assert amounts == sorted(amounts, reverse=True)
    assert 0 < len(amounts) <= 20


async def test_statuses_batches_and_errors(sim: Simulation, http: httpx.AsyncClient) -> None:
    url = sim.endpoints.rpc_urls[0]
    swap = _first_swap(sim)
    answer = await rpc(http, url, "getSignatureStatuses", [swap.signature, "1" * 64])
    parsed = GetSignatureStatusesResp.from_json(json.dumps(answer))
    assert isinstance(parsed, GetSignatureStatusesResp)
    known, unknown = answer["result"]["value"]
    assert known["confirmationStatus"] == "finalized"
    assert known["slot"] == swap.slot
    assert unknown is None
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "getSlot"},
        {"jsonrpc": "2.0", "id": "two", "method": "noSuchMethod"},
        {"jsonrpc": "2.0", "id": 3, "method": "getBalance", "params": ["not-a-key"]},
    ]
    answers = (await http.post(url, json=batch)).json()
    by_id = {a["id"]: a for a in answers}
    assert by_id[1]["result"] == sim.world.slot
    assert by_id["two"]["error"]["code"] == -32601
    assert by_id[3]["error"]["code"] == -32602
    parse_error = (await http.post(url, content=b"{nope")).json()
    assert parse_error["error"]["code"] == -32700
