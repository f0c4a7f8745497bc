"""`walltrack eval`: discovery, profiling and clustering on a fresh world, scored on its truth.

What runs, in order, exactly as the jobs run in production (production clients on the
simulator's venues, embedded stores): token discovery (DexScreener), wallet discovery over
every token the world launched (the mints are public; which wallets are smart is what is
measured), profiling with the watchlist verdict and decay, then the cluster rebuild seeded
with every wallet discovery found, expanded through their funders.

What is scored (walltrack/domain/evaluation.py):
- discovery precision/recall: the watchlist against the world's skilled traders. Recall
  is over the smart wallets the truth lists. Precision also accepts the leaders of copy
  groups: the world builds them as the same skilled traders (with `leader_skill`), and
  they are the originals WallTrack should follow rather than their copiers (scoring even
  adds a leader bonus); `discovery_precision_strict` is precision against the listed
  smart wallets alone, and `watched_*` say who the watchlist holds;
- cluster ARI: found clusters against the true ones (copy groups and insider rings) over
  every wallet the rebuild looked at plus every true member (a true member never reached
  counts alone, so missing a cluster costs);
- leader accuracy: of the true clusters found, the share whose leader is right;
- decay precision: of the profiled wallets decay marked (flagged, downgraded, dormant),
  the share that are not smart wallets.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from walltrack.adapters.intel.cluster_history import ClusterHistory
from walltrack.adapters.intel.cluster_links import LinkRules
from walltrack.adapters.intel.cluster_rebuild import ClusterRebuild
from walltrack.adapters.intel.cluster_store import ClusterStore
from walltrack.adapters.intel.store import IntelStore
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.clustering import Cluster
from walltrack.domain.evaluation import (
    adjusted_rand_index,
    decay_precision,
    leader_accuracy,
    precision_recall,
)
from walltrack.domain.records.wallets import DecayStatus, WalletRecord, WalletStatus
from walltrack.eval.world import EvalWorld

DECAYED = frozenset({DecayStatus.FLAGGED, DecayStatus.DOWNGRADED, DecayStatus.DORMANT})
MAX_WALLETS = 100_000
EXPANSION_ROOM = 1000
"""Wallets the rebuild may add to the seeds through their funders."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IntelOutcome:
    """What the intelligence found in one world, by address."""

    watched: tuple[str, ...]
    discovered: tuple[str, ...]
    profiled: tuple[str, ...]
    decayed: tuple[str, ...]
    network: tuple[str, ...]  # every wallet the cluster rebuild looked at
    clusters: tuple[Cluster, ...]
    timings: Mapping[str, float]


def scanned_launches(store: IntelStore, mints: Iterable[str]) -> dict[str, datetime]:
    """Launch times wallet discovery found for these tokens (when its scan reached it)."""
    found: dict[str, datetime] = {}
    for mint in mints:
        scan = store.scan_of(mint)
        launched = None if scan is None else scan.get("launched_at")
        if isinstance(launched, datetime):
            found[mint] = launched
    return found


def known_wallets(wallets: WalletRepository) -> list[WalletRecord]:
    """Every wallet in the store, whatever its status."""
    return [r for status in WalletStatus for r in wallets.by_status(status, limit=MAX_WALLETS)]


async def run_intelligence(world: EvalWorld) -> IntelOutcome:
    """Token and wallet discovery, profiling (with decay) and the cluster rebuild."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    await world.jobs.tokens.discover()
    mints = [t["mint"] for t in world.truth()["tokens"]]
    discovered = await world.jobs.wallets.discover(mints)
    timings["discovery_s"] = time.perf_counter() - started
    started = time.perf_counter()
    await world.jobs.profiler.run()
    timings["profiling_s"] = time.perf_counter() - started
    records = known_wallets(WalletRepository(world.db))
    rates = {r.address: r.profile.win_rate for r in records}
    store = world.jobs.store
    started = time.perf_counter()
    params = world.params.clusters
    seeds = [r.address for r in records]
    rebuild = ClusterRebuild(
        ClusterStore(world.graph),
        params=lambda: params,
        rules=LinkRules(max_network_size=len(seeds) + EXPANSION_ROOM),
        win_rates=lambda members: {m: rates[m] for m in members if m in rates},
        launches=lambda mints: scanned_launches(store, mints),
        now=world.now,
    )
    network = await rebuild.collect(ClusterHistory(world.helius, params, max_pages=50), seeds)
    report = rebuild.recompute()
    timings["clustering_s"] = time.perf_counter() - started
    profiled = [r for r in records if r.profiled_at is not None]
    return IntelOutcome(
        watched=tuple(world.jobs.watchlist.watched()),
        discovered=tuple(discovered.found),
        profiled=tuple(r.address for r in profiled),
        decayed=tuple(r.address for r in profiled if r.profile.decay_status in DECAYED),
        network=tuple(sorted(network.activities)),
        clusters=report.clusters,
        timings=timings,
    )


def skilled_leaders(truth: Mapping[str, Any]) -> set[str]:
    """Leaders of copy groups: skilled traders that other wallets copy (not insider rings,
    whose "leader" is the dev)."""
    return {c["leader"] for c in truth["clusters"] if c.get("kind") == "copy_group"}


def score(truth: Mapping[str, Any], found: IntelOutcome) -> dict[str, float]:
    """The evaluation's metrics (and a few counts that explain them)."""
    smart = {w["address"] for w in truth["smart_wallets"]}
    leaders = skilled_leaders(truth)
    precision, _ = precision_recall(found.watched, smart | leaders)
    strict, recall = precision_recall(found.watched, smart)
    watched = set(found.watched)
    true_clusters = {c["id"]: frozenset(c["members"]) for c in truth["clusters"]}
    true_leaders = {c["id"]: c["leader"] for c in truth["clusters"]}
    found_clusters = {c.cluster_id: c.members for c in found.clusters}
    found_leaders = {c.cluster_id: c.leader for c in found.clusters}
    true_of = {m: cid for cid, members in true_clusters.items() for m in members}
    found_of = {m: cid for cid, members in found_clusters.items() for m in members}
    universe = set(found.network) | set(true_of) | set(found_of)
    accuracy, judged = leader_accuracy(true_clusters, true_leaders, found_clusters, found_leaders)
    decay, flagged = decay_precision(found.decayed, set(found.profiled) - smart)
    return {
        "discovery_precision": round(precision, 4),
        "discovery_recall": round(recall, 4),
        "discovery_precision_strict": round(strict, 4),
        "cluster_ari": round(adjusted_rand_index(true_of, found_of, universe), 4),
        "leader_accuracy": round(accuracy, 4),
        "decay_precision": round(decay, 4),
        "watchlisted": len(found.watched),
        "watched_smart": len(watched & smart),
        "watched_leaders": len(watched & leaders - smart),
        "watched_other": len(watched - smart - leaders),
        "smart_wallets": len(smart),
        "discovered_wallets": len(found.discovered),
        "true_clusters": len(true_clusters),
        "found_clusters": len(found_clusters),
        "clusters_judged": judged,
        "network_wallets": len(found.network),
        "decay_flagged": flagged,
        **{k: round(v, 2) for k, v in found.timings.items()},
    }
