"""Every Cypher text the wallet graph uses, in one place.

Why: the project promises to stay inside the Cypher subset that Neo4j 5 and ArcadeDB
both run. Keeping each statement here, as a literal, lets one test execute every one of
them against the real server, and lets a reader check the subset at a glance.

Rules these texts follow (measured in ../shared/reference/feasibility.md §2):
- indexes and constraints always have a name and `IF NOT EXISTS`;
- nodes are found by their business key (address, mint, id), never by `id()` or
  `elementId()`;
- batch writes take one `$rows` list and `UNWIND` it; the caller removes duplicate keys
  from a batch first, because Cypher does not promise that one row sees what an earlier
  row of the same statement wrote;
- relationship rows are positional lists, named by the first `WITH`: the driver packs a
  list in half the time of a map, which is a quarter of a 100,000-edge upsert;
- relationship types cannot be parameters, so each type that needs one gets its own text;
- variable-length bounds cannot be parameters, so walks use the largest bound and filter
  with `length(p) <= $max_depth`.
"""

from __future__ import annotations

from typing import Final, LiteralString

# --- schema --------------------------------------------------------------------------

CONSTRAINT_NAMES: Final = ("wallet_address_unique", "token_mint_unique", "cluster_id_unique")
INDEX_NAMES: Final = ("synced_buy_token",)

SCHEMA_STATEMENTS: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT wallet_address_unique IF NOT EXISTS "
    "FOR (w:Wallet) REQUIRE w.address IS UNIQUE",
    "CREATE CONSTRAINT token_mint_unique IF NOT EXISTS FOR (t:Token) REQUIRE t.mint IS UNIQUE",
    "CREATE CONSTRAINT cluster_id_unique IF NOT EXISTS FOR (c:Cluster) REQUIRE c.id IS UNIQUE",
    "CREATE INDEX synced_buy_token IF NOT EXISTS FOR ()-[s:SYNCED_BUY]-() ON (s.token)",
)

SHOW_CONSTRAINTS: Final = "SHOW CONSTRAINTS"
SHOW_INDEXES: Final = "SHOW INDEXES"
PING: Final = "RETURN 1 AS ok"

# --- batch upserts (parameter: $rows) ---------------------------------------------------

UPSERT_WALLETS: Final = "UNWIND $rows AS address MERGE (:Wallet {address: address})"

UPSERT_TOKENS: Final = "UNWIND $rows AS mint MERGE (:Token {mint: mint})"

UPSERT_FUNDING: Final = """
UNWIND $rows AS row
WITH row[0] AS funded_address, row[1] AS funder_address, row[2] AS amount_lamports,
     row[3] AS first_at, row[4] AS signature
MERGE (funded:Wallet {address: funded_address})
MERGE (funder:Wallet {address: funder_address})
MERGE (funded)-[f:FUNDED_BY]->(funder)
WITH f, amount_lamports, first_at, signature,
     (f.first_at IS NULL OR first_at < f.first_at) AS earlier
SET f.first_at = CASE WHEN earlier THEN first_at ELSE f.first_at END,
    f.amount_lamports = CASE WHEN earlier THEN amount_lamports ELSE f.amount_lamports END,
    f.signature = CASE WHEN earlier THEN signature ELSE f.signature END
"""

# Match, then create or update: ArcadeDB runs a MERGE on a relationship with a property
# about twice as slowly (10,000 new edges: 1.2 s against 0.6 s), and the live cluster
# actor writes thousands a second. Rows come deduplicated per (later, earlier, token).
UPSERT_SYNCED_BUYS: Final = """
UNWIND $rows AS row
WITH row[0] AS later_address, row[1] AS earlier_address, row[2] AS mint,
     row[3] AS delta_s, row[4] AS count
MERGE (later:Wallet {address: later_address})
MERGE (earlier:Wallet {address: earlier_address})
WITH later, earlier, mint, delta_s, count
OPTIONAL MATCH (later)-[s:SYNCED_BUY]->(earlier) WHERE s.token = mint
WITH later, earlier, mint, delta_s, count, s
FOREACH (_ IN CASE WHEN s IS NULL THEN [1] ELSE [] END |
  CREATE (later)-[:SYNCED_BUY {token: mint, delta_s: delta_s, count: count}]->(earlier))
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END |
  SET s.delta_s = delta_s, s.count = count)
"""

UPSERT_BOUGHT: Final = """
UNWIND $rows AS row
WITH row[0] AS address, row[1] AS mint, row[2] AS first_at, row[3] AS rank
MERGE (w:Wallet {address: address})
MERGE (t:Token {mint: mint})
MERGE (w)-[b:BOUGHT]->(t)
WITH b, first_at, rank, (b.first_at IS NULL OR first_at <= b.first_at) AS earlier
SET b.first_at = CASE WHEN earlier THEN first_at ELSE b.first_at END,
    b.rank = CASE WHEN earlier THEN rank ELSE b.rank END
"""

# --- cluster membership (one transaction, see repository.write_cluster) ---------------

MERGE_CLUSTER: Final = """
MERGE (c:Cluster {id: $cluster_id})
SET c.size = $size, c.cohesion = $cohesion, c.updated_at = $updated_at
"""

DROP_DEPARTED_MEMBERS: Final = """
MATCH (w:Wallet)-[m:MEMBER_OF]->(:Cluster {id: $cluster_id})
WHERE NOT w.address IN $addresses
DELETE m
"""

DROP_OTHER_MEMBERSHIPS: Final = """
UNWIND $addresses AS address
MATCH (:Wallet {address: address})-[m:MEMBER_OF]->(c:Cluster)
WHERE c.id <> $cluster_id
DELETE m
"""

ADD_MEMBERS: Final = """
MATCH (c:Cluster {id: $cluster_id})
UNWIND $rows AS row
MERGE (w:Wallet {address: row.address})
MERGE (w)-[m:MEMBER_OF]->(c)
SET m.role = row.role
"""

DELETE_EMPTY_CLUSTERS: Final = """
MATCH (c:Cluster)
WHERE NOT (c)<-[:MEMBER_OF]-()
DETACH DELETE c
"""

DELETE_CLUSTER: Final = "MATCH (c:Cluster {id: $cluster_id}) DETACH DELETE c"

# --- reads --------------------------------------------------------------------------------

FUNDING_CHAIN: Final = """
MATCH p = (:Wallet {address: $address})-[:FUNDED_BY*1..3]->(funder:Wallet)
WHERE length(p) <= $max_depth
WITH funder, last(relationships(p)) AS f, length(p) AS depth
RETURN startNode(f).address AS funded, funder.address AS funder,
       f.amount_lamports AS amount_lamports, f.first_at AS first_at,
       f.signature AS signature, depth
ORDER BY depth, funded, funder
LIMIT $limit
"""

COMMON_FUNDERS: Final = """
UNWIND $addresses AS address
MATCH (w:Wallet {address: address})-[:FUNDED_BY]->(funder:Wallet)
WITH funder, collect(DISTINCT w.address) AS funded
WHERE size(funded) >= $min_funded
RETURN funder.address AS funder, funded
ORDER BY size(funded) DESC, funder
"""

SYNCED_PARTNERS: Final = """
MATCH (w:Wallet {address: $address})-[s:SYNCED_BUY]-(partner:Wallet)
WITH partner, sum(s.count) AS total, count(DISTINCT s.token) AS tokens,
     sum(CASE WHEN endNode(s).address = $address THEN s.count ELSE 0 END) AS led
WHERE total >= $min_count
RETURN partner.address AS address, total, tokens, led
ORDER BY total DESC, address
"""

SYNCED_PAIRS_ON_MINT: Final = """
MATCH (later:Wallet)-[s:SYNCED_BUY]->(earlier:Wallet)
WHERE s.token = $mint
RETURN later.address AS later, earlier.address AS earlier, s.delta_s AS delta_s,
       s.count AS count
ORDER BY s.delta_s, later, earlier
"""

# One text per relationship type: a type cannot be a parameter. The edge list comes back
# as a single collected row, five times faster over Bolt than one record per edge.
GROUP_EDGES: Final[dict[str, LiteralString]] = {
    "FUNDED_BY": "MATCH (a:Wallet)-[:FUNDED_BY]->(b:Wallet) "
    "RETURN collect([a.address, b.address]) AS pairs",
    "SYNCED_BUY": "MATCH (a:Wallet)-[:SYNCED_BUY]->(b:Wallet) "
    "RETURN collect([a.address, b.address]) AS pairs",
}

CLUSTER_MEMBERS: Final = """
MATCH (w:Wallet)-[m:MEMBER_OF]->(:Cluster {id: $cluster_id})
RETURN w.address AS address, m.role AS role
ORDER BY address
"""

CLUSTER_WITH_ROLE: Final = """
MATCH (w:Wallet)-[:MEMBER_OF {role: $role}]->(:Cluster {id: $cluster_id})
RETURN w.address AS address
ORDER BY address
LIMIT 1
"""

CLUSTER_OF_WALLET: Final = """
MATCH (:Wallet {address: $address})-[:MEMBER_OF]->(c:Cluster)
RETURN c.id AS cluster_id
ORDER BY cluster_id
LIMIT 1
"""

SUBGRAPH: Final = """
MATCH p = (:Wallet {address: $address})-[*1..2]-()
WHERE length(p) <= $max_depth
UNWIND relationships(p) AS r
WITH DISTINCT r
LIMIT $max_edges
RETURN type(r) AS type,
       labels(startNode(r))[0] AS source_label,
       coalesce(startNode(r).address, startNode(r).mint, startNode(r).id) AS source,
       labels(endNode(r))[0] AS target_label,
       coalesce(endNode(r).address, endNode(r).mint, endNode(r).id) AS target,
       properties(r) AS properties
"""


def all_queries() -> dict[str, LiteralString]:
    """Every statement above by name, for the test that runs them all on the server."""
    found: dict[str, LiteralString] = {}
    for name, value in globals().items():
        if name.isupper() and isinstance(value, str):
            found[name] = value
    for index, text in enumerate(SCHEMA_STATEMENTS):
        found[f"SCHEMA_STATEMENTS[{index}]"] = text
    for rel_type, text in GROUP_EDGES.items():
        found[f"GROUP_EDGES[{rel_type}]"] = text
    return found
