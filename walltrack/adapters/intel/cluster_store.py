"""The cluster rebuild's graph reads and writes: evidence in, the whole cluster set out.

Why its own statements next to the repository's: a rebuild reads every BOUGHT and
FUNDED_BY edge at once (one collected row each, the fast path over Bolt) and replaces every
cluster in one transaction, so the ClusterActor reloading at any moment sees either the
old set or the new one. `write_cluster` (one cluster per transaction, each deleting empty
clusters) is for the live path; over thousands of clusters it would be quadratic.
Same Cypher subset and conventions as adapters/graph/queries.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Final, LiteralString

from walltrack.adapters.graph.client import GraphClient
from walltrack.adapters.graph.records import (
    BoughtEdge,
    ClusterRole,
    FundingEdge,
    SyncedBuyEdge,
    from_epoch_ms,
    to_epoch_ms,
)
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.intel.cluster_links import Transfer
from walltrack.domain.clustering import Cluster, FirstBuy, SyncedBuy

MARK_HUBS: Final[LiteralString] = """
UNWIND $rows AS address
MERGE (w:Wallet {address: address})
SET w.funding_hub = true
"""

ALL_BOUGHT: Final[LiteralString] = """
MATCH (w:Wallet)-[b:BOUGHT]->(t:Token)
RETURN collect([w.address, t.mint, b.first_at]) AS rows
"""

ALL_FUNDING: Final[LiteralString] = """
MATCH (a:Wallet)-[f:FUNDED_BY]->(b:Wallet)
RETURN collect([a.address, b.address, f.amount_lamports, f.first_at, f.signature]) AS rows
"""

ALL_HUBS: Final[LiteralString] = """
MATCH (w:Wallet)
WHERE w.funding_hub = true
RETURN collect(w.address) AS rows
"""

DROP_ALL_CLUSTERS: Final[LiteralString] = "MATCH (c:Cluster) DETACH DELETE c"

CREATE_CLUSTERS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row[0] AS cluster_id, row[1] AS size, row[2] AS cohesion, row[3] AS updated_at,
     row[4] AS multiplier, row[5] AS leader
MERGE (c:Cluster {id: cluster_id})
SET c.size = size, c.cohesion = cohesion, c.updated_at = updated_at,
    c.multiplier = multiplier, c.leader = leader
"""

ADD_ALL_MEMBERS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row[0] AS cluster_id, row[1] AS address, row[2] AS role
MATCH (c:Cluster {id: cluster_id})
MERGE (w:Wallet {address: address})
MERGE (w)-[m:MEMBER_OF]->(c)
SET m.role = role
"""


class ClusterStore:
    """Evidence and cluster sets on the graph, for `ClusterRebuild`."""

    def __init__(self, repository: GraphRepository) -> None:
        self._repository = repository
        self._client: GraphClient = repository.client

    # --- evidence --------------------------------------------------------------------
    def write_evidence(
        self,
        wallets: Iterable[str],
        transfers: Iterable[Transfer],
        buys: Sequence[FirstBuy],
        hubs: Iterable[str],
    ) -> None:
        """Wallet nodes, FUNDED_BY per funded/funder pair, BOUGHT with the buyers' order."""
        self._repository.upsert_wallets(wallets)
        self._repository.upsert_funding(
            FundingEdge(
                funded=t.destination,
                funder=t.source,
                amount_lamports=t.lamports,
                first_at=t.at,
                signature=t.signature,
            )
            for t in transfers
        )
        rank: dict[str, int] = {}
        edges = []
        for buy in sorted(buys, key=lambda b: (b.at, b.wallet)):
            rank[buy.token_mint] = rank.get(buy.token_mint, -1) + 1
            edges.append(
                BoughtEdge(
                    wallet=buy.wallet,
                    mint=buy.token_mint,
                    first_at=buy.at,
                    rank=rank[buy.token_mint],
                )
            )
        self._repository.upsert_bought(edges)
        self._client.write_batches(MARK_HUBS, sorted(set(hubs)))

    def read_buys(self) -> tuple[FirstBuy, ...]:
        """Every stored first buy."""
        rows = self._client.read(ALL_BOUGHT)
        return tuple(
            FirstBuy(wallet=str(w), token_mint=str(m), at=from_epoch_ms(int(at)))
            for w, m, at in (rows[0]["rows"] if rows else ())
        )

    def read_transfers(self) -> tuple[Transfer, ...]:
        """Every stored FUNDED_BY edge, as the transfer it was made from."""
        rows = self._client.read(ALL_FUNDING)
        return tuple(
            Transfer(
                source=str(funder),
                destination=str(funded),
                lamports=int(amount),
                at=from_epoch_ms(int(at)),
                signature=str(signature),
            )
            for funded, funder, amount, at, signature in (rows[0]["rows"] if rows else ())
        )

    def read_hubs(self) -> frozenset[str]:
        """Wallets marked as funding hubs."""
        rows = self._client.read(ALL_HUBS)
        return frozenset(str(a) for a in (rows[0]["rows"] if rows else ()))

    # --- results ---------------------------------------------------------------------
    def write_synced(self, synced: Iterable[SyncedBuy]) -> int:
        """SYNCED_BUY edges, later -> earlier, one per token."""
        return self._repository.upsert_synced_buys(
            SyncedBuyEdge(later=s.later, earlier=s.earlier, mint=s.token_mint, delta_s=s.delta_s)
            for s in synced
        )

    def replace_clusters(self, clusters: Sequence[Cluster], now: datetime) -> None:
        """Drop every stored cluster and store these, in one transaction."""
        at = to_epoch_ms(now)
        rows = [
            [
                c.cluster_id,
                len(c.members),
                float(c.cohesion),
                at,
                float(c.multiplier),
                c.leader or "",
            ]
            for c in clusters
        ]
        members = [
            [
                c.cluster_id,
                m,
                (ClusterRole.LEADER if m == c.leader else ClusterRole.MEMBER).value,
            ]
            for c in clusters
            for m in sorted(c.members)
        ]
        self._client.write_together(
            [
                (DROP_ALL_CLUSTERS, {}),
                (CREATE_CLUSTERS, {"rows": rows}),
                (ADD_ALL_MEMBERS, {"rows": members}),
            ]
        )
