"""Shared builders for the simulator tests: a bare market with one freshly launched token."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from walltrack.sim.agents.launcher import make_token
from walltrack.sim.fates import draw_script
from walltrack.sim.harness import SimConfig, Simulation, start_simulation
from walltrack.sim.keys import KeyFactory
from walltrack.sim.market import Market
from walltrack.sim.tokens import SimToken

GENESIS_UNIX = 1_761_307_200

type BareMarket = tuple[Market, SimToken, str]


def bare_market(seed: int = 3) -> BareMarket:
    """A market with one launched token and one rich trader, and no agents at all."""
    keys = KeyFactory(seed)
    market = Market(keys, GENESIS_UNIX, seed)
    creator = keys.wallet("dev", 0)
    trader = keys.wallet("trader", 0)
    market.ledger.credit(creator, 10**12)
    market.ledger.credit(trader, 10**15)
    script = draw_script(random.Random(seed), "dud")
    token = make_token(
        keys, 0, creator=creator, launch_t=0.0, script=script, name="Test Frog", symbol="TFROG"
    )
    market.add_token(0.0, token, 5_000)
    return market, token, trader


# -- running simulations --------------------------------------------------------------------

QUIET = {"webhook_delay_s": (0.0, 0.0), "webhook_retry_interval_s": 0.0,
         "webhook_duplicate_rate": 0.0}  # fmt: skip


def still_config(**overrides: Any) -> SimConfig:
    """A world that moves only when the test advances it, with some history already."""
    settings: dict[str, Any] = {"seed": 5, "autorun": False, "warmup_s": 1500.0, **QUIET}
    settings.update(overrides)
    return SimConfig(**settings)


@pytest.fixture
async def sim() -> AsyncIterator[Simulation]:
    """A still simulation with all venues listening."""
    async with start_simulation(still_config()) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client, as any user of the fake venues would have."""
    async with httpx.AsyncClient(timeout=10.0) as client:
        yield client


async def rpc(client: httpx.AsyncClient, url: str, method: str, *params: Any) -> Any:
    """One JSON-RPC call; returns the whole response object."""
    body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": list(params)}
    response = await client.post(url, json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["id"] == 7
    return answer
