"""Graph figures for `walltrack bench stores`: edge upserts, grouping, embedded start.

Why its own embedded server in a temporary directory: the figures must not depend on (or
damage) an operator's graph, and the start-up figure must be a cold process start.

- graph_edges_100k_s: upsert 100,000 FUNDED_BY relationships between 20,000 wallets in
  UNWIND batches (target <= 15 s). Measured after 20,000 warm-up upserts into another
  database: the figure is the throughput of a running server, not of the JVM's
  just-in-time compiler, which makes the first ~20,000 rows of a fresh process 2-3x slower;
- graph_groups_10k_s: connected groups over 10,000 wallets and their 20,000 FUNDED_BY and
  SYNCED_BUY edges, fetch and union-find included (target <= 3 s);
- graph_embedded_start_s: a new ArcadeDB server process with an empty data directory,
  from launch to Bolt and HTTP healthy and its database present, with the JVM class
  cache in place (the steady state after the first start on a machine);
- graph_embedded_first_start_s: the first start of this run (it may have had to record
  the class cache, then slower).
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from walltrack.adapters.graph.embedded import EmbeddedGraphServer, GraphEndpoint
from walltrack.adapters.graph.http_admin import ArcadeAdmin
from walltrack.adapters.graph.records import FundingEdge, SyncedBuyEdge
from walltrack.adapters.graph.repository import GraphRepository

_SEED = 20_260_301
_T0 = datetime(2026, 3, 1, tzinfo=UTC)


def graph_metrics() -> dict[str, float]:
    """Run the three graph measurements on a private embedded server."""
    with tempfile.TemporaryDirectory(prefix="walltrack-bench-graph-") as scratch:
        root = Path(scratch)
        first = EmbeddedGraphServer(root / "first")
        started = time.perf_counter()
        endpoint = first.start()
        first_start_s = time.perf_counter() - started
        try:
            first.wait_for_class_cache(timeout_s=180)  # not competing with the figures
            _edges(endpoint, "bench_warm_up", 20_000)
            edges_s = _edges(endpoint, "bench_edges", 100_000)
            groups_s = _groups_10k(endpoint)
        finally:
            first.stop()

        second = EmbeddedGraphServer(root / "second")
        started = time.perf_counter()
        second.start()
        start_s = time.perf_counter() - started
        second.stop()
    return {
        "graph_edges_100k_s": round(edges_s, 3),
        "graph_groups_10k_s": round(groups_s, 3),
        "graph_embedded_start_s": round(start_s, 3),
        "graph_embedded_first_start_s": round(first_start_s, 3),
    }


def _open(endpoint: GraphEndpoint, database: str) -> GraphRepository:
    with ArcadeAdmin(endpoint.http_url, endpoint.user, endpoint.password) as admin:
        admin.create_database(database)
    return GraphRepository.open(endpoint.uri, endpoint.user, endpoint.password, database)


def _edges(endpoint: GraphEndpoint, database: str, count: int) -> float:
    rng = random.Random(_SEED + count)
    wallets = [f"bench-wallet-{i:05d}" for i in range(20_000)]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < count:
        funded, funder = rng.sample(wallets, 2)
        pairs.add((funded, funder))
    edges = [
        FundingEdge(
            funded=funded,
            funder=funder,
            amount_lamports=rng.randrange(100_000_000, 20_000_000_000),
            first_at=_T0 + timedelta(seconds=index),
            signature=f"bench-sig-{index}",
        )
        for index, (funded, funder) in enumerate(sorted(pairs))
    ]
    repository = _open(endpoint, database)
    try:
        repository.upsert_wallets(wallets)
        started = time.perf_counter()
        repository.upsert_funding(edges)
        return time.perf_counter() - started
    finally:
        repository.close()


def _groups_10k(endpoint: GraphEndpoint) -> float:
    """10,000 wallets in groups of 2..40 (plus loners), 20,000 edges in all."""
    rng = random.Random(_SEED + 1)
    wallets = [f"bench-group-{i:05d}" for i in range(10_000)]
    funding: list[FundingEdge] = []
    synced: list[SyncedBuyEdge] = []
    start = 0
    while start < len(wallets) and len(funding) + len(synced) < 20_000:
        group = wallets[start : start + rng.randint(2, 40)]
        start += len(group)
        for member in group[1:]:  # a spanning tree keeps the group connected
            funding.append(_funding(member, rng.choice(group[: group.index(member)]), rng))
        for _ in range(len(group)):  # then extra synced buys inside the group
            later, earlier = rng.sample(group, 2)
            synced.append(SyncedBuyEdge(later=later, earlier=earlier, mint="M", delta_s=5.0))
    repository = _open(endpoint, "bench_groups")
    try:
        repository.upsert_wallets(wallets)
        repository.upsert_funding(funding)
        repository.upsert_synced_buys(synced)
        started = time.perf_counter()
        repository.connected_groups(min_size=3)
        return time.perf_counter() - started
    finally:
        repository.close()


def _funding(funded: str, funder: str, rng: random.Random) -> FundingEdge:
    return FundingEdge(
        funded=funded,
        funder=funder,
        amount_lamports=rng.randrange(100_000_000, 5_000_000_000),
        first_at=_T0,
        signature=f"bench-{funded}-{funder}",
    )
