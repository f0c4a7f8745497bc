"""Every Cypher text of queries.py runs on the real server (the shared-subset promise).

A new statement without parameters here fails `test_every_query_has_parameters`, so no
query reaches production without having run against the server once.
"""

from __future__ import annotations

from typing import LiteralString

import pytest

from tests.integration.graph.seed import seed
from walltrack.adapters.graph import GraphClient, GraphRepository, queries

pytestmark = pytest.mark.integration

PARAMETERS: dict[str, dict[str, object]] = {
    "SHOW_CONSTRAINTS": {},
    "SHOW_INDEXES": {},
    "PING": {},
    "UPSERT_WALLETS": {"rows": ["N1", "N2"]},
    "UPSERT_TOKENS": {"rows": ["M9"]},
    "UPSERT_FUNDING": {"rows": [["N1", "N2", 10**9, 1, "sig"]]},
    "UPSERT_SYNCED_BUYS": {"rows": [["N1", "N2", "M9", 1.5, 1]]},
    "UPSERT_BOUGHT": {"rows": [["N1", "M9", 1, 0]]},
    "MERGE_CLUSTER": {"cluster_id": "k", "size": 2, "cohesion": 1.0, "updated_at": 1},
    "DROP_DEPARTED_MEMBERS": {"cluster_id": "k", "addresses": ["N1"]},
    "DROP_OTHER_MEMBERSHIPS": {"cluster_id": "k", "addresses": ["N1"]},
    "ADD_MEMBERS": {"cluster_id": "k", "rows": [{"address": "N1", "role": "leader"}]},
    "DELETE_EMPTY_CLUSTERS": {},
    "DELETE_CLUSTER": {"cluster_id": "nothing"},
    "FUNDING_CHAIN": {"address": "A", "max_depth": 3, "limit": 100},
    "COMMON_FUNDERS": {"addresses": ["X1", "X2"], "min_funded": 2},
    "SYNCED_PARTNERS": {"address": "S1", "min_count": 1},
    "SYNCED_PAIRS_ON_MINT": {"mint": "T1"},
    "GROUP_EDGES[FUNDED_BY]": {},
    "GROUP_EDGES[SYNCED_BUY]": {},
    "CLUSTER_MEMBERS": {"cluster_id": "k"},
    "CLUSTER_WITH_ROLE": {"cluster_id": "k", "role": "leader"},
    "CLUSTER_OF_WALLET": {"address": "N1"},
    "SUBGRAPH": {"address": "A", "max_depth": 2, "max_edges": 50},
}
# Statements whose answer on the seeded graph is known: a run that "works" but returns
# nothing would hide a dialect difference.
NON_EMPTY = {
    "SHOW_CONSTRAINTS",
    "SHOW_INDEXES",
    "PING",
    "FUNDING_CHAIN",
    "COMMON_FUNDERS",
    "SYNCED_PARTNERS",
    "SYNCED_PAIRS_ON_MINT",
    "GROUP_EDGES[FUNDED_BY]",
    "GROUP_EDGES[SYNCED_BUY]",
    "CLUSTER_MEMBERS",
    "CLUSTER_WITH_ROLE",
    "CLUSTER_OF_WALLET",
    "SUBGRAPH",
}


def test_every_query_has_parameters() -> None:
    names = {name for name in queries.all_queries() if not name.startswith("SCHEMA_")}
    assert names == set(PARAMETERS)


def test_every_query_runs_on_the_server(
    graph_repository: GraphRepository, graph_client: GraphClient
) -> None:
    seed(graph_repository)
    statements = queries.all_queries()
    results: dict[str, list[dict[str, object]]] = {}

    for name, schema_text in statements.items():
        if name.startswith("SCHEMA_"):
            graph_client.write(schema_text)  # idempotent: already created by the fixture
    for name, params in PARAMETERS.items():  # dict order: writes before the reads of them
        text: LiteralString = statements[name]
        results[name] = graph_client.write(text, params)

    empty = sorted(name for name in NON_EMPTY if not results[name])
    assert empty == []
    assert results["GROUP_EDGES[FUNDED_BY]"][0]["pairs"]
    assert results["GROUP_EDGES[SYNCED_BUY]"][0]["pairs"]
    assert results["CLUSTER_WITH_ROLE"] == [{"address": "N1"}]
    assert results["PING"] == [{"ok": 1}]
