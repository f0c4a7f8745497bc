"""The Helius webhook pusher: JSON arrays with the Authorization header verbatim, 3 retries
then a drop, duplicates and losses on request (api-formats.md §1.2, §7.1)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.sim.conftest import still_config
from walltrack.sim.harness import Simulation, start_simulation
from walltrack.sim.servers.http import VenueServer

SOL = 10**9


class Receiver:
    """A webhook endpoint that records what arrives and answers scripted statuses."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.hang: asyncio.Event | None = None
        self.bodies: list[str] = []
        self.headers: list[dict[str, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.bodies.append((await request.read()).decode())
        self.headers.append(dict(request.headers))
        if self.hang is not None:
            await self.hang.wait()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status)

    def signatures(self) -> list[str]:
        return [tx["signature"] for body in self.bodies for tx in json.loads(body)]


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/hooks/helius", target.handle)
    server = VenueServer("receiver", app)
    url = await server.start()
    yield target, f"{url}/hooks/helius"
    if target.hang is not None:
        target.hang.set()
    await server.stop()


def _fresh(sim: Simulation, number: int) -> str:
    return sim.world.keys.wallet("webhook-test", number)


async def test_deliveries_are_arrays_with_the_auth_header(
    sim: Simulation, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    market = sim.world.market
    watched = list(sim.world.ctx.roles.smart)[:4]
    sim.add_webhook(url, auth_header="Bearer 3f9c1d7e", addresses=watched)
    start = market.next_seq
    await sim.advance(900.0)
    expected = [e.signature for e in market.events_since(start) if set(e.addresses) & set(watched)]
    assert expected
    await sim.pusher.wait_for(lambda s: s["delivered"] == len(expected))
    assert sorted(target.signatures()) == sorted(expected)
    for body, headers in zip(target.bodies, target.headers, strict=True):
        assert headers["Authorization"] == "Bearer 3f9c1d7e"
        assert headers["Content-Type"] == "application/json"
        payload = json.loads(body, object_pairs_hook=lambda pairs: [k for k, _ in pairs])
        assert isinstance(payload, list)
        assert payload[0] == sorted(payload[0])


async def test_three_retries_then_the_delivery_is_dropped(
    sim: Simulation, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    target.statuses = [500] * 10
    wallet = _fresh(sim, 0)
    sim.add_webhook(url, addresses=[wallet])
    signature = sim.fund(wallet, SOL).signature
    await sim.pusher.wait_for(lambda s: s["dropped"] == 1)
    assert target.signatures() == [signature] * 4
    assert sim.pusher.stats["retries"] == 3
    assert sim.pusher.stats["failed_attempts"] == 4
    assert sim.pusher.stats["delivered"] == 0


async def test_a_retry_that_succeeds_delivers_once(
    sim: Simulation, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    target.statuses = [503, 429]
    wallet = _fresh(sim, 1)
    sim.add_webhook(url, addresses=[wallet])
    sim.fund(wallet, SOL)
    await sim.pusher.wait_for(lambda s: s["delivered"] == 1)
    assert len(target.bodies) == 3
    assert sim.pusher.stats["dropped"] == 0


async def test_duplicates_losses_and_outages(
    sim: Simulation, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    wallet = _fresh(sim, 2)
    sim.add_webhook(url, addresses=[wallet])
    faults = sim.faults["webhook"]
    faults.configure(duplicate_rate=1.0)
    signature = sim.fund(wallet, SOL).signature
    await sim.pusher.wait_for(lambda s: s["duplicates"] == 1)
    assert target.signatures() == [signature, signature]
    faults.configure(duplicate_rate=0.0, drop_rate=1.0)
    sim.fund(wallet, SOL)
    await sim.pusher.wait_for(lambda s: s["lost_by_fault"] == 1)
    faults.reset()
    faults.go_down()
    sim.fund(wallet, SOL)
    await sim.pusher.wait_for(lambda s: s["lost_by_fault"] == 2)
    faults.come_up()
    last = sim.fund(wallet, SOL).signature
    await sim.pusher.wait_for(lambda s: s["delivered"] == 2)
    assert target.signatures() == [signature, signature, last]


async def test_type_filter_and_batches(receiver: tuple[Receiver, str]) -> None:
    target, url = receiver
    async with start_simulation(still_config(webhook_batch_max=3)) as sim:
        market = sim.world.market
        busiest = max(market.token_list, key=lambda t: len(market.events_for(t.mint))).mint
        sim.add_webhook(url, addresses=[busiest], transaction_types=("SWAP",))
        start = market.next_seq
        await sim.advance(120.0)
        expected = [
            e.signature
            for e in market.events_since(start)
            if busiest in e.addresses and sim.services.enhanced.type_of(e) == "SWAP"
        ]
        assert len(expected) > 3
        await sim.pusher.wait_for(lambda s: s["events_delivered"] == len(expected))
        assert sorted(target.signatures()) == sorted(expected)
        assert max(len(json.loads(body)) for body in target.bodies) <= 3
        assert all(tx["type"] == "SWAP" for body in target.bodies for tx in json.loads(body))


async def test_a_receiver_that_times_out_is_retried(receiver: tuple[Receiver, str]) -> None:
    target, url = receiver
    target.hang = asyncio.Event()
    async with start_simulation(still_config(webhook_timeout_s=0.2)) as sim:
        wallet = _fresh(sim, 3)
        sim.add_webhook(url, addresses=[wallet])
        sim.fund(wallet, SOL)
        await sim.pusher.wait_for(lambda s: s["dropped"] == 1)
        assert len(target.bodies) == 4
