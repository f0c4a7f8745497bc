"""Clusters and pending graph edges to and from JSON, for the actors' snapshots.

Why the leader scores are dropped: a snapshot has to rebuild what scoring uses (members,
leader, multiplier); the per-member leader breakdown is for the dashboard and is
recomputed with the next cluster rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from walltrack.domain.clustering import Cluster, FirstBuy, SyncedBuy


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


def edges_to_json(
    bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy]
) -> dict[str, Any]:
    """Graph edges not yet written (BOUGHT with the buyer's rank, SYNCED_BUY)."""
    return {
        "pending_bought": [[b.wallet, b.token_mint, b.at.isoformat(), r] for b, r in bought],
        "pending_synced": [
            [s.later, s.earlier, s.token_mint, s.delta_s, s.correlation] for s in synced
        ],
    }


def edges_from_json(
    state: Mapping[str, Any],
) -> tuple[list[tuple[FirstBuy, int]], list[SyncedBuy]]:
    """The edges written by `edges_to_json`."""
    bought = [
        (FirstBuy(wallet=w, token_mint=m, at=datetime.fromisoformat(at)), int(rank))
        for w, m, at, rank in state["pending_bought"]
    ]
    synced = [
        SyncedBuy(later=a, earlier=b, token_mint=m, delta_s=float(d), correlation=float(c))
        for a, b, m, d, c in state["pending_synced"]
    ]
    return bought, synced
