"""Each fault mode of each venue behaves as documented, switchable at run time (also over
the control API)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.sim.conftest import rpc
from walltrack.sim.harness import Simulation

WSOL = "So11111111111111111111111111111111111111112"


def _dex(sim: Simulation) -> str:
    return f"{sim.endpoints.dexscreener_base_url}/token-boosts/latest/v1"


async def test_added_latency(sim: Simulation, http: httpx.AsyncClient) -> None:
    sim.faults["dexscreener"].configure(latency_s=0.25)
    started = time.perf_counter()
    response = await http.get(_dex(sim))
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.25


async def test_rate_limits_and_server_errors(sim: Simulation, http: httpx.AsyncClient) -> None:
    rpc_url = sim.endpoints.rpc_urls[0]
    sim.faults["rpc-0"].configure(rate_429=1.0)
    limited = await http.post(rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == -32429
    assert limited.headers["Retry-After"] == "1"
    assert (await rpc(http, sim.endpoints.rpc_urls[1], "getSlot"))["result"] > 0
    sim.faults["rpc-0"].configure(rate_429=0.0, rate_5xx=1.0)
    failed = await http.post(rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": "getSlot"})
    assert failed.status_code in (500, 502, 503)
    helius = sim.faults["helius"]
    helius.configure(rate_429=1.0)
    answer = await http.get(f"{sim.endpoints.helius_base_url}/v0/webhooks",
                            params={"api-key": "k"})  # fmt: skip
    assert answer.status_code == 429
    assert answer.json()["jsonrpc"] == "2.0"
    assert helius.injected["429"] == 1


async def test_scripted_failures_then_recovery(sim: Simulation, http: httpx.AsyncClient) -> None:
    faults = sim.faults["birdeye"]
    faults.fail_next(2, 503)
    url = f"{sim.endpoints.birdeye_base_url}/defi/price"
    statuses = [(await http.get(url, params={"address": WSOL})).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert faults.requests == 3


async def test_timeouts(sim: Simulation, http: httpx.AsyncClient) -> None:
    faults = sim.faults["jupiter"]
    faults.configure(timeout_s=5.0)
    faults.timeout_next(1)
    url = f"{sim.endpoints.jupiter_base_url}/price/v3"
    with pytest.raises(httpx.ReadTimeout):
        await http.get(url, params={"ids": WSOL}, timeout=0.3)
    assert (await http.get(url, params={"ids": WSOL})).status_code == 200


async def test_venue_down_for_a_period(sim: Simulation, http: httpx.AsyncClient) -> None:
    faults = sim.faults["dexscreener"]
    faults.go_down()
    assert (await http.get(_dex(sim))).status_code == 503
    faults.configure(down_style="reset")
    with pytest.raises(httpx.TransportError):
        await http.get(_dex(sim))
    faults.come_up()
    assert (await http.get(_dex(sim))).status_code == 200
    faults.go_down(0.3)
    deadline = time.monotonic() + 0.3
    statuses = []
    while True:
        try:
            statuses.append((await http.get(_dex(sim))).status_code)
        except httpx.TransportError:
            statuses.append(0)
        if statuses[-1] == 200:
            break
    assert statuses[0] == 0
    assert time.monotonic() >= deadline


async def test_server_side_rate_limit_holds_under_a_burst(
    sim: Simulation, http: httpx.AsyncClient
) -> None:
    sim.faults["dexscreener"].configure(rate_limit_per_s=5)
    statuses = [(await http.get(_dex(sim))).status_code for _ in range(8)]
    assert statuses[:5] == [200] * 5
    assert 429 in statuses[5:]
    assert sim.faults["dexscreener"].injected["rate_limited"] == statuses.count(429)


async def test_control_api(sim: Simulation, http: httpx.AsyncClient) -> None:
    control = sim.endpoints.control_url
    answer = await http.post(f"{control}/faults/jupiter", json={"rate_429": 1.0, "fail_next": 1,
                                                                "fail_status": 502})  # fmt: skip
    assert answer.json()["settings"]["rate_429"] == 1.0
    url = f"{sim.endpoints.jupiter_base_url}/price/v3"
    assert (await http.get(url, params={"ids": WSOL})).status_code == 502
    assert (await http.get(url, params={"ids": WSOL})).status_code == 429
    assert (await http.delete(f"{control}/faults/jupiter")).status_code == 200
    assert (await http.get(url, params={"ids": WSOL})).status_code == 200
    assert (await http.post(f"{control}/faults/jupiter", json={"nonsense": 1})).status_code == 400
    assert (await http.post(f"{control}/faults/nowhere", json={})).status_code == 404
    wallet = sim.world.keys.wallet("control-test", 0)
    funded = (await http.post(f"{control}/fund", json={"address": wallet,
                                                       "lamports": 10**9})).json()  # fmt: skip
    assert funded["balance"] == 10**9
    status = (await http.get(f"{control}/status")).json()
    assert status["seed"] == 5
    assert status["endpoints"]["rpc"] == list(sim.endpoints.rpc_urls)
    truth = (await http.get(f"{control}/ground-truth")).json()
    assert truth["seed"] == 5
    assert truth["clusters"]
