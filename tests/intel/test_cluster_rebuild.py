"""The cluster rebuild on the simulator and the real graph; its job actor and the reload.

The world's copy groups (a funder pays a leader and its followers, who copy the leader's
buys seconds later) must come out as clusters with the right leader; the exchanges that
fund the smart wallets must be recognised as hubs and join nobody.
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest

from actors.cluster import ClusterActor
from actors.intel_clusters import INTEL_CLUSTERS, ClusterRebuildActor, RunClusterRebuild
from actors.names import CLUSTER, SCORER
from actors.pipeline_messages import GetStats
from actors.runtime.base import SupervisedActor
from supervisors.specs import ChildSpec
from tests.integration.graph_fixtures import *  # noqa: F403 - the real graph server
from tests.intel.kit import still
from tests.runtime.kit import START, make_services, running_tree
from walltrack.adapters.graph.live_buys import GraphBuyRecorder
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.graph.stored_clusters import GraphClusterSource
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.intel.cluster_history import ClusterHistory
from walltrack.adapters.intel.cluster_links import Transfer
from walltrack.adapters.intel.cluster_rebuild import ClusterRebuild
from walltrack.adapters.intel.cluster_store import ClusterStore
from walltrack.adapters.resilience import build_guard
from walltrack.domain.clustering import FirstBuy
from walltrack.domain.evaluation import adjusted_rand_index
from walltrack.domain.messages.clusters import ClusterContextUpdated
from walltrack.domain.params import default_params
from walltrack.eval.world import OPEN
from walltrack.sim.harness import start_simulation

PARAMS = default_params()


def rebuild_on(repository: GraphRepository, now: Any) -> ClusterRebuild:
    return ClusterRebuild(ClusterStore(repository), params=lambda: PARAMS.clusters, now=now)


async def test_the_rebuild_finds_the_worlds_copy_groups_and_their_leaders(
    graph_repository: GraphRepository,
) -> None:
    async with (
        start_simulation(still(seed=3, warmup_s=2 * 3600.0, retention_s=None)) as sim,
        httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http,
    ):
        truth = sim.ground_truth()
        helius = HeliusClient(
            api_key=sim.endpoints.helius_api_key,
            base_url=sim.endpoints.helius_base_url,
            client=http,
            guard=build_guard("helius", OPEN, rng=random.Random(1)),
        )
        groups = [c for c in truth["clusters"] if c["kind"] == "copy_group"]
        seeds = [w["address"] for w in truth["smart_wallets"]] + [c["leader"] for c in groups]
        rebuild = rebuild_on(graph_repository, sim.now)
        network = await rebuild.collect(ClusterHistory(helius, PARAMS.clusters), seeds)
        report = rebuild.recompute()

    exchanges = set(truth["exchanges"])
    assert exchanges & network.hubs  # the smart wallets' funders paid far too many wallets
    true_of = {m: c["id"] for c in groups for m in c["members"]}
    found_of = {m: c.cluster_id for c in report.clusters for m in c.members}
    assert set(true_of) <= set(network.activities)  # every follower reached through its funder
    assert adjusted_rand_index(true_of, found_of, network.activities) == pytest.approx(1.0)
    leaders = {c.cluster_id: c.leader for c in report.clusters}
    for group in groups:
        assert leaders[found_of[group["leader"]]] == group["leader"]
    members = set(found_of)
    assert not members & exchanges
    assert not members & {c["funder"] for c in groups}  # funders that never traded stay out

    stored = GraphClusterSource(graph_repository, None, lambda: PARAMS.clusters).load_clusters()
    assert {(c.members, c.leader) for c in stored} == {
        (c.members, c.leader) for c in report.clusters
    }
    again = rebuild.recompute()  # from the graph alone: same clusters, same ids
    assert {c.cluster_id for c in again.clusters} == {c.cluster_id for c in report.clusters}


class Scorer(SupervisedActor):
    """Stands in for the scorer: keeps the cluster context it is pushed."""

    def __init__(
        self, context: Any, seen: list[ClusterContextUpdated], changed: threading.Condition
    ) -> None:
        super().__init__(context)
        self._seen, self._changed = seen, changed

    def handle(self, message: Any) -> Any:
        if isinstance(message, ClusterContextUpdated):
            with self._changed:
                self._seen.append(message)
                self._changed.notify_all()
        return None


def copy_group_evidence(repository: GraphRepository) -> None:
    """A funder pays lead/copy1/copy2; the copies buy 5-15 s after lead on four tokens."""
    wallets = ["lead", "copy1", "copy2"]
    transfers = [
        Transfer(source="F", destination=w, lamports=5 * 10**9, at=START, signature=f"s-{w}")
        for w in wallets
    ]
    buys = [
        FirstBuy(wallet=w, token_mint=f"mint{i}", at=START + timedelta(hours=i, seconds=delay))
        for i in range(4)
        for w, delay in zip(wallets, (0, 5, 15), strict=True)
    ]
    ClusterStore(repository).write_evidence(["F", *wallets], transfers, buys, [])


def test_the_job_actor_rebuilds_and_the_cluster_actor_pushes_the_new_clusters(
    graph_repository: GraphRepository,
) -> None:
    pushed: list[ClusterContextUpdated] = []
    changed = threading.Condition()
    services = make_services()
    source = GraphClusterSource(graph_repository, None, lambda: PARAMS.clusters)
    rebuild = rebuild_on(graph_repository, services.clock.now)
    children = [
        ChildSpec(name=SCORER, start=lambda context: Scorer.start(context, pushed, changed)),
        ChildSpec(
            name=CLUSTER,
            start=lambda context: ClusterActor.start(
                context, GraphBuyRecorder(graph_repository), source, PARAMS, flush_every_s=None
            ),
        ),
        ChildSpec(
            name=INTEL_CLUSTERS,
            start=lambda context: ClusterRebuildActor.start(
                context, rebuild, lambda: [], every_s=None
            ),
        ),
    ]
    with running_tree(children, services=services) as runtime:
        registry = runtime.services.registry
        assert registry.ask(CLUSTER, GetStats(), timeout=20)["clusters"] == 0
        copy_group_evidence(graph_repository)
        summary = registry.ask(INTEL_CLUSTERS, RunClusterRebuild(collect=False), timeout=60)
        assert summary["clusters"] == 1
        assert summary["with_leader"] == 1
        assert registry.ask(CLUSTER, GetStats(), timeout=20)["clusters"] == 1  # reloaded
        with changed:
            assert changed.wait_for(lambda: any(u.clusters for u in pushed), 20)
        update = next(u for u in pushed if u.clusters)
        assert update.replace_all
        (cluster,) = update.clusters
        assert cluster.members == {"lead", "copy1", "copy2"}
        assert cluster.leader == "lead"
        assert registry.ask(INTEL_CLUSTERS, GetStats(), timeout=20)["runs"] == 1
