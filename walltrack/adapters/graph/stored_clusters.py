"""The clusters stored in the graph, as the scorer needs them: members, leader, multiplier.

Why recompute the multiplier here: the graph keeps what the cluster rebuild decided
(members, roles, cohesion); the multiplier also depends on the members' current win rates
and on the runtime parameters, so it is derived at load time with the domain's formula
rather than stored stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, LiteralString

from walltrack.adapters.graph.records import ClusterRole
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.domain.clustering import Cluster, cluster_multiplier
from walltrack.domain.params.clusters import ClusterParams
from walltrack.pipeline_ports import WalletDirectory

ALL_MEMBERSHIPS: Final[LiteralString] = """
MATCH (w:Wallet)-[m:MEMBER_OF]->(c:Cluster)
RETURN c.id AS cluster_id, c.cohesion AS cohesion, w.address AS address, m.role AS role
ORDER BY cluster_id, address
"""


class GraphClusterSource:
    """`load_clusters()`: every stored cluster, its multiplier from current win rates."""

    def __init__(
        self,
        repository: GraphRepository,
        wallets: WalletDirectory | None,
        params: Callable[[], ClusterParams],
    ) -> None:
        self._repository = repository
        self._wallets = wallets
        self._params = params

    def load_clusters(self) -> tuple[Cluster, ...]:
        """Read every membership once and assemble the clusters."""
        rows = self._repository.client.read(ALL_MEMBERSHIPS)
        grouped: dict[str, list[dict[str, object]]] = {}
        for row in rows:
            grouped.setdefault(str(row["cluster_id"]), []).append(row)
        params = self._params()
        clusters = []
        for cluster_id, members in grouped.items():
            addresses = frozenset(str(m["address"]) for m in members)
            leaders = [str(m["address"]) for m in members if m["role"] == ClusterRole.LEADER.value]
            leader = leaders[0] if leaders else None
            cohesion = float(str(members[0]["cohesion"] or 0.0))
            rates = [self._win_rate(a) for a in addresses]
            mean = sum(rates) / len(rates)
            clusters.append(
                Cluster(
                    cluster_id=cluster_id,
                    members=addresses,
                    cohesion=cohesion,
                    mean_win_rate=mean,
                    leader=leader,
                    leader_scores=(),
                    multiplier=cluster_multiplier(
                        len(addresses), cohesion, mean, leader is not None, params
                    ),
                )
            )
        return tuple(clusters)

    def _win_rate(self, address: str) -> float:
        record = None if self._wallets is None else self._wallets.get(address)
        return 0.0 if record is None else record.profile.win_rate
