"""RPC polling of tracked wallets: the fallback when Helius webhooks stop arriving."""

from __future__ import annotations

import pytest

from tests.adapters.canned_rpc import RpcWorld, new_address
from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.signature_poller import SignaturePoller
from walltrack.adapters.solana_rpc import SolanaRpcClient


@pytest.fixture
def world(fake: FakeVenue) -> RpcWorld:
    rpc_world = RpcWorld()
    rpc_world.install(fake)
    return rpc_world


@pytest.fixture
def rpc(fake, world, time, http) -> SolanaRpcClient:
    guard = time.guard("solana_rpc#0")
    return SolanaRpcClient([fake.base_url], client=http, guards=[guard], retry=guard.retry)


async def poll_all(poller: SignaturePoller) -> dict[str, list[str]]:
    return {found.wallet: [s.signature for s in found.signatures] async for found in poller.poll()}


async def test_first_poll_sets_a_baseline_then_yields_only_new(rpc, world) -> None:
    wallet = new_address()
    world.add_signatures(wallet, 5)
    poller = SignaturePoller(rpc, [wallet])
    assert await poll_all(poller) == {}
    new = world.add_signatures(wallet, 3)
    assert await poll_all(poller) == {wallet: new}  # oldest first
    assert await poll_all(poller) == {}
    assert poller.last_seen() == {wallet: new[-1]}


async def test_many_new_signatures_are_paged_with_before(fake, rpc, world) -> None:
    wallet = new_address()
    old = world.add_signatures(wallet, 2)
    poller = SignaturePoller(rpc, [wallet], last_seen={wallet: old[-1]}, page_size=4)
    new = world.add_signatures(wallet, 10)
    assert await poll_all(poller) == {wallet: new}
    configs = [r.body["params"][1] for r in fake.hits("getSignaturesForAddress")]
    assert all(c["until"] == old[-1] for c in configs)
    assert [c.get("before") for c in configs] == [None, new[-4], new[-8]]


async def test_truncated_when_more_than_max_pages(rpc, world) -> None:
    wallet = new_address()
    old = world.add_signatures(wallet, 1)
    poller = SignaturePoller(rpc, [wallet], last_seen={wallet: old[0]}, page_size=2, max_pages=2)
    new = world.add_signatures(wallet, 7)
    (found,) = [f async for f in poller.poll()]
    assert found.truncated
    assert [s.signature for s in found.signatures] == new[-4:]


async def test_failing_wallet_is_skipped_and_retried_next_poll(fake, rpc, world) -> None:
    first, second = new_address(), new_address()
    world.add_signatures(first, 1)
    world.add_signatures(second, 1)
    poller = SignaturePoller(rpc, [first, second])
    await poll_all(poller)
    new_first = world.add_signatures(first, 1)
    new_second = world.add_signatures(second, 2)
    fake.inject(
        "rpc_error", where="getSignaturesForAddress", times=4, code=-32603, message="Internal error"
    )
    assert await poll_all(poller) == {second: new_second}
    assert await poll_all(poller) == {first: new_first}


async def test_track_replaces_wallets_and_keeps_progress(rpc, world) -> None:
    kept, dropped, added = new_address(), new_address(), new_address()
    for wallet in (kept, dropped, added):
        world.add_signatures(wallet, 1)
    poller = SignaturePoller(rpc, [kept, dropped])
    await poll_all(poller)
    poller.track([kept, added])
    assert set(poller.last_seen()) == {kept}
    new_kept = world.add_signatures(kept, 1)
    assert await poll_all(poller) == {kept: new_kept}  # `added` only got its baseline
    new_added = world.add_signatures(added, 1)
    assert await poll_all(poller) == {added: new_added}
