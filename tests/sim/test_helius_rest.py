"""The fake Helius REST API: enhanced transactions by address and signature, webhook
management, JSON-RPC-shaped errors (§1.6-§1.7)."""

from __future__ import annotations

import httpx

from walltrack.sim.harness import Simulation

KEY = {"api-key": "any-key"}


async def test_api_key_is_required(sim: Simulation, http: httpx.AsyncClient) -> None:
    response = await http.get(f"{sim.endpoints.helius_base_url}/v0/webhooks")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == -32001


async def test_address_history_pages_backwards(sim: Simulation, http: httpx.AsyncClient) -> None:
    market = sim.world.market
    token = max(market.token_list, key=lambda t: len(market.events_for(t.mint)))
    expected = [market.event(i).signature for i in market.events_for(token.mint)][::-1]
    url = f"{sim.endpoints.helius_base_url}/v0/addresses/{token.mint}/transactions"
    seen: list[str] = []
    params = dict(KEY, limit="100")
    while True:
        page = (await http.get(url, params=params)).json()
        if not page:
            break
        assert all(tx["timestamp"] >= page[-1]["timestamp"] for tx in page)
        seen += [tx["signature"] for tx in page]
        params["before"] = page[-1]["signature"]
    assert seen == expected
    assert seen[-1] == next(e.signature for e in market.events if e.kind == "create"
                            and e.mint == token.mint)  # fmt: skip
    swaps_only = (await http.get(url, params=dict(KEY, type="SWAP", limit="50"))).json()
    assert swaps_only
    assert {tx["type"] for tx in swaps_only} == {"SWAP"}
    too_many = await http.get(url, params=dict(KEY, limit="101"))
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == -32602


async def test_transactions_by_signature(sim: Simulation, http: httpx.AsyncClient) -> None:
    signatures = [e.signature for e in sim.world.market.events[-5:]]
    body = {"transactions": [*signatures, "1" * 64]}
    found = (await http.post(f"{sim.endpoints.helius_base_url}/v0/transactions", params=KEY,
                             json=body)).json()  # fmt: skip
    assert [tx["signature"] for tx in found] == signatures
    assert list(found[0])[:3] == ["description", "type", "source"]


async def test_webhook_management(sim: Simulation, http: httpx.AsyncClient) -> None:
    base = f"{sim.endpoints.helius_base_url}/v0/webhooks"
    spec = {
        "webhookURL": "http://127.0.0.1:9/hook",
        "transactionTypes": ["SWAP", "BUY", "SELL"],
        "accountAddresses": ["7pvYedwjkETdfDBauTXoGmT8TnSz5FyguxrNonDxnrvo"],
        "webhookType": "enhanced",
        "authHeader": "Bearer abc",
        "txnStatus": "success",
    }
    created = (await http.post(base, params=KEY, json=spec)).json()
    webhook_id = created["webhookID"]
    assert len(webhook_id) == 36
    assert created["authHeader"] == "Bearer abc"
    assert isinstance(created["wallet"], str)
    listed = (await http.get(base, params=KEY)).json()
    assert [h["webhookID"] for h in listed] == [webhook_id]
    spec["accountAddresses"] = ["3HTbYQXvi4iiaARpuSnd997rQY6sDQYKaKZ8Z7Qywn2n"]
    updated = (await http.put(f"{base}/{webhook_id}", params=KEY, json=spec)).json()
    assert updated["accountAddresses"] == spec["accountAddresses"]
    toggled = (await http.patch(f"{base}/{webhook_id}", params=KEY, json={"active": False})).json()
    assert toggled["active"] is False
    assert toggled["accountAddresses"] == spec["accountAddresses"]
    got = (await http.get(f"{base}/{webhook_id}", params=KEY)).json()
    assert got == toggled
    invalid = await http.post(base, params=KEY, json={"webhookURL": "http://x"})
    assert invalid.status_code == 400
    assert (await http.delete(f"{base}/{webhook_id}", params=KEY)).status_code == 200
    assert (await http.get(f"{base}/{webhook_id}", params=KEY)).status_code == 404
