"""Clusters to and from JSON, for the snapshots of the actors that cache them.

Why the leader scores are dropped: a snapshot has to rebuild what scoring uses (members,
leader, multiplier); the per-member leader breakdown is for the dashboard and is
recomputed with the next cluster rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from walltrack.domain.clustering import Cluster


def cluster_to_json(cluster: Cluster) -> dict[str, Any]:
    """A cluster as a JSON object."""
    return {
        "cluster_id": cluster.cluster_id,
        "members": sorted(cluster.members),
        "cohesion": cluster.cohesion,
        "mean_win_rate": cluster.mean_win_rate,
        "leader": cluster.leader,
        "multiplier": cluster.multiplier,
    }


def cluster_from_json(data: Mapping[str, Any]) -> Cluster:
    """A cluster written by `cluster_to_json`."""
    return Cluster(
        cluster_id=str(data["cluster_id"]),
        members=frozenset(data["members"]),
        cohesion=float(data["cohesion"]),
        mean_win_rate=float(data["mean_win_rate"]),
        leader=data["leader"],
        leader_scores=(),
        multiplier=float(data["multiplier"]),
    )
