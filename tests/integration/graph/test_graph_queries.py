"""Every graph question on the seeded graph of seed.py, with answers known in advance."""

from __future__ import annotations

import pytest

from tests.integration.graph.seed import FUNDING, SOL, T0, funding_edge, seed
from walltrack.adapters.graph import (
    ClusterMember,
    ClusterMembership,
    ClusterRole,
    GraphEdge,
    GraphNode,
    GraphRepository,
    RelationshipType,
    SyncedBuyEdge,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def graph(graph_repository: GraphRepository) -> GraphRepository:
    seed(graph_repository)
    return graph_repository


def test_funding_chain_walks_up_to_three_hops_at_shortest_depth(graph: GraphRepository) -> None:
    chain = graph.funding_chain("A")

    assert [(link.funded, link.funder, link.depth) for link in chain] == [
        ("A", "B", 1),
        ("A", "F", 1),
        ("B", "C", 2),
        ("F", "C", 2),
        ("C", "D", 3),
    ]
    first = chain[0]
    index = FUNDING.index(("A", "B"))
    assert first.amount_lamports == funding_edge("A", "B", index).amount_lamports
    assert first.first_at == T0
    assert first.signature == "sig-A-B"


def test_funding_chain_respects_a_smaller_depth(graph: GraphRepository) -> None:
    assert {(link.funded, link.funder) for link in graph.funding_chain("A", max_depth=1)} == {
        ("A", "B"),
        ("A", "F"),
    }
    assert graph.funding_chain("E") == ()
    assert graph.funding_chain("nobody") == ()
    with pytest.raises(ValueError, match="max_depth"):
        graph.funding_chain("A", max_depth=4)


def test_common_funders_of_a_set(graph: GraphRepository) -> None:
    found = graph.common_funders(["X1", "X2", "X3", "A"])

    assert [(c.funder, c.funded) for c in found] == [
        ("H", frozenset({"X1", "X2", "X3"})),
        ("G", frozenset({"X1", "X2"})),
    ]
    assert [c.funder for c in graph.common_funders(["X1", "X2", "X3"], min_funded=3)] == ["H"]
    assert graph.common_funders(["A", "Y"]) == ()


def test_synced_partners_count_tokens_and_who_led(graph: GraphRepository) -> None:
    partners = graph.synced_partners("S1")

    assert [(p.address, p.count, p.tokens, p.led) for p in partners] == [
        ("S2", 2, 2, 0),  # S1 followed S2 twice
        ("S3", 2, 1, 2),  # S3 followed S1 on T1, twice
        ("S4", 1, 1, 1),
    ]
    assert [p.address for p in graph.synced_partners("S1", min_count=2)] == ["S2", "S3"]
    assert graph.synced_partners("A") == ()


def test_synced_pairs_on_a_token(graph: GraphRepository) -> None:
    assert graph.synced_pairs_on_token("T1") == (
        SyncedBuyEdge(later="S1", earlier="S2", mint="T1", delta_s=12.5, count=1),
        SyncedBuyEdge(later="S3", earlier="S1", mint="T1", delta_s=12.5, count=2),
    )


def test_synced_upsert_updates_in_place_one_edge_per_pair_and_token(
    graph: GraphRepository,
) -> None:
    graph.upsert_synced_buys(
        [
            SyncedBuyEdge(later="S1", earlier="S2", mint="T1", delta_s=4.0, count=3),  # seeded
            SyncedBuyEdge(later="N1", earlier="N2", mint="T1", delta_s=9.0),  # new wallets
        ]
    )
    graph.upsert_synced_buys([SyncedBuyEdge(later="N1", earlier="N2", mint="T1", delta_s=9.0)])

    assert graph.synced_pairs_on_token("T1") == (
        SyncedBuyEdge(later="S1", earlier="S2", mint="T1", delta_s=4.0, count=3),
        SyncedBuyEdge(later="N1", earlier="N2", mint="T1", delta_s=9.0, count=1),
        SyncedBuyEdge(later="S3", earlier="S1", mint="T1", delta_s=12.5, count=2),
    )
    assert [(p.address, p.tokens) for p in graph.synced_partners("N1")] == [("N2", 1)]


def test_connected_groups_over_both_relationship_types(graph: GraphRepository) -> None:
    groups = graph.connected_groups()

    assert [set(g.members) for g in groups] == [
        {"A", "B", "C", "D", "E", "F"},
        {"G", "H", "X1", "X2", "X3", "Y"},
        {"S1", "S2", "S3", "S4"},
    ]
    assert groups[0].edges == {("A", "B"), ("A", "F"), ("B", "C"), ("C", "F"), ("C", "D")} | {
        ("D", "E")
    }
    assert groups[2].edges == {("S1", "S2"), ("S1", "S3"), ("S1", "S4")}


def test_connected_groups_per_type_and_size(graph: GraphRepository) -> None:
    funded = graph.connected_groups([RelationshipType.FUNDED_BY], min_size=2)
    synced = graph.connected_groups([RelationshipType.SYNCED_BUY])

    assert [min(g.members) for g in funded] == ["A", "G", "P1"]
    assert [set(g.members) for g in synced] == [{"S1", "S2", "S3", "S4"}]


def test_cluster_membership_leader_and_moves(graph: GraphRepository) -> None:
    graph.write_cluster(_cluster("c1", leader="S1", members=("S2", "S3")))

    assert [(m.address, m.role) for m in graph.cluster_members("c1")] == [
        ("S1", ClusterRole.LEADER),
        ("S2", ClusterRole.MEMBER),
        ("S3", ClusterRole.MEMBER),
    ]
    assert graph.cluster_leader("c1") == "S1"
    assert graph.cluster_of("S3") == "c1"

    graph.write_cluster(_cluster("c1", leader="S4", members=("S1", "S2")))
    graph.write_cluster(_cluster("c2", leader=None, members=("S2", "X1")))

    assert [(m.address, m.role) for m in graph.cluster_members("c1")] == [
        ("S1", ClusterRole.MEMBER),
        ("S4", ClusterRole.LEADER),
    ]
    assert graph.cluster_leader("c1") == "S4"
    assert graph.cluster_of("S3") is None  # departed
    assert graph.cluster_of("S2") == "c2"  # moved: groups are disjoint
    assert graph.cluster_leader("c2") is None

    graph.delete_cluster("c1")
    assert graph.cluster_members("c1") == ()
    assert graph.cluster_of("S1") is None


def test_a_cluster_left_empty_disappears(graph: GraphRepository) -> None:
    graph.write_cluster(_cluster("c1", leader="S1", members=("S2",)))
    graph.write_cluster(_cluster("c2", leader="S1", members=("S2",)))

    assert graph.cluster_members("c1") == ()
    assert graph.client.read("MATCH (c:Cluster) RETURN c.id AS id") == [{"id": "c2"}]


def test_subgraph_around_a_wallet(graph: GraphRepository) -> None:
    near = graph.subgraph("A", max_depth=1)
    wider = graph.subgraph("A", max_depth=2)

    assert {n.key for n in near.nodes} == {"A", "B", "F"}
    assert {(e.type, e.source, e.target) for e in near.edges} == {
        ("FUNDED_BY", "A", "B"),
        ("FUNDED_BY", "A", "F"),
    }
    assert not near.truncated
    assert {n.key for n in wider.nodes} == {"A", "B", "C", "F"}
    assert len(wider.edges) == 4
    edge = next(e for e in near.edges if e.target == "B")
    assert dict(edge.properties)["signature"] == "sig-A-B"


def test_subgraph_is_bounded_and_shows_tokens_and_clusters(graph: GraphRepository) -> None:
    graph.write_cluster(_cluster("c1", leader="S1", members=("S2", "S3")))

    bounded = graph.subgraph("A", max_depth=2, max_edges=3)
    around_s2 = graph.subgraph("S2", max_depth=1)

    assert bounded.truncated
    assert len(bounded.edges) == 3
    assert GraphNode(label="Token", key="M1") in around_s2.nodes
    assert GraphNode(label="Cluster", key="c1") in around_s2.nodes
    member_of = GraphEdge(
        type="MEMBER_OF", source="S2", target="c1", properties=(("role", "member"),)
    )
    assert member_of in around_s2.edges
    assert any(e.type == "BOUGHT" and e.target == "M1" for e in around_s2.edges)
    assert graph.subgraph("nobody").edges == frozenset()


def test_funding_upsert_keeps_the_earliest_transfer(graph: GraphRepository) -> None:
    later = funding_edge("A", "B", 50)
    earlier = funding_edge("A", "B", 0)
    graph.upsert_funding([later])  # later than the seeded one: ignored
    graph.upsert_funding(
        [
            funding_edge("Q", "R", 9),
            funding_edge("Q", "R", 3),  # same batch: the earliest wins
            funding_edge("Q", "R", 7),
        ]
    )

    link = graph.funding_chain("A", max_depth=1)[0]
    q_link = graph.funding_chain("Q", max_depth=1)[0]
    assert (link.first_at, link.amount_lamports) == (earlier.first_at, earlier.amount_lamports)
    assert q_link.first_at == funding_edge("Q", "R", 3).first_at
    assert q_link.amount_lamports == 4 * SOL // 10 * 3


def _cluster(cluster_id: str, *, leader: str | None, members: tuple[str, ...]) -> ClusterMembership:
    roster = [ClusterMember(address=a, role=ClusterRole.MEMBER) for a in members]
    if leader is not None:
        roster.insert(0, ClusterMember(address=leader, role=ClusterRole.LEADER))
    return ClusterMembership(
        cluster_id=cluster_id, members=tuple(roster), cohesion=0.5, updated_at=T0
    )
