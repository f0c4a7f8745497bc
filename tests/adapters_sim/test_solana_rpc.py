"""The Solana RPC client against the simulator's nodes: every read it offers agrees with
the simulated chain, and calls rotate from a failing provider (rpc-0) to the other (rpc-1).
"""

from __future__ import annotations

import pytest

from tests.adapters_sim.conftest import HookedTime
from tests.adapters_sim.probes import expected_backoff
from tests.adapters_sim.venues import SimVenues
from tests.sim.conftest import still_config
from walltrack.adapters.resilience import BreakerState
from walltrack.errors import RejectedByVenueError, UpstreamError, VenueUnavailableError
from walltrack.sim.events import SwapEvent
from walltrack.sim.harness import Simulation, start_simulation


def _smart_swap(sim: Simulation) -> SwapEvent:
    """The latest swap of a smart wallet that still holds some of the token it traded."""
    market = sim.world.market
    for wallet in sim.world.ctx.roles.smart:
        for seq in reversed(market.events_for(wallet)):
            event = market.event(seq)
            if type(event) is SwapEvent and event.wallet == wallet:
                return event
    msg = "no smart wallet has traded yet"
    raise AssertionError(msg)


async def test_balance_transaction_and_accounts(old_sim: Simulation, old_venues: SimVenues) -> None:
    rpc = old_venues.rpc()
    market = old_sim.world.market
    swap = _smart_swap(old_sim)
    wallet = swap.wallet

    assert await rpc.get_balance(wallet) == market.ledger.lamports(wallet)

    tx = await rpc.get_transaction(swap.signature)
    assert tx is not None
    assert (tx.signature, tx.slot, tx.fee, tx.err) == (swap.signature, swap.slot, swap.fee, None)
    assert tx.account_keys[0] == wallet
    assert tx.post_balances[0] - tx.pre_balances[0] == swap.wallet_sol_change
    mine = [b for b in tx.post_token_balances if b.owner == wallet and b.mint == swap.mint]
    expected_after = swap.tokens_before + (swap.tokens if swap.is_buy else -swap.tokens)
    assert [b.amount for b in mine] == [expected_after]
    assert await rpc.get_transaction("1" * 88) is None

    accounts = await rpc.get_token_accounts_by_owner(wallet)
    assert {a.mint for a in accounts} == set(market.ledger.owner_mints[wallet])
    for account in accounts:
        assert account.owner == wallet
        assert account.amount == market.ledger.tokens(wallet, account.mint)
        assert account.decimals == 6
    only = await rpc.get_token_accounts_by_owner(wallet, mint=swap.mint)
    assert [a.mint for a in only] == [swap.mint]

    mint_info = await rpc.get_account_info(swap.mint)
    assert mint_info is not None
    assert mint_info.mint is not None
    assert (mint_info.parsed_type, mint_info.mint.decimals) == ("mint", 6)
    assert mint_info.mint.mint_authority is None
    ata = await rpc.get_account_info(only[0].address)
    assert ata is not None
    assert ata.token_account is not None
    assert (ata.token_account.owner, ata.token_account.mint) == (wallet, swap.mint)
    system = await rpc.get_account_info(wallet)
    assert system is not None
    assert (system.lamports, system.owner) == (market.ledger.lamports(wallet), "1" * 32)

    holders = await rpc.get_token_largest_accounts(swap.mint)
    assert 0 < len(holders) <= 20
    assert [h.amount for h in holders] == sorted((h.amount for h in holders), reverse=True)
    for holder in holders:
        owner_mint = market.ledger.token_accounts.get(holder.address)
        if owner_mint is not None:  # a wallet's ATA (the curve or pool vault is not)
            assert holder.amount == market.ledger.tokens(*owner_mint)

    latest = await rpc.get_latest_blockhash()
    assert latest.blockhash == old_sim.world.blockhash(old_sim.world.slot)
    assert latest.slot == old_sim.world.slot
    assert latest.last_valid_block_height > old_sim.world.block_height


async def test_signatures_page_backwards_with_before_and_until(
    old_sim: Simulation, old_venues: SimVenues
) -> None:
    rpc = old_venues.rpc()
    market = old_sim.world.market
    busiest = max(market.token_list, key=lambda t: len(market.events_for(t.mint))).mint
    expected = [market.event(seq).signature for seq in reversed(market.events_for(busiest))]
    assert len(expected) > 250

    pages = [page async for page in rpc.iter_signatures_for_address(busiest, page_size=100)]
    assert [len(p) for p in pages[:-1]] == [100] * (len(pages) - 1)
    assert [info.signature for p in pages for info in p] == expected

    until = expected[150]
    newer = [page async for page in rpc.iter_signatures_for_address(busiest, until=until)]
    assert [info.signature for p in newer for info in p] == expected[:150]
    window = await rpc.get_signatures_for_address(
        busiest, before=expected[10], until=expected[20], limit=1000
    )
    assert [info.signature for info in window] == expected[11:20]
    assert window[0].slot == market.event(market.events_for(busiest)[-12]).slot
    with pytest.raises(RejectedByVenueError):
        await rpc.get_signatures_for_address(busiest, before="1" * 88)


# -- provider rotation ------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["503", "reset", "429", "timeout"])
async def test_a_failing_provider_is_left_for_the_next_without_waiting(
    sim: Simulation, venues: SimVenues, time: HookedTime, fault: str
) -> None:
    rpc = venues.rpc(timeout_s=0.25)
    wallet = next(iter(sim.world.ctx.roles.smart))
    rpc0, rpc1 = sim.faults["rpc-0"], sim.faults["rpc-1"]
    if fault in ("503", "reset"):
        rpc0.configure(down_style=fault)
        rpc0.go_down()
    elif fault == "429":
        rpc0.configure(rate_429=1.0)
    else:
        rpc0.configure(rate_timeout=1.0, timeout_s=1.0)

    assert rpc.current_provider == "solana_rpc#0"
    assert await rpc.get_balance(wallet) == sim.world.market.ledger.lamports(wallet)
    assert rpc.current_provider == "solana_rpc#1"
    assert (rpc0.requests, rpc1.requests) == (1, 1)
    assert time.sleeps == []  # rotation is immediate; backoff is for when all providers fail
    for _ in range(5):
        await rpc.get_balance(wallet)
    assert (rpc0.requests, rpc1.requests) == (1, 6)  # the failing provider is not asked again
    counters = venues.registry.snapshot()
    assert counters["solana_rpc"]["rotations"] == 1
    assert counters["solana_rpc#0"]["failures"] == 1
    assert counters["solana_rpc#1"]["successes"] == 6


async def test_when_every_provider_fails_rounds_are_retried_with_backoff(
    sim: Simulation, venues: SimVenues, time: HookedTime
) -> None:
    rpc = venues.rpc()
    wallet = next(iter(sim.world.ctx.roles.smart))
    rpc0, rpc1 = sim.faults["rpc-0"], sim.faults["rpc-1"]
    rpc0.go_down()
    rpc1.go_down()
    time.during[2] = rpc1.come_up  # rpc-1 recovers during the second wait

    assert await rpc.get_balance(wallet) == sim.world.market.ledger.lamports(wallet)
    assert time.sleeps == pytest.approx(expected_backoff(7, retries=2))
    assert (rpc0.requests, rpc1.requests) == (3, 3)
    assert rpc.current_provider == "solana_rpc#1"
    assert venues.registry.snapshot()["solana_rpc"]["retries"] == 2


async def test_all_providers_down_open_their_breakers_then_the_first_back_serves(
    sim: Simulation, venues: SimVenues, time: HookedTime
) -> None:
    rpc = venues.rpc()
    wallet = next(iter(sim.world.ctx.roles.smart))
    rpc0, rpc1 = sim.faults["rpc-0"], sim.faults["rpc-1"]
    rpc0.go_down()
    rpc1.go_down()
    with pytest.raises(UpstreamError):
        await rpc.get_balance(wallet)  # 4 rounds: 4 failures on each provider
    with pytest.raises(VenueUnavailableError, match="every provider"):
        await rpc.get_balance(wallet)  # the 5th failure opens both breakers
    assert [p.guard.breaker.state for p in rpc.providers] == [BreakerState.OPEN] * 2
    assert (rpc0.requests, rpc1.requests) == (5, 5)
    with pytest.raises(VenueUnavailableError):
        await rpc.get_balance(wallet)
    assert (rpc0.requests, rpc1.requests) == (5, 5)

    time.clock.advance(30.0)
    rpc1.come_up()
    assert await rpc.get_balance(wallet) == sim.world.market.ledger.lamports(wallet)
    assert [p.guard.breaker.state for p in rpc.providers] == [
        BreakerState.OPEN,  # its trial failed: open for another 30 s
        BreakerState.CLOSED,
    ]
    assert rpc.current_provider == "solana_rpc#1"


async def test_a_provider_with_its_own_base_path_and_key_query(venues: SimVenues) -> None:
    async with start_simulation(still_config(warmup_s=60.0, rpc_providers=1)) as other:
        url = f"{other.endpoints.rpc_urls[0]}/?api-key=second-provider"
        rpc = venues.rpc([venues.sim.endpoints.rpc_urls[0], url])
        venues.sim.faults["rpc-0"].go_down()
        slot = (await rpc.get_latest_blockhash()).slot
        assert slot == other.world.slot
        assert other.faults["rpc-0"].requests == 1
