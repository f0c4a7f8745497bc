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
    bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy], window_s: float
) -> dict[str, Any]:
    """Graph edges not yet written (BOUGHT with the buyer's rank, SYNCED_BUY).

    Each address is written once, in `edge_addresses`, and the rows hold its index; a
    pair keeps its delay, and its correlation is recomputed on restore as 1 - delay /
    `window_s` (the window when the snapshot was taken; the graph stores only the delay).
    Why: the pairs of a busy token repeat the same few dozen wallets and one mint, and
    while the graph lags the cluster actor rewrites thousands of them every snapshot;
    spelled out they were 1.4 MB a snapshot at 500 events/s, about ten times the indexed
    text, encoded in this process and parsed again by PostgreSQL.
    """
    index: dict[str, int] = {}

    def at(address: str) -> int:
        return index.setdefault(address, len(index))

    pending_bought = [[at(b.wallet), at(b.token_mint), b.at.isoformat(), r] for b, r in bought]
    pending_synced = [
        [at(s.later), at(s.earlier), at(s.token_mint), _number(s.delta_s)] for s in synced
    ]
    return {
        "edge_addresses": list(index),
        "synced_window_s": window_s,
        "pending_bought": pending_bought,
        "pending_synced": pending_synced,
    }


def edges_from_json(
    state: Mapping[str, Any],
) -> tuple[list[tuple[FirstBuy, int]], list[SyncedBuy]]:
    """The edges written by `edges_to_json` (or spelled out, as snapshots before it were)."""
    addresses: Sequence[str] | None = state.get("edge_addresses")
    if addresses is None:
        return _spelled_out_edges(state)
    window = float(state["synced_window_s"])
    bought = [
        (
            FirstBuy(wallet=addresses[w], token_mint=addresses[m], at=datetime.fromisoformat(at)),
            int(rank),
        )
        for w, m, at, rank in state["pending_bought"]
    ]
    synced = [
        SyncedBuy(
            later=addresses[a],
            earlier=addresses[b],
            token_mint=addresses[m],
            delta_s=float(d),
            correlation=1.0 - float(d) / window,
        )
        for a, b, m, d in state["pending_synced"]
    ]
    return bought, synced


def _spelled_out_edges(
    state: Mapping[str, Any],
) -> tuple[list[tuple[FirstBuy, int]], list[SyncedBuy]]:
    bought = [
        (FirstBuy(wallet=w, token_mint=m, at=datetime.fromisoformat(at)), int(rank))
        for w, m, at, rank in state["pending_bought"]
    ]
    synced = [
        SyncedBuy(later=a, earlier=b, token_mint=m, delta_s=float(d), correlation=float(c))
        for a, b, m, d, c in state["pending_synced"]
    ]
    return bought, synced


def _number(value: float) -> float | int:
    """Whole seconds as an integer: block times are whole seconds, and ints encode faster."""
    return int(value) if value.is_integer() else value
