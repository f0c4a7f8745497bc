"""`clusters rebuild` as plain code: collect evidence, store it, recompute every cluster.

Why two stages: collecting (Helius walks around the watchlist) is slow and network-bound;
recomputing reads every BOUGHT and FUNDED_BY edge the graph holds, which includes the
live buys the ClusterActor recorded, and replaces the cluster set in one transaction. The
recompute alone is what `bench intel` times over 10,000 wallets. Used by the job actor
(actors/intel_clusters.py), the CLI and the evaluation; none of them needs an actor.
Evidence edges (FUNDED_BY, BOUGHT, SYNCED_BUY) are written when collected, as the
ClusterActor writes them for live buys; the recompute writes only the clusters. SYNCED_BUY
edges are kept for the copy-like pairs (mean correlation of the link rule) that met on
more than one token: a coincidence between two of thousands of wallets is noise.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from walltrack.adapters.intel.cluster_history import ClusterHistory, Network
from walltrack.adapters.intel.cluster_links import (
    ClusterEvidence,
    LinkRules,
    Transfer,
    WalletActivity,
    first_buys,
    funding_hubs,
    select_evidence,
)
from walltrack.adapters.intel.cluster_store import ClusterStore
from walltrack.domain.clustering import (
    Cluster,
    FirstBuy,
    FundingLink,
    Pair,
    SyncedBuy,
    core_groups,
    detect_clusters,
    pair,
)
from walltrack.domain.params.clusters import ClusterParams

type WinRates = Callable[[frozenset[str]], Mapping[str, float]]
"""Win rates of the given wallets (from their profiles); a wallet left out counts 0."""

type Launches = Callable[[frozenset[str]], Mapping[str, datetime]]
"""Launch times of the given tokens, where known (wallet discovery's scans)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RebuildReport:
    """What one rebuild found and wrote."""

    wallets: int
    traders: int
    hubs: int
    funding_edges: int
    synced_edges: int
    clusters: tuple[Cluster, ...]
    collect_s: float
    recompute_s: float

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary (the CLI prints it)."""
        return {
            "wallets": self.wallets,
            "traders": self.traders,
            "hubs": self.hubs,
            "funding_edges": self.funding_edges,
            "synced_edges": self.synced_edges,
            "clusters": len(self.clusters),
            "clustered_wallets": sum(len(c.members) for c in self.clusters),
            "with_leader": sum(1 for c in self.clusters if c.leader is not None),
            "collect_s": round(self.collect_s, 3),
            "recompute_s": round(self.recompute_s, 3),
        }


def no_win_rates(_: frozenset[str]) -> Mapping[str, float]:
    """For callers without profiles: every member counts 0."""
    return {}


def no_launches(_: frozenset[str]) -> Mapping[str, datetime]:
    """For callers without token scans: no launch is known."""
    return {}


def compute_clusters(
    activities: Iterable[WalletActivity],
    *,
    hubs: frozenset[str],
    params: ClusterParams,
    rules: LinkRules,
    win_rates: WinRates = no_win_rates,
    launches: Mapping[str, datetime] | None = None,
) -> tuple[ClusterEvidence, tuple[Cluster, ...]]:
    """The evidence among `activities` and the clusters it forms (no I/O)."""
    evidence = select_evidence(
        activities, hubs=hubs, launches=launches or {}, params=params, rules=rules
    )
    linked = {pair(f.funded, f.funder) for f in evidence.member_funding}
    linked |= {pair(s.later, s.earlier) for s in evidence.member_synced}
    linked |= set(evidence.other_links)
    groups = core_groups(linked, params.min_size, params.min_connections)
    group_of = {w: index for index, members in enumerate(groups) for w in members}
    rates = win_rates(frozenset(group_of))

    def inside(a: str, b: str) -> int | None:
        group = group_of.get(a)
        return group if group is not None and group_of.get(b) == group else None

    funding: defaultdict[int, list[FundingLink]] = defaultdict(list)
    for link in evidence.member_funding:
        if (group := inside(link.funded, link.funder)) is not None:
            funding[group].append(link)
    synced: defaultdict[int, list[SyncedBuy]] = defaultdict(list)
    for buy in evidence.member_synced:
        if (group := inside(buy.later, buy.earlier)) is not None:
            synced[group].append(buy)
    other: defaultdict[int, list[Pair]] = defaultdict(list)
    for a, b in evidence.other_links:
        if (group := inside(a, b)) is not None:
            other[group].append((a, b))
    clusters = tuple(  # one group at a time: each leader score reads its own links only
        cluster
        for index in range(len(groups))
        for cluster in detect_clusters(
            funding=funding[index],
            synced=synced[index],
            cooccurring=other[index],
            win_rates=rates,
            params=params,
        )
    )
    return evidence, clusters


def activities_from(
    buys: Iterable[FirstBuy], transfers: Iterable[Transfer]
) -> tuple[WalletActivity, ...]:
    """Stored first buys and transfers regrouped per wallet (a transfer with its receiver)."""
    by_wallet_buys: dict[str, list[FirstBuy]] = {}
    by_wallet_in: dict[str, list[Transfer]] = {}
    for buy in buys:
        by_wallet_buys.setdefault(buy.wallet, []).append(buy)
    for transfer in transfers:
        by_wallet_in.setdefault(transfer.destination, []).append(transfer)
    wallets = sorted(set(by_wallet_buys) | set(by_wallet_in))
    return tuple(
        WalletActivity(
            wallet=w,
            buys=tuple(by_wallet_buys.get(w, ())),
            funded_by=tuple(by_wallet_in.get(w, ())),
        )
        for w in wallets
    )


class ClusterRebuild:
    """Collects around the seeds (optional), then recomputes the graph's clusters."""

    def __init__(
        self,
        store: ClusterStore,
        *,
        params: Callable[[], ClusterParams],
        rules: LinkRules | None = None,
        win_rates: WinRates = no_win_rates,
        launches: Launches = no_launches,
        now: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._params = params
        self._rules = rules or LinkRules()
        self._win_rates = win_rates
        self._launches = launches
        self._now = now

    @property
    def rules(self) -> LinkRules:
        """The selection thresholds and expansion caps in force."""
        return self._rules

    async def collect(self, history: ClusterHistory, seeds: Iterable[str]) -> Network:
        """Walk the seeds and their funders' networks; store what was seen."""
        network = await history.expand(seeds, self._rules)
        hubs = set(network.hubs) | funding_hubs(network.recipients, self._rules)
        activities = list(network.activities.values())
        transfers = {
            t.signature + t.destination: t for a in activities for t in (*a.funded_by, *a.funded)
        }
        buys = first_buys(b for a in activities for b in a.buys)
        self._store.write_evidence(network.activities.keys(), transfers.values(), buys, hubs)
        evidence = select_evidence(
            activities,
            hubs=frozenset(hubs),
            launches=self._launches(frozenset(b.token_mint for b in buys)),
            params=self._params(),
            rules=self._rules,
        )
        self._store.write_synced(evidence.stored_synced)
        return network

    def recompute(self, *, collect_s: float = 0.0) -> RebuildReport:
        """Read every stored edge, detect the clusters, write them (one transaction)."""
        started = time.perf_counter()
        buys = self._store.read_buys()
        transfers = self._store.read_transfers()
        hubs = self._store.read_hubs()
        recipients: dict[str, set[str]] = {}
        for transfer in transfers:
            recipients.setdefault(transfer.source, set()).add(transfer.destination)
        hubs |= funding_hubs({k: frozenset(v) for k, v in recipients.items()}, self._rules)
        activities = activities_from(buys, transfers)
        evidence, clusters = compute_clusters(
            activities,
            hubs=hubs,
            params=self._params(),
            rules=self._rules,
            win_rates=self._win_rates,
            launches=self._launches(frozenset(b.token_mint for b in buys)),
        )
        self._store.replace_clusters(clusters, self._now())
        return RebuildReport(
            wallets=len(activities),
            traders=len(evidence.traders),
            hubs=len(hubs),
            funding_edges=len(evidence.funding),
            synced_edges=len(evidence.stored_synced),
            clusters=clusters,
            collect_s=collect_s,
            recompute_s=time.perf_counter() - started,
        )
