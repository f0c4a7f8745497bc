"""The clusters an actor holds, indexed by member: which cluster is this wallet in?

Why shared: the ClusterActor (owner) and the ScorerActor (a cached copy) both receive
whole replacements, additions and removals, and both look a wallet up on every buy.
A wallet belongs to at most one cluster; the latest cluster naming it wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from walltrack.domain.clustering import Cluster


class ClusterIndex:
    """Clusters by id, and the cluster of each member."""

    def __init__(self) -> None:
        self._by_id: dict[str, Cluster] = {}
        self._of_member: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Cluster]:
        return iter(list(self._by_id.values()))

    def get(self, cluster_id: str) -> Cluster | None:
        """The cluster with this id, if held."""
        return self._by_id.get(cluster_id)

    def apply(
        self, clusters: Iterable[Cluster], *, removed: Iterable[str], replace_all: bool
    ) -> None:
        """An update as `ClusterContextUpdated` carries it: removals, then a whole
        replacement or additions."""
        for cluster_id in removed:
            self.drop(cluster_id)
        if replace_all:
            self.replace(clusters)
        else:
            self.add(clusters)

    def replace(self, clusters: Iterable[Cluster]) -> None:
        """Hold exactly `clusters`."""
        self._by_id.clear()
        self._of_member.clear()
        self.add(clusters)

    def add(self, clusters: Iterable[Cluster]) -> None:
        """Add or replace each of `clusters` (by id)."""
        for cluster in clusters:
            self.drop(cluster.cluster_id)
            self._by_id[cluster.cluster_id] = cluster
            for member in cluster.members:
                self._of_member[member] = cluster.cluster_id

    def drop(self, cluster_id: str) -> None:
        """Forget a cluster (its members belong to none until another names them)."""
        old = self._by_id.pop(cluster_id, None)
        for member in () if old is None else old.members:
            if self._of_member.get(member) == cluster_id:
                del self._of_member[member]

    def of(self, wallet: str) -> Cluster | None:
        """The cluster `wallet` is a member of, if any."""
        cluster_id = self._of_member.get(wallet)
        return None if cluster_id is None else self._by_id[cluster_id]
