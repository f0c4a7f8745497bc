"""The wallet graph: batched upserts and the questions later issues ask of it.

Why one repository over a client: the cluster actor, the scorer and the dashboard need
the same handful of graph questions; answering them here, with the texts of `queries.py`
and typed records in and out, keeps Cypher and driver types out of every other module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self

from walltrack.adapters.graph import queries
from walltrack.adapters.graph.client import DEFAULT_BATCH_SIZE, GraphClient
from walltrack.adapters.graph.components import connected_groups
from walltrack.adapters.graph.records import (
    BoughtEdge,
    ClusterMember,
    ClusterMembership,
    ClusterRole,
    CommonFunder,
    FundingEdge,
    FundingLink,
    GraphEdge,
    GraphNode,
    RelationshipType,
    Subgraph,
    SyncedBuyEdge,
    SyncedPartner,
    WalletGroup,
    from_epoch_ms,
    to_epoch_ms,
)
from walltrack.adapters.graph.schema import ensure_schema

MAX_CHAIN_DEPTH = 3
"""The funding walk stops at the funders of the funders of the funders."""

MAX_SUBGRAPH_DEPTH = 2

type _Scalar = str | int | float | bool


class GraphRepository:
    """Reads and writes Wallet/Token/Cluster nodes and their relationships."""

    def __init__(self, client: GraphClient) -> None:
        self._client = client

    @classmethod
    def open(
        cls,
        uri: str,
        user: str,
        password: str,
        database: str,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> Self:
        """Connect, prove the server answers and create the schema (idempotent)."""
        client = GraphClient.connect(uri, user, password, database, batch_size=batch_size)
        try:
            ensure_schema(client)
        except BaseException:
            client.close()
            raise
        return cls(client)

    @property
    def client(self) -> GraphClient:
        """The client this repository runs on (for the doctor and the benchmarks)."""
        return self._client

    def close(self) -> None:
        """Close the underlying driver."""
        self._client.close()

    # --- batch upserts ---------------------------------------------------------------

    def upsert_wallets(self, addresses: Iterable[str]) -> int:
        """Make sure a Wallet node exists for every address; returns addresses sent."""
        return self._client.write_batches(queries.UPSERT_WALLETS, sorted(set(addresses)))

    def upsert_tokens(self, mints: Iterable[str]) -> int:
        """Make sure a Token node exists for every mint."""
        return self._client.write_batches(queries.UPSERT_TOKENS, sorted(set(mints)))

    def upsert_funding(self, edges: Iterable[FundingEdge]) -> int:
        """Record funding links; per pair the earliest transfer is kept."""
        earliest: dict[tuple[str, str], FundingEdge] = {}
        for edge in edges:
            if edge.funded == edge.funder:
                raise ValueError(f"a wallet cannot fund itself: {edge.funded}")
            key = (edge.funded, edge.funder)
            if key not in earliest or edge.first_at < earliest[key].first_at:
                earliest[key] = edge
        rows = [  # column order: see queries.UPSERT_FUNDING
            (e.funded, e.funder, e.amount_lamports, to_epoch_ms(e.first_at), e.signature)
            for e in earliest.values()
        ]
        return self._client.write_batches(queries.UPSERT_FUNDING, rows)

    def upsert_synced_buys(self, edges: Iterable[SyncedBuyEdge]) -> int:
        """Record synced buys; per (later, earlier, mint) the last value given wins."""
        latest: dict[tuple[str, str, str], SyncedBuyEdge] = {}
        for edge in edges:
            if edge.later == edge.earlier:
                raise ValueError(f"a wallet cannot sync with itself: {edge.later}")
            latest[(edge.later, edge.earlier, edge.mint)] = edge
        rows = [  # column order: see queries.UPSERT_SYNCED_BUYS
            (e.later, e.earlier, e.mint, float(e.delta_s), e.count) for e in latest.values()
        ]
        return self._client.write_batches(queries.UPSERT_SYNCED_BUYS, rows)

    def upsert_bought(self, edges: Iterable[BoughtEdge]) -> int:
        """Record first buys of tokens by wallets; per pair the earliest buy is kept."""
        earliest: dict[tuple[str, str], BoughtEdge] = {}
        for edge in edges:
            key = (edge.wallet, edge.mint)
            if key not in earliest or edge.first_at < earliest[key].first_at:
                earliest[key] = edge
        rows = [  # column order: see queries.UPSERT_BOUGHT
            (e.wallet, e.mint, to_epoch_ms(e.first_at), e.rank) for e in earliest.values()
        ]
        return self._client.write_batches(queries.UPSERT_BOUGHT, rows)

    # --- clusters --------------------------------------------------------------------------

    def write_cluster(self, cluster: ClusterMembership) -> None:
        """Store a cluster exactly as given, in one transaction.

        Wallets no longer listed leave it; listed wallets leave any other cluster (the
        groups are disjoint), and each member gets its role.
        """
        addresses = [member.address for member in cluster.members]
        if len(set(addresses)) != len(addresses):
            raise ValueError(f"cluster {cluster.cluster_id} lists a wallet twice")
        leaders = [m for m in cluster.members if m.role is ClusterRole.LEADER]
        if len(leaders) > 1:
            raise ValueError(f"cluster {cluster.cluster_id} has more than one leader")
        key = {"cluster_id": cluster.cluster_id}
        rows = [{"address": m.address, "role": m.role.value} for m in cluster.members]
        self._client.write_together(
            [
                (
                    queries.MERGE_CLUSTER,
                    {
                        **key,
                        "size": len(addresses),
                        "cohesion": float(cluster.cohesion),
                        "updated_at": to_epoch_ms(cluster.updated_at),
                    },
                ),
                (queries.DROP_DEPARTED_MEMBERS, {**key, "addresses": addresses}),
                (queries.DROP_OTHER_MEMBERSHIPS, {**key, "addresses": addresses}),
                (queries.ADD_MEMBERS, {**key, "rows": rows}),
                (queries.DELETE_EMPTY_CLUSTERS, {}),
            ]
        )

    def delete_cluster(self, cluster_id: str) -> None:
        """Remove a cluster and every membership in it."""
        self._client.write(queries.DELETE_CLUSTER, {"cluster_id": cluster_id})

    def cluster_members(self, cluster_id: str) -> tuple[ClusterMember, ...]:
        """The members of a cluster with their roles, by address."""
        rows = self._client.read(queries.CLUSTER_MEMBERS, {"cluster_id": cluster_id})
        return tuple(
            ClusterMember(address=row["address"], role=ClusterRole(row["role"])) for row in rows
        )

    def cluster_leader(self, cluster_id: str) -> str | None:
        """The address of the cluster's leader, or None when it has none."""
        rows = self._client.read(
            queries.CLUSTER_WITH_ROLE,
            {"cluster_id": cluster_id, "role": ClusterRole.LEADER.value},
        )
        return str(rows[0]["address"]) if rows else None

    def cluster_of(self, address: str) -> str | None:
        """The id of the cluster a wallet belongs to, or None."""
        rows = self._client.read(queries.CLUSTER_OF_WALLET, {"address": address})
        return str(rows[0]["cluster_id"]) if rows else None

    # --- questions -----------------------------------------------------------------------

    def funding_chain(
        self, address: str, *, max_depth: int = MAX_CHAIN_DEPTH, limit: int = 1000
    ) -> tuple[FundingLink, ...]:
        """Who funded `address`, who funded them... up to `max_depth` hops (<= 3).

        Each funding edge appears once, at the depth of its shortest walk.
        """
        if not 1 <= max_depth <= MAX_CHAIN_DEPTH:
            raise ValueError(f"max_depth must be 1..{MAX_CHAIN_DEPTH}, got {max_depth}")
        rows = self._client.read(
            queries.FUNDING_CHAIN, {"address": address, "max_depth": max_depth, "limit": limit}
        )
        links: dict[tuple[str, str], FundingLink] = {}
        for row in rows:
            key = (row["funded"], row["funder"])
            if key in links and links[key].depth <= row["depth"]:
                continue
            links[key] = FundingLink(
                funded=row["funded"],
                funder=row["funder"],
                amount_lamports=int(row["amount_lamports"]),
                first_at=from_epoch_ms(int(row["first_at"])),
                signature=row["signature"],
                depth=int(row["depth"]),
            )
        return tuple(sorted(links.values(), key=lambda k: (k.depth, k.funded, k.funder)))

    def common_funders(
        self, addresses: Iterable[str], *, min_funded: int = 2
    ) -> tuple[CommonFunder, ...]:
        """Direct funders shared by at least `min_funded` of `addresses`."""
        rows = self._client.read(
            queries.COMMON_FUNDERS,
            {"addresses": sorted(set(addresses)), "min_funded": min_funded},
        )
        return tuple(
            CommonFunder(funder=row["funder"], funded=frozenset(row["funded"])) for row in rows
        )

    def synced_partners(self, address: str, *, min_count: int = 1) -> tuple[SyncedPartner, ...]:
        """Wallets that bought in sync with `address` at least `min_count` times."""
        rows = self._client.read(
            queries.SYNCED_PARTNERS, {"address": address, "min_count": min_count}
        )
        return tuple(
            SyncedPartner(
                address=row["address"],
                count=int(row["total"]),
                tokens=int(row["tokens"]),
                led=int(row["led"]),
            )
            for row in rows
        )

    def synced_pairs_on_token(self, mint: str) -> tuple[SyncedBuyEdge, ...]:
        """Every synced-buy pair recorded on one token, closest in time first."""
        rows = self._client.read(queries.SYNCED_PAIRS_ON_MINT, {"mint": mint})
        return tuple(
            SyncedBuyEdge(
                later=row["later"],
                earlier=row["earlier"],
                mint=mint,
                delta_s=float(row["delta_s"]),
                count=int(row["count"]),
            )
            for row in rows
        )

    def connected_groups(
        self,
        rel_types: Iterable[RelationshipType] = tuple(RelationshipType),
        *,
        min_size: int = 3,
    ) -> tuple[WalletGroup, ...]:
        """Wallets connected through the given relationship types, groups of >= min_size."""
        pairs: list[tuple[str, str]] = []
        for rel_type in sorted(set(rel_types)):
            for row in self._client.read(queries.GROUP_EDGES[RelationshipType(rel_type).value]):
                pairs.extend((a, b) for a, b in row["pairs"])
        return tuple(connected_groups(pairs, min_size=min_size))

    def subgraph(
        self, address: str, *, max_depth: int = MAX_SUBGRAPH_DEPTH, max_edges: int = 200
    ) -> Subgraph:
        """The relationships within `max_depth` hops of a wallet, at most `max_edges`."""
        if not 1 <= max_depth <= MAX_SUBGRAPH_DEPTH:
            raise ValueError(f"max_depth must be 1..{MAX_SUBGRAPH_DEPTH}, got {max_depth}")
        rows = self._client.read(
            queries.SUBGRAPH,
            {"address": address, "max_depth": max_depth, "max_edges": max_edges + 1},
        )
        truncated = len(rows) > max_edges
        nodes = {GraphNode(label="Wallet", key=address)}
        edges: set[GraphEdge] = set()
        for row in rows[:max_edges]:
            nodes.add(GraphNode(label=row["source_label"], key=row["source"]))
            nodes.add(GraphNode(label=row["target_label"], key=row["target"]))
            edges.add(
                GraphEdge(
                    type=row["type"],
                    source=row["source"],
                    target=row["target"],
                    properties=_scalar_items(row["properties"]),
                )
            )
        return Subgraph(
            center=address, nodes=frozenset(nodes), edges=frozenset(edges), truncated=truncated
        )


def _scalar_items(properties: Mapping[str, Any]) -> tuple[tuple[str, _Scalar], ...]:
    """Relationship properties as sorted (name, value) pairs, scalars only."""
    return tuple(
        sorted(
            (name, value)
            for name, value in properties.items()
            if isinstance(value, str | int | float | bool)
        )
    )
