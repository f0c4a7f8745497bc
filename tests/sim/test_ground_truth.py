"""The world's ground truth is consistent with what actually happened on its chain."""

from __future__ import annotations

import json
from typing import Any

import pytest

from walltrack.sim.events import SwapEvent, TransferEvent
from walltrack.sim.ground_truth import ground_truth
from walltrack.sim.world import World

MIN_FUNDING = 100_000_000  # domain rule: FUNDED_BY needs >= 0.1 SOL


@pytest.fixture(scope="module")
def world() -> World:
    world = World(21)
    world.advance_to(2 * 3600.0)
    return world


@pytest.fixture(scope="module")
def truth(world: World) -> dict[str, Any]:
    return ground_truth(world)


def _swaps(world: World, wallet: str) -> list[SwapEvent]:
    found = [world.market.event(i) for i in world.market.events_for(wallet)]
    return [e for e in found if isinstance(e, SwapEvent) and e.wallet == wallet]


def _fundings(world: World, source: str, destination: str) -> list[TransferEvent]:
    found = [world.market.event(i) for i in world.market.events_for(destination)]
    return [
        e
        for e in found
        if isinstance(e, TransferEvent) and e.source == source and e.destination == destination
    ]


def test_export_is_json(truth: dict[str, Any]) -> None:
    text = json.dumps(truth)
    assert json.loads(text)["seed"] == 21
    assert {"smart_wallets", "clusters", "funders", "insiders", "bots", "rugs"} <= truth.keys()


def test_cluster_members_are_funded_by_their_funder_before_trading(
    world: World, truth: dict[str, Any]
) -> None:
    groups = [c for c in truth["clusters"] if c["kind"] == "copy_group"]
    assert len(groups) == world.params.clusters
    for cluster in groups:
        assert cluster["leader"] in cluster["members"]
        assert cluster["funder"] in truth["funders"]
        for member in cluster["members"]:
            funding = _fundings(world, cluster["funder"], member)
            assert funding, f"{member} never funded by {cluster['funder']}"
            assert funding[0].lamports >= MIN_FUNDING
            swaps = _swaps(world, member)
            assert swaps, f"cluster member {member} never traded"
            assert funding[0].t < swaps[0].t


def test_followers_buy_within_seconds_of_their_leader(world: World, truth: dict[str, Any]) -> None:
    low, high = world.params.follower_delay_s
    for cluster in (c for c in truth["clusters"] if c["kind"] == "copy_group"):
        leader_buys: dict[str, float] = {}
        for e in _swaps(world, cluster["leader"]):
            if e.is_buy:
                leader_buys.setdefault(e.mint, e.t)
        for follower in cluster["members"][1:]:
            buys = [e for e in _swaps(world, follower) if e.is_buy]
            assert buys
            for buy in buys:
                delay = buy.t - leader_buys[buy.mint]
                assert low <= delay <= high


def test_insiders_are_funded_by_their_dev_and_buy_in_the_launch_slot(
    world: World, truth: dict[str, Any]
) -> None:
    tokens = {t["mint"]: t for t in truth["tokens"]}
    assert truth["insiders"]
    for rug in truth["rugs"]:
        for insider in rug["insiders"]:
            assert _fundings(world, rug["dev"], insider)
            token = tokens[rug["mint"]]
            first = next(e for e in _swaps(world, insider) if e.mint == rug["mint"])
            assert first.is_buy
            assert first.slot == token["launch_slot"]


def test_rugs_are_dumped_by_their_dev(world: World, truth: dict[str, Any]) -> None:
    rugged = [r for r in truth["rugs"] if r["rugged_at"] is not None]
    assert len(rugged) >= 5
    for rug in rugged:
        token = world.market.tokens[rug["mint"]]
        assert token.creator == rug["dev"]
        dev_sells = [e for e in _swaps(world, rug["dev"]) if e.mint == token.mint and not e.is_buy]
        assert dev_sells
        assert token.price() < token.peak_price * 0.6


def test_smart_wallets_win_and_runners_run(truth: dict[str, Any]) -> None:
    smart = truth["smart_wallets"]
    assert len(smart) >= 5
    winners = [s for s in smart if s["sol_received"] > 1.5 * s["sol_spent"]]
    assert len(winners) >= 0.8 * len(smart)
    assert all(s["buys"] >= 10 for s in smart)
    runners = [t for t in truth["tokens"] if t["runner"]]
    assert runners
    assert all(t["peak_multiple"] >= 10 for t in runners)
    duds = [t for t in truth["tokens"] if t["fate"] == "dud"]
    assert max(t["peak_multiple"] for t in duds) < 10


def test_bots_trade_a_lot_and_copy_farmers_have_no_funder(
    world: World, truth: dict[str, Any]
) -> None:
    flippers = [b["address"] for b in truth["bots"] if b["kind"] == "flipper"]
    assert max(len(_swaps(world, f)) for f in flippers) >= 200
    funders = set(truth["funders"])
    for farmer in truth["copy_farmers"]:
        events = [world.market.event(i) for i in world.market.events_for(farmer["address"])]
        sources = {e.source for e in events if isinstance(e, TransferEvent)}
        assert sources
        assert not sources & funders
        assert sources <= set(truth["exchanges"])
