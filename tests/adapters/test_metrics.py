"""Venue metrics: plain, JSON-ready values the /metrics endpoint can render as they are."""

from __future__ import annotations

import json

from tests.adapters.canned_rest import MarketWorld
from tests.adapters.canned_rpc import OWNER, RpcWorld
from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.resilience import MetricsRegistry
from walltrack.adapters.solana_rpc import SolanaRpcClient


async def test_registry_collects_every_venue(fake, fake2, time, http) -> None:
    MarketWorld().install_dexscreener(fake)
    RpcWorld().install(fake2)
    registry = MetricsRegistry()
    dex = DexScreenerClient(
        base_url=fake.base_url, client=http, guard=time.guard("dexscreener"), registry=registry
    )
    rpc_guard = time.guard("solana_rpc#0")
    rpc = SolanaRpcClient([fake2.base_url], client=http, guards=[rpc_guard], registry=registry)
    await dex.latest_boosts()
    fake2.inject("status", status=503, times=1)
    await rpc.get_balance(OWNER)

    snapshot = registry.snapshot()
    assert set(snapshot) == {"dexscreener", "solana_rpc", "solana_rpc#0"}
    assert json.loads(json.dumps(snapshot)) == snapshot  # plain values only
    assert snapshot["dexscreener"]["requests"] == 1
    assert snapshot["dexscreener"]["breaker_state"] == "closed"
    provider = snapshot["solana_rpc#0"]
    assert (provider["requests"], provider["failures"], provider["successes"]) == (2, 1, 1)
    assert provider["last_error"] == "getBalance: HTTP 503"
    assert snapshot["solana_rpc"]["retries"] == 1
