"""Connected groups of wallets from an edge list (union-find).

Why in Python and not in Cypher: neither Neo4j 5's Cypher nor ArcadeDB's has a
connected-components primitive (Neo4j needs the GDS plugin, which ArcadeDB does not have),
and emulating one with variable-length paths explodes combinatorially. Fetching the edge
list once (one collected row) and running union-find over it is linear: 10,000 wallets
and their edges are grouped in milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from walltrack.adapters.graph.records import WalletGroup


def _find(parent: dict[str, str], node: str) -> str:
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:  # path compression
        parent[node], node = root, parent[node]
    return root


def connected_groups(pairs: Iterable[tuple[str, str]], *, min_size: int = 1) -> list[WalletGroup]:
    """The connected groups of the undirected graph given by `pairs`.

    Self-loops and repeated pairs (either direction) count once. Groups smaller than
    `min_size` are left out. Largest group first, ties by smallest member, so the order is
    deterministic.
    """
    parent: dict[str, str] = {}
    size: dict[str, int] = {}
    edges: set[tuple[str, str]] = set()
    for a, b in pairs:
        if a == b:
            continue
        edge = (a, b) if a < b else (b, a)
        if edge in edges:
            continue
        edges.add(edge)
        for node in edge:
            if node not in parent:
                parent[node] = node
                size[node] = 1
        root_a, root_b = _find(parent, a), _find(parent, b)
        if root_a != root_b:
            if size[root_a] < size[root_b]:
                root_a, root_b = root_b, root_a
            parent[root_b] = root_a
            size[root_a] += size[root_b]

    members: defaultdict[str, set[str]] = defaultdict(set)
    for node in parent:
        members[_find(parent, node)].add(node)
    group_edges: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    for edge in edges:
        group_edges[_find(parent, edge[0])].add(edge)

    groups = [
        WalletGroup(members=frozenset(nodes), edges=frozenset(group_edges[root]))
        for root, nodes in members.items()
        if len(nodes) >= min_size
    ]
    groups.sort(key=lambda group: (-len(group.members), min(group.members)))
    return groups
