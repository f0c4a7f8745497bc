"""Helius REST against a loopback fake: webhooks, address sync in batches, paging."""

from __future__ import annotations

import pytest

from tests.adapters.canned_rest import HeliusWorld
from tests.adapters.canned_rpc import new_address
from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.helius_webhooks import plan_webhook_batches
from walltrack.domain.venues import HeliusWebhook, WebhookSpec
from walltrack.errors import ConfigurationError, UpstreamError

API_KEY = "helius-test-key-3f9c"
HOOK_URL = "https://walltrack.example.com/hooks/helius"
AUTH = "Bearer 3f9c1d7e5b2a48c6a0e1f4b7c9d2e6a8"


@pytest.fixture
def world(fake: FakeVenue) -> HeliusWorld:
    fake.required_query = {"api-key": API_KEY}
    helius_world = HeliusWorld()
    helius_world.install(fake)
    return helius_world


@pytest.fixture
def helius(fake, world, time, http) -> HeliusClient:
    return HeliusClient(
        api_key=API_KEY, base_url=fake.base_url, client=http, guard=time.guard("helius")
    )


async def test_create_list_get_update_delete(helius, world) -> None:
    wallets = (new_address(), new_address())
    spec = WebhookSpec(webhook_url=HOOK_URL, account_addresses=wallets, auth_header=AUTH)
    created = await helius.create_webhook(spec)
    assert created.account_addresses == wallets
    assert created.transaction_types == ("ANY",)
    assert created.webhook_type == "enhanced"
    assert created.auth_header == AUTH
    assert AUTH not in repr(created)
    assert [w.webhook_id for w in await helius.list_webhooks()] == [created.webhook_id]
    third = new_address()
    updated = await helius.update_webhook(
        created.webhook_id,
        WebhookSpec(webhook_url=HOOK_URL, account_addresses=(*wallets, third), auth_header=AUTH),
    )
    assert updated.account_addresses[-1] == third
    assert (
        await helius.get_webhook(created.webhook_id)
    ).account_addresses == updated.account_addresses
    await helius.delete_webhook(created.webhook_id)
    assert await helius.list_webhooks() == ()


async def test_missing_api_key_is_a_configuration_error(fake, world, time, http) -> None:
    client = HeliusClient(
        api_key="wrong", base_url=fake.base_url, client=http, guard=time.guard("helius")
    )
    with pytest.raises(ConfigurationError) as caught:
        await client.list_webhooks()
    assert caught.value.variable == "WALLTRACK_HELIUS_API_KEY"
    assert "wrong" not in str(caught.value)
    assert time.sleeps == []


async def test_sync_spreads_wallets_over_batches_and_writes_only_changes(
    fake, helius, world
) -> None:
    wallets = [new_address() for _ in range(7)]
    first = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=wallets, auth_header=AUTH, batch_size=3
    )
    assert len(first.created) == 3
    hooks = await helius.list_webhooks()
    assert sorted(len(h.account_addresses) for h in hooks) == [1, 3, 3]
    assert {a for h in hooks for a in h.account_addresses} == set(wallets)
    writes_before = len([r for r in fake.hits("/v0/webhooks") if r.method != "GET"])

    again = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=wallets, auth_header=AUTH, batch_size=3
    )
    assert again.created == again.updated == again.deleted == ()
    assert len(again.unchanged) == 3
    assert len([r for r in fake.hits("/v0/webhooks") if r.method != "GET"]) == writes_before

    newcomer = new_address()
    third = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=[*wallets[1:], newcomer], auth_header=AUTH, batch_size=3
    )
    assert third.created == ()
    assert third.deleted == ()
    assert len(third.updated) == 1
    assert len(third.unchanged) == 2
    hooks = await helius.list_webhooks()
    assert {a for h in hooks for a in h.account_addresses} == {*wallets[1:], newcomer}
    put = [r for r in fake.hits("/v0/webhooks/") if r.method == "PUT"][-1]
    assert put.body["authHeader"] == AUTH
    assert put.body["webhookURL"] == HOOK_URL


async def test_sync_leaves_foreign_webhooks_and_deletes_emptied_ones(helius, world) -> None:
    foreign = await helius.create_webhook(
        WebhookSpec(webhook_url="https://other.example/h", account_addresses=(new_address(),))
    )
    wallets = [new_address() for _ in range(4)]
    await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=wallets, auth_header=AUTH, batch_size=2
    )
    result = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=wallets[:1], auth_header=AUTH, batch_size=2
    )
    assert len(result.deleted) == 1
    assert len(result.updated) == 1
    remaining = await helius.list_webhooks()
    assert {h.webhook_id for h in remaining} >= {foreign.webhook_id}
    assert [h.account_addresses for h in remaining if h.webhook_url == HOOK_URL] == [(wallets[0],)]


async def test_sync_rewrites_a_webhook_whose_secret_changed(helius, world) -> None:
    wallets = [new_address()]
    await helius.sync_tracked_wallets(webhook_url=HOOK_URL, wallets=wallets, auth_header=AUTH)
    result = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=wallets, auth_header="Bearer new"
    )
    assert len(result.updated) == 1
    assert (await helius.list_webhooks())[0].auth_header == "Bearer new"


def test_plan_keeps_wallets_on_their_webhook() -> None:
    hooks = [
        HeliusWebhook(
            webhook_id="a",
            webhook_url=HOOK_URL,
            account_addresses=("w1", "w2"),
            transaction_types=("ANY",),
            webhook_type="enhanced",
        ),
        HeliusWebhook(
            webhook_id="b",
            webhook_url=HOOK_URL,
            account_addresses=("w3",),
            transaction_types=("ANY",),
            webhook_type="enhanced",
        ),
    ]
    plan = plan_webhook_batches(hooks, ["w1", "w2", "w3", "w4", "w5", "w6"], batch_size=2)
    assert plan.unchanged == ("a",)
    assert plan.updates == {"b": ("w3", "w4")}
    assert plan.creates == (("w5", "w6"),)


async def test_enhanced_history_pages_backward_with_before(fake, helius, world) -> None:
    wallet = new_address()
    signatures = world.add_history(wallet, 12)  # oldest first
    pages = [p async for p in helius.iter_transactions_for_address(wallet, page_size=5)]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [tx["signature"] for p in pages for tx in p] == list(reversed(signatures))
    queries = [r.query for r in fake.hits(f"/v0/addresses/{wallet}")]
    assert "before" not in queries[0]
    assert queries[1]["before"] == pages[0][-1]["signature"]
    assert queries[0]["api-key"] == API_KEY


async def test_enhanced_history_stops_at_until(helius, world) -> None:
    wallet = new_address()
    signatures = world.add_history(wallet, 10)
    pages = [
        p
        async for p in helius.iter_transactions_for_address(
            wallet, until=signatures[6], page_size=2
        )
    ]
    assert [tx["signature"] for p in pages for tx in p] == list(reversed(signatures[7:]))


async def test_parse_transactions_batches_by_100(fake, helius, world) -> None:
    wallet = new_address()
    signatures = world.add_history(wallet, 150)
    found = await helius.parse_transactions([*signatures, "unknown"])
    assert len(found) == 150
    assert [len(r.body["transactions"]) for r in fake.hits("/v0/transactions")] == [100, 51]


async def test_api_key_never_appears_in_errors(fake, helius, time) -> None:
    fake.down = True
    with pytest.raises(UpstreamError) as caught:
        await helius.list_webhooks()
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
    assert API_KEY not in str(helius.guard.metrics.snapshot())
