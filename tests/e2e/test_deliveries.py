"""Webhook deliveries as Helius makes them, good and bad (issue 5, item 16): duplicates
never open a second position (even after a process restart), a rejected element never
crashes an actor, an unauthorised POST gets 401 and leaves no trace in the tree, and an
event recorded but never handed on (a crash in between) is replayed at start-up."""

from __future__ import annotations

from tests.e2e.kit import (
    EndToEnd,
    Process,
    Trader,
    enhanced,
)
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import OrderSubmitted, PositionOpened


def _opened_once(process: Process) -> PositionOpened:
    process.trading.pass_time(3.1)
    (opened,) = process.events.wait_for(PositionOpened)
    process.trading.pass_time(3.1)  # nothing else becomes due
    assert len(process.events.of(PositionOpened)) == 1
    assert len(process.events.of(OrderSubmitted)) == 1
    return opened


def test_duplicates_and_bad_elements_open_one_position_and_crash_nothing(
    e2e: EndToEnd,
) -> None:
    sim = e2e.sim
    smart = Trader(sim, "e2e-dupes")
    (mint,) = e2e.curve_mints(1)
    e2e.seed([smart.address], [mint])
    tx = enhanced(sim, smart.buy(mint, 1))

    with e2e.process() as process:
        first = process.post([tx])
        assert (first.status_code, first.json()["swaps"]) == (200, 1)
        again = process.post([tx])  # Helius redelivers
        assert (again.status_code, again.json()["duplicates"]) == (200, 1)
        mixed = process.post([tx, {"signature": "not-a-transaction"}, 7])
        assert mixed.status_code == 200
        assert [r["index"] for r in mixed.json()["rejected"]] == [1, 2]
        assert process.post({"not": "an array"}).status_code == 400
        assert process.post([]).status_code == 400
        process.flow(smart.address)
        assert len(process.events.of(SignalScored)) == 1
        opened = _opened_once(process)
        assert opened.token_mint == mint
        assert process.restarts() == {}  # no actor crashed on any of it
        stats = process.ingress_stats()
        assert stats["routed"] == 1

    # a new process on the same stores: the delivery is still known, by its signature
    with e2e.process() as restarted:
        redelivered = restarted.post([tx])
        assert (redelivered.status_code, redelivered.json()["duplicates"]) == (200, 1)
        restarted.flow(smart.address)
        restarted.trading.pass_time(3.1)
        assert restarted.events.of(SignalScored) == []
        assert restarted.events.of(OrderSubmitted) == []
        positions = restarted.trading.positions()["holdings"]
        assert list(positions) == [str(opened.position_id)]


def test_an_unauthorised_post_gets_401_and_leaves_no_trace(
    e2e: EndToEnd,
) -> None:
    sim = e2e.sim
    smart = Trader(sim, "e2e-unauthorised")
    (mint,) = e2e.curve_mints(1)
    e2e.seed([smart.address], [mint])
    signature = smart.buy(mint, 1)
    tx = enhanced(sim, signature)

    with e2e.process() as process:
        for authorization in (None, "Bearer wrong-secret"):
            refused = process.post([tx], authorization=authorization)
            assert refused.status_code == 401
            assert refused.json()["error"] == "unauthorised"
        process.flow(smart.address)
        assert process.stores.webhook_events.get(signature) is None
        assert process.ingress_stats()["routed"] == 0
        assert process.events.of(SignalScored) == []
        # the same transaction, delivered properly, goes through: nothing was half-recorded
        accepted = process.post([tx])
        assert (accepted.status_code, accepted.json()["swaps"]) == (200, 1)
        process.flow(smart.address)
        assert len(process.events.of(SignalScored)) == 1
        process.wiring.marker.flush()  # the batch the marker thread writes twice a second
        row = process.stores.webhook_events.get(signature)
        assert row is not None
        assert row.processed_at is not None  # handed on: never replayed


def test_an_event_recorded_but_never_handed_on_is_replayed_at_start_up(
    e2e: EndToEnd,
) -> None:
    sim = e2e.sim
    smart = Trader(sim, "e2e-replay")
    (mint,) = e2e.curve_mints(1)
    e2e.seed([smart.address], [mint])
    signature = smart.buy(mint, 1)
    tx = enhanced(sim, signature)
    e2e.record_unprocessed(signature, tx)

    with e2e.process() as process:
        process.flow(smart.address)
        (scored,) = process.events.wait_for(SignalScored)
        assert scored.swap_signature == signature
        row = process.stores.webhook_events.get(signature)
        assert row is not None
        assert row.processed_at is not None
        redelivered = process.post([tx])  # Helius' retry of it is a duplicate
        assert redelivered.json()["duplicates"] == 1
        assert _opened_once(process).token_mint == mint
