"""`cluster_rebuild_10k_s`: a full cluster recompute over 10,000 wallets on the real graph.

The graph is filled first (not timed) with a seeded population shaped like the
simulator's: copy groups (a funder pays a leader and its followers, who buy the leader's
tokens 2-20 s later) and independent traders paid by a few exchanges, each wallet with
20 first buys among 20,000 tokens. The figure is `ClusterRebuild.recompute()`: read every
BOUGHT and FUNDED_BY edge, select the links, detect clusters, score leaders, replace every
cluster in one transaction (the evidence edges, SYNCED_BUY included, are written when
they are collected, as in production).
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from walltrack.adapters.graph.embedded import EmbeddedGraphServer
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.intel.cluster_links import Transfer
from walltrack.adapters.intel.cluster_rebuild import ClusterRebuild
from walltrack.adapters.intel.cluster_store import ClusterStore
from walltrack.domain.clustering import FirstBuy
from walltrack.domain.params import default_params

WALLETS = 10_000
TOKENS = 20_000
BUYS_PER_WALLET = 20
GROUPS = 300
EXCHANGES = 5
START = datetime(2026, 1, 1, tzinfo=UTC)
SOL = 1_000_000_000


def population(seed: int = 7) -> tuple[list[str], list[Transfer], list[FirstBuy], int]:
    """Wallets, funding transfers, first buys, and how many wallets are in copy groups."""
    rng = random.Random(seed)
    launch = [START + timedelta(seconds=25 * i) for i in range(TOKENS)]
    wallets: list[str] = []
    transfers: list[Transfer] = []
    buys: list[FirstBuy] = []

    def fund(source: str, destination: str) -> None:
        transfers.append(
            Transfer(
                source=source,
                destination=destination,
                lamports=rng.randint(1, 50) * SOL,
                at=START - timedelta(seconds=rng.randint(60, 86_400)),
                signature=f"fund-{source}-{destination}",
            )
        )

    grouped = 0
    for group in range(GROUPS):
        funder = f"funder{group:04d}"
        members = [f"g{group:04d}m{i}" for i in range(rng.randint(3, 6))]
        grouped += len(members)
        leads = {
            token: launch[token] + timedelta(seconds=rng.uniform(5, 240))
            for token in rng.sample(range(TOKENS), BUYS_PER_WALLET)
        }
        for index, member in enumerate(members):
            wallets.append(member)
            fund(funder, member)
            for token, lead_at in leads.items():
                at = lead_at + timedelta(seconds=rng.uniform(2, 20) if index else 0.0)
                buys.append(FirstBuy(wallet=member, token_mint=f"mint{token:05d}", at=at))
    for number in range(WALLETS - grouped):
        wallet = f"trader{number:05d}"
        wallets.append(wallet)
        fund(f"exchange{rng.randrange(EXCHANGES)}", wallet)
        for token in rng.sample(range(TOKENS), BUYS_PER_WALLET):
            at = launch[token] + timedelta(seconds=rng.uniform(0, 1800))
            buys.append(FirstBuy(wallet=wallet, token_mint=f"mint{token:05d}", at=at))
    return wallets, transfers, buys, grouped


def cluster_rebuild_metrics() -> dict[str, float | int]:
    """Fill a private embedded graph, then time one full recompute."""
    wallets, transfers, buys, grouped = population()
    with tempfile.TemporaryDirectory(prefix="walltrack-bench-intel-") as scratch:
        server = EmbeddedGraphServer(Path(scratch) / "graph")
        endpoint = server.start()
        try:
            server.wait_for_class_cache(timeout_s=180)  # not competing with the figure
            repository = GraphRepository.open(
                endpoint.uri, endpoint.user, endpoint.password, endpoint.database
            )
            try:
                store = ClusterStore(repository)
                store.write_evidence(wallets, transfers, buys, [])
                params = default_params().clusters
                rebuild = ClusterRebuild(store, params=lambda: params, now=lambda: START)
                started = time.perf_counter()
                report = rebuild.recompute()
                elapsed = time.perf_counter() - started
            finally:
                repository.close()
        finally:
            server.stop()
    clustered = sum(len(c.members) for c in report.clusters)
    return {
        "cluster_rebuild_10k_s": round(elapsed, 3),
        "cluster_rebuild_wallets": report.wallets,
        "cluster_rebuild_buys": len(buys),
        "cluster_rebuild_clusters": len(report.clusters),
        "cluster_rebuild_clustered_share": round(clustered / grouped, 3),
    }
