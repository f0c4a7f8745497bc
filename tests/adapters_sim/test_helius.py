"""The Helius client against the fake Helius: webhook address lists synced from tracked
wallets in batches, and a wallet's whole history read as enhanced transactions paging
backwards, checked against what the world generated.
"""

from __future__ import annotations

import pytest

from tests.adapters_sim.venues import SimVenues
from tests.sim.conftest import still_config
from walltrack.adapters.helius import HeliusClient
from walltrack.domain.swaps import Side, Swap, classify_swap
from walltrack.errors import ConfigurationError, RejectedByVenueError
from walltrack.sim.constants import ATA_RENT
from walltrack.sim.ground_truth import wallet_summary
from walltrack.sim.harness import Simulation, start_simulation
from walltrack.sim.servers.context import ApiKeys

HOOK_URL = "http://127.0.0.1:9/hooks/helius"
AUTH = "Bearer 5e1f0c7a"


def _tracked(sim: Simulation) -> list[str]:
    roles = sim.world.ctx.roles
    return sorted({*roles.smart, *(m for c in roles.clusters for m in c.members)})


def _hooked_addresses(sim: Simulation, url: str = HOOK_URL) -> dict[str, list[str]]:
    return {h.webhook_id: h.addresses for h in sim.webhooks.hooks.values() if h.url == url}


async def test_webhook_addresses_follow_the_tracked_wallets_in_batches(
    sim: Simulation, venues: SimVenues
) -> None:
    helius = venues.helius()
    foreign = sim.add_webhook("http://127.0.0.1:9/someone-else", addresses=["x" * 32])
    tracked = _tracked(sim)
    assert len(tracked) > 20

    first = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=tracked, auth_header=AUTH, batch_size=8
    )
    hooks = _hooked_addresses(sim)
    assert len(first.created) == len(hooks) == -(-len(tracked) // 8)
    assert all(len(addresses) <= 8 for addresses in hooks.values())
    assert sorted(a for addresses in hooks.values() for a in addresses) == tracked
    fetched = await helius.get_webhook(first.created[0])
    assert (fetched.webhook_url, fetched.auth_header) == (HOOK_URL, AUTH)
    assert list(fetched.account_addresses) == hooks[first.created[0]]
    for hook_id in first.created:
        hook = sim.webhooks.hooks[hook_id]
        assert (hook.auth_header, hook.transaction_types, hook.webhook_type) == (
            AUTH,
            ["ANY"],
            "enhanced",
        )

    unchanged = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=reversed(tracked), auth_header=AUTH, batch_size=8
    )
    assert (unchanged.created, unchanged.updated, unchanged.deleted) == ((), (), ())

    dropped = set(tracked[:3])
    added = [sim.world.keys.wallet("newly-tracked", n) for n in range(2)]
    wanted = sorted((set(tracked) - dropped) | set(added))
    second = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=wanted, auth_header=AUTH, batch_size=8
    )
    assert second.created == ()
    assert 1 <= len(second.updated) <= 2  # only the webhooks whose list changed
    assert second.unchanged
    hooks = _hooked_addresses(sim)
    assert sorted(a for addresses in hooks.values() for a in addresses) == wanted
    assert all(len(addresses) <= 8 for addresses in hooks.values())

    rotated = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=wanted, auth_header="Bearer rotated", batch_size=8
    )
    assert len(rotated.updated) == len(hooks)
    assert {sim.webhooks.hooks[h].auth_header for h in hooks} == {"Bearer rotated"}

    cleared = await helius.sync_tracked_wallets(
        webhook_url=HOOK_URL, wallets=[], auth_header=AUTH, batch_size=8
    )
    assert sorted(cleared.deleted) == sorted(hooks)
    assert _hooked_addresses(sim) == {}
    assert list(sim.webhooks.hooks) == [foreign]  # someone else's webhook is left alone
    listed = await helius.list_webhooks()
    assert [h.webhook_id for h in listed] == [foreign]


async def test_a_wrong_api_key_is_a_configuration_error_that_hides_the_key() -> None:
    config = still_config(warmup_s=60.0, api_keys=ApiKeys(helius="the-right-key"))
    async with start_simulation(config) as locked:
        wrong = HeliusClient(api_key="a-wrong-key", base_url=locked.endpoints.helius_base_url)
        try:
            with pytest.raises(ConfigurationError) as refused:
                await wrong.list_webhooks()
        finally:
            await wrong.aclose()
    assert refused.value.variable == "WALLTRACK_HELIUS_API_KEY"
    assert "a-wrong-key" not in str(refused.value)


@pytest.mark.parametrize("role", ["smart", "bot"])
async def test_a_wallets_whole_history_pages_backwards_and_matches_the_world(
    old_sim: Simulation, old_venues: SimVenues, role: str
) -> None:
    helius = old_venues.helius()
    market = old_sim.world.market
    roles = old_sim.world.ctx.roles
    group = roles.smart if role == "smart" else roles.bots
    wallet = max(group, key=lambda w: len(market.events_for(w)))
    page_size = 5 if role == "smart" else 100
    expected = [market.event(seq).signature for seq in reversed(market.events_for(wallet))]

    pages = [
        page async for page in helius.iter_transactions_for_address(wallet, page_size=page_size)
    ]
    assert len(pages) == -(-len(expected) // page_size)
    history = [tx for page in pages for tx in page]
    assert [tx["signature"] for tx in history] == expected  # newest first, no gap, no repeat

    swaps = [s for tx in history if isinstance(s := classify_swap(tx, wallet), Swap)]
    truth = wallet_summary(old_sim.world, wallet)
    buys = [s for s in swaps if s.side is Side.BUY]
    sells = [s for s in swaps if s.side is Side.SELL]
    assert (len(buys), len(sells)) == (truth["buys"], truth["sells"])
    assert len({s.token_mint for s in swaps}) == truth["tokens"]
    assert sum(s.sol_lamports - s.network_fee_lamports for s in sells) == truth["sol_received"]
    rent = truth["sol_spent"] - sum(s.sol_lamports + s.network_fee_lamports for s in buys)
    assert rent % ATA_RENT == 0  # what is left is one ATA rent per token first bought
    assert 0 <= rent // ATA_RENT <= truth["tokens"]
    if role == "smart":
        listed = {w["address"]: w for w in old_sim.ground_truth()["smart_wallets"]}
        assert listed[wallet]["buys"] == len(buys)


async def test_until_type_filter_and_lookup_by_signature(
    old_sim: Simulation, old_venues: SimVenues
) -> None:
    helius = old_venues.helius()
    market = old_sim.world.market
    bot = max(old_sim.world.ctx.roles.bots, key=lambda w: len(market.events_for(w)))
    expected = [market.event(seq).signature for seq in reversed(market.events_for(bot))]

    newer = [tx async for p in helius.iter_transactions_for_address(bot, until=expected[120])
             for tx in p]  # fmt: skip
    assert [tx["signature"] for tx in newer] == expected[:120]
    swaps_only = await helius.transactions_for_address(bot, tx_type="SWAP", limit=50)
    assert swaps_only
    assert all(tx["type"] == "SWAP" for tx in swaps_only)

    wanted = [*expected[:150], "1" * 88]
    found = await helius.parse_transactions(wanted)
    assert [tx["signature"] for tx in found] == expected[:150]  # the unknown one is omitted
    # Paging stops on an empty page (Helius pages may be short mid-history): 3 requests;
    # then the type-filtered page; then 151 signatures at 100 per request.
    assert old_sim.faults["helius"].requests == 3 + 1 + 2
    with pytest.raises(RejectedByVenueError):
        await helius.transactions_for_address(bot, before="1" * 88)
