"""Tracked wallets' swaps reach WallTrack through the simulated Helius webhooks, and through
RPC polling when the webhooks stop: either way the classifier recovers every swap.

The whole chain uses the real clients: the webhook address lists are synced from the
tracked wallets with the Helius client; when webhooks are lost, the signature poller reads
the wallets' new signatures from the fake RPC (rotating past a failing provider) and the
Helius client fetches those transactions by signature.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from tests.adapters_sim.receiver import webhook_receiver
from tests.adapters_sim.venues import SimVenues
from walltrack.adapters.signature_poller import SignaturePoller
from walltrack.domain.swaps import Swap, classify_swap
from walltrack.sim.events import SwapEvent
from walltrack.sim.harness import Simulation

AUTH = "Bearer 0d4c2b7e"
type SwapKey = tuple[str, str, str, str, int, int]
"""(signature, wallet, side, mint, raw token amount, SOL lamports)."""


def _tracked(sim: Simulation) -> list[str]:
    roles = sim.world.ctx.roles
    return sorted({*roles.smart, *(m for c in roles.clusters for m in c.members)})


def _world_swaps(sim: Simulation, since_seq: int, wallets: set[str]) -> set[SwapKey]:
    """What the world made: every swap of a tracked wallet since `since_seq`."""
    found: set[SwapKey] = set()
    for event in sim.world.market.events_since(since_seq):
        if type(event) is SwapEvent and event.wallet in wallets:
            fees = event.protocol_fee + event.creator_fee
            sol = event.sol + fees if event.is_buy else event.sol - fees
            side = "buy" if event.is_buy else "sell"
            found.add((event.signature, event.wallet, side, event.mint, event.tokens, sol))
    return found


def _classified(txs: Iterable[Mapping[str, Any]], wallets: list[str]) -> set[SwapKey]:
    """What WallTrack reads: each transaction classified for each tracked wallet."""
    found: set[SwapKey] = set()
    for tx in txs:
        for wallet in wallets:
            swap = classify_swap(tx, wallet)
            if isinstance(swap, Swap):
                found.add(
                    (
                        swap.signature,
                        swap.wallet,
                        swap.side.value,
                        swap.token_mint,
                        swap.token_amount,
                        swap.sol_lamports,
                    )
                )
    return found


async def test_every_tracked_swap_is_recovered_from_the_webhook_stream(
    sim: Simulation, venues: SimVenues
) -> None:
    tracked = _tracked(sim)
    sim.faults["webhook"].configure(duplicate_rate=0.3)
    async with webhook_receiver(AUTH, fail_every=7) as (receiver, url):
        await venues.helius().sync_tracked_wallets(
            webhook_url=url, wallets=tracked, auth_header=AUTH, batch_size=10
        )
        start = sim.world.market.next_seq
        await sim.advance(900.0)
        stats = sim.pusher.stats
        assert stats["matched"] > 0
        await sim.pusher.wait_for(
            lambda s: (
                s["delivered"] + s["duplicates"] == s["matched"] + s["duplicates"]
                and s["events_delivered"] == s["matched"]
            )
        )
    expected = _world_swaps(sim, start, set(tracked))
    assert len(expected) > 50
    assert stats["duplicates"] > 0
    assert stats["retries"] > 0  # our endpoint's 503s were retried by Helius
    assert stats["dropped"] == 0
    assert receiver.refused == 0
    assert receiver.deliveries > len(receiver.unique)  # duplicates arrived and were folded
    assert _classified(receiver.unique.values(), tracked) == expected


@pytest.mark.parametrize("loss", ["outage", "every-delivery-dropped"])
async def test_when_webhooks_stop_rpc_polling_recovers_every_swap(
    sim: Simulation, venues: SimVenues, loss: str
) -> None:
    tracked = _tracked(sim)
    rpc, helius = venues.rpc(), venues.helius()
    poller = SignaturePoller(rpc, tracked, page_size=50)
    async with webhook_receiver(AUTH) as (receiver, url):
        await helius.sync_tracked_wallets(webhook_url=url, wallets=tracked, auth_header=AUTH)
        assert [found async for found in poller.poll()] == []  # the baseline pass

        if loss == "outage":  # Helius stops delivering
            sim.faults["webhook"].go_down()
        else:
            sim.faults["webhook"].configure(drop_rate=1.0)
        start = sim.world.market.next_seq
        await sim.advance(600.0)
        await sim.pusher.wait_for(lambda s: s["lost_by_fault"] == s["matched"])
        assert receiver.posts == 0

        sim.faults["rpc-0"].go_down()  # and the first RPC provider fails too
        polled = [found async for found in poller.poll()]
    assert rpc.current_provider == "solana_rpc#1"
    market = sim.world.market
    for found in polled:
        new_seqs = [seq for seq in market.events_for(found.wallet) if seq >= start]
        assert [s.signature for s in found.signatures] == [
            market.event(seq).signature for seq in new_seqs
        ]  # oldest first, none missed
        assert not found.truncated
    polled_wallets = {found.wallet for found in polled}
    assert polled_wallets == {w for w in tracked if market.events_for(w)[-1] >= start}

    signatures = list(dict.fromkeys(s.signature for f in polled for s in f.signatures))
    transactions = await helius.parse_transactions(signatures)
    expected = _world_swaps(sim, start, set(tracked))
    assert len(expected) > 50
    assert _classified(transactions, tracked) == expected
    assert poller.last_seen() == {
        w: market.event(market.events_for(w)[-1]).signature for w in tracked
    }
    assert [found async for found in poller.poll()] == []  # nothing new since
