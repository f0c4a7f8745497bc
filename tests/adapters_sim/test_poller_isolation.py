"""One tracked address the RPC node refuses never stops the polling of the others."""

from __future__ import annotations

from tests.adapters_sim.venues import SimVenues
from walltrack.adapters.signature_poller import SignaturePoller
from walltrack.errors import RejectedByVenueError
from walltrack.sim.events import SwapEvent
from walltrack.sim.harness import Simulation

NOT_A_PUBKEY = "not-a-base58-public-key"


async def test_a_refused_address_is_skipped_and_the_rest_still_polled(
    sim: Simulation, venues: SimVenues
) -> None:
    rpc = venues.rpc()
    smart = sorted(sim.world.ctx.roles.smart)
    refused = None
    try:
        await rpc.get_signatures_for_address(NOT_A_PUBKEY, limit=1)
    except RejectedByVenueError as error:
        refused = error
    assert refused is not None  # the node does refuse it: the case below is real
    poller = SignaturePoller(rpc, [NOT_A_PUBKEY, *smart], page_size=50)
    assert [found async for found in poller.poll()] == []  # the baseline pass

    start = sim.world.market.next_seq
    await sim.advance(900.0)
    traded = {
        e.wallet
        for e in sim.world.market.events_since(start)
        if type(e) is SwapEvent and e.wallet in set(smart)
    }
    assert traded  # the smart wallets did trade meanwhile
    found = {f.wallet async for f in poller.poll()}
    assert traded <= found
    assert NOT_A_PUBKEY not in found
