"""The wallet graph over Bolt with the official `neo4j` driver (Neo4j 5 or ArcadeDB).

`GraphRepository` answers the graph questions, `GraphClient` is the only code that
touches the driver, `EmbeddedGraphServer` runs the zero-setup ArcadeDB server, and
`graph_doctor_report` describes the store for `walltrack doctor`.
"""

from __future__ import annotations

from walltrack.adapters.graph.client import DEFAULT_BATCH_SIZE, GraphClient
from walltrack.adapters.graph.doctor import GraphDoctorReport, graph_doctor_report
from walltrack.adapters.graph.embedded import EmbeddedGraphServer, GraphEndpoint
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
)
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.graph.schema import SchemaStatus, ensure_schema, schema_status

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "BoughtEdge",
    "ClusterMember",
    "ClusterMembership",
    "ClusterRole",
    "CommonFunder",
    "EmbeddedGraphServer",
    "FundingEdge",
    "FundingLink",
    "GraphClient",
    "GraphDoctorReport",
    "GraphEdge",
    "GraphEndpoint",
    "GraphNode",
    "GraphRepository",
    "RelationshipType",
    "SchemaStatus",
    "Subgraph",
    "SyncedBuyEdge",
    "SyncedPartner",
    "WalletGroup",
    "ensure_schema",
    "graph_doctor_report",
    "schema_status",
]
