"""Clusters written by the rebuild are read back for the scorer with a fresh multiplier."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.pipeline.kit import open_stores, seed_wallet
from walltrack.adapters.graph.records import ClusterMember, ClusterMembership, ClusterRole
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.graph.stored_clusters import GraphClusterSource
from walltrack.domain.clustering import cluster_multiplier
from walltrack.domain.params import default_params

LEAD = "Lead11111111111111111111111111111111111111"
MATES = ["Mate11111111111111111111111111111111111111", "Mate22222222222222222222222222222222222222"]
OTHERS = [
    "Oth111111111111111111111111111111111111111",
    "Oth222222222222222222222222222222222222222",
]
OTHERS_3 = "Oth333333333333333333333333333333333333333"


def test_stored_clusters_load_with_leader_and_multiplier(
    pg_dsn: str, graph_repository: GraphRepository
) -> None:
    at = datetime(2026, 11, 22, tzinfo=UTC)
    graph_repository.write_cluster(
        ClusterMembership(
            cluster_id="c-led",
            members=(
                ClusterMember(address=LEAD, role=ClusterRole.LEADER),
                *(ClusterMember(address=m, role=ClusterRole.MEMBER) for m in MATES),
            ),
            cohesion=1.0,
            updated_at=at,
        )
    )
    graph_repository.write_cluster(
        ClusterMembership(
            cluster_id="c-flat",
            members=tuple(
                ClusterMember(address=m, role=ClusterRole.MEMBER) for m in [*OTHERS, OTHERS_3]
            ),
            cohesion=0.5,
            updated_at=at,
        )
    )
    stores = open_stores(pg_dsn)
    try:
        for wallet in [LEAD, *MATES]:
            seed_wallet(stores, wallet)  # win rate 0.7; the flat cluster's are unknown
        params = default_params().clusters
        source = GraphClusterSource(graph_repository, stores.wallets, lambda: params)
        loaded = {c.cluster_id: c for c in source.load_clusters()}
    finally:
        stores.close()

    led, flat = loaded["c-led"], loaded["c-flat"]
    assert led.members == frozenset({LEAD, *MATES})
    assert led.leader == LEAD
    assert led.mean_win_rate == pytest.approx(0.7)
    assert led.multiplier == pytest.approx(cluster_multiplier(3, 1.0, 0.7, True, params))
    assert flat.leader is None
    assert flat.mean_win_rate == 0.0
    assert flat.multiplier == pytest.approx(cluster_multiplier(3, 0.5, 0.0, False, params))
    assert led.multiplier > flat.multiplier
