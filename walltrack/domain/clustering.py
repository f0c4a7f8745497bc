"""Wallet clusters: the links between wallets, the groups they form, leaders, multipliers.

Links (domain-rules.md, Clusters):
- FUNDED_BY: an incoming SOL transfer of >= 0.1 SOL, strength min(1, SOL / 10);
- SYNCED_BUY: two wallets' first buys of one token within 300 s, correlation 1 - dt / 300;
- co-occurrence: Jaccard similarity of early-token sets >= 0.2 with >= 2 shared tokens.
A cluster is a connected group of >= 3 wallets in which every member has >= 2 links to
other members (the 2-core of the link graph, split into its connected groups); cohesion is
linked pairs / all pairs. The multiplier in [1, 3] adds a size bonus, a cohesion bonus,
the members' mean win rate above 0.5 and a leader bonus; a cluster is amplified at signal
time when >= 2 members bought the same token within 600 s.

Why pure and in the domain: the graph adapter only stores and fetches edges; the rules
must be testable by hand (issue 6) and shared by the live ClusterActor and `clusters
rebuild`. Union-find as in adapters/graph/components.py, rewritten here without its types.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from walltrack.domain.cluster_leaders import LeaderScore, score_leaders
from walltrack.domain.params.clusters import ClusterParams
from walltrack.domain.scoring.cluster_factor import ClusterSignalContext

LAMPORTS_PER_SOL = 1_000_000_000
type Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    """An undirected pair in a canonical order."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True, kw_only=True)
class FundingLink:
    """`funded` received SOL from `funder` (the FUNDED_BY edge points funded -> funder)."""

    funded: str
    funder: str
    lamports: int
    strength: float


@dataclass(frozen=True, slots=True, kw_only=True)
class FirstBuy:
    """A wallet's first buy of a token."""

    wallet: str
    token_mint: str
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncedBuy:
    """`later` bought `token_mint` `delta_s` s after `earlier` (SYNCED_BUY later -> earlier)."""

    later: str
    earlier: str
    token_mint: str
    delta_s: float
    correlation: float


def funding_link(
    funded: str, funder: str, lamports: int, params: ClusterParams
) -> FundingLink | None:
    """The FUNDED_BY link of one SOL transfer, or None below the minimum amount."""
    sol = Decimal(lamports) / LAMPORTS_PER_SOL
    if funded == funder or sol < params.funding_min_sol:
        return None
    strength = float(min(Decimal(1), sol / params.funding_full_strength_sol))
    return FundingLink(funded=funded, funder=funder, lamports=lamports, strength=strength)


def synced_buy_correlation(delta_s: float, params: ClusterParams) -> float | None:
    """1 - dt / window for buys at most `synced_buy_window_s` apart, else None."""
    window = params.synced_buy_window_s
    if delta_s < 0 or delta_s > window:
        return None
    return 1.0 - delta_s / window


def find_synced_buys(buys: Iterable[FirstBuy], params: ClusterParams) -> tuple[SyncedBuy, ...]:
    """Every pair of wallets whose first buys of a token fall within the window."""
    by_token: defaultdict[str, dict[str, datetime]] = defaultdict(dict)
    for buy in buys:
        known = by_token[buy.token_mint].get(buy.wallet)
        if known is None or buy.at < known:
            by_token[buy.token_mint][buy.wallet] = buy.at
    window = timedelta(seconds=params.synced_buy_window_s)
    found: list[SyncedBuy] = []
    for token, first in sorted(by_token.items()):
        ordered = sorted(first.items(), key=lambda item: (item[1], item[0]))
        for i, (later, later_at) in enumerate(ordered):
            for earlier, earlier_at in reversed(ordered[:i]):
                if later_at - earlier_at > window:
                    break
                delta = (later_at - earlier_at).total_seconds()
                correlation = synced_buy_correlation(delta, params)
                if correlation is not None:
                    found.append(
                        SyncedBuy(
                            later=later,
                            earlier=earlier,
                            token_mint=token,
                            delta_s=delta,
                            correlation=correlation,
                        )
                    )
    return tuple(found)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / |a | b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def cooccurrence(a: frozenset[str], b: frozenset[str], params: ClusterParams) -> float | None:
    """The co-occurrence link strength of two early-token sets, or None when too weak."""
    if len(a & b) < params.cooccurrence_min_shared_tokens:
        return None
    similarity = jaccard(a, b)
    return similarity if similarity >= params.cooccurrence_min_jaccard else None


def cohesion(members: frozenset[str], linked: Iterable[Pair]) -> float:
    """Linked pairs among `members` / all pairs of members."""
    n = len(members)
    if n < 2:
        return 0.0
    inside = {pair(a, b) for a, b in linked if a != b and a in members and b in members}
    return len(inside) / (n * (n - 1) / 2)


def cluster_multiplier(
    size: int, cohesion_value: float, mean_win_rate: float, has_leader: bool, params: ClusterParams
) -> float:
    """1 + size bonus + cohesion bonus + win rate above 0.5 + leader bonus, within [1, 3]."""
    value = 1.0
    value += min(
        params.size_bonus_cap, max(0, size - params.min_size) * params.size_bonus_per_member
    )
    if cohesion_value >= params.cohesion_min:
        value += params.cohesion_weight * cohesion_value
    value += max(0.0, mean_win_rate - 0.5)
    if has_leader:
        value += params.leader_bonus
    return min(params.multiplier_max, max(params.multiplier_min, value))


def core_groups(
    linked: Iterable[Pair], min_size: int, min_connections: int
) -> list[frozenset[str]]:
    """Connected groups of >= `min_size` wallets, each with >= `min_connections` links inside.

    Wallets with too few links are peeled off repeatedly (a k-core), then the rest is split
    into connected groups by union-find. Largest first, ties by smallest member.
    """
    neighbours: defaultdict[str, set[str]] = defaultdict(set)
    for a, b in linked:
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    weak = [w for w, n in neighbours.items() if len(n) < min_connections]
    while weak:
        wallet = weak.pop()
        for other in neighbours.pop(wallet, set()):
            peers = neighbours.get(other)
            if peers is not None:
                peers.discard(wallet)
                if len(peers) == min_connections - 1:
                    weak.append(other)
    parent = {w: w for w in neighbours}

    def find(w: str) -> str:
        while parent[w] != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for wallet, peers in neighbours.items():
        for other in peers:
            root_a, root_b = find(wallet), find(other)
            if root_a != root_b:
                parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for wallet in neighbours:
        groups[find(wallet)].add(wallet)
    found = [frozenset(g) for g in groups.values() if len(g) >= min_size]
    return sorted(found, key=lambda g: (-len(g), min(g)))


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    """One detected cluster and everything the scorer and the dashboard need about it."""

    cluster_id: str
    members: frozenset[str]
    cohesion: float
    mean_win_rate: float
    leader: str | None
    leader_scores: tuple[LeaderScore, ...]  # every member, best first
    multiplier: float


def cluster_id(members: frozenset[str]) -> str:
    """A stable id from the member set (same members, same id across rebuilds)."""
    digest = hashlib.sha256("|".join(sorted(members)).encode()).hexdigest()
    return f"cluster-{digest[:16]}"


def detect_clusters(
    *,
    funding: Iterable[FundingLink],
    synced: Iterable[SyncedBuy],
    cooccurring: Iterable[Pair],
    win_rates: Mapping[str, float],
    params: ClusterParams,
) -> tuple[Cluster, ...]:
    """Clusters of the link graph formed by funding, synced buys and co-occurrence."""
    funding, synced = tuple(funding), tuple(synced)
    linked = {pair(f.funded, f.funder) for f in funding}
    linked |= {pair(s.later, s.earlier) for s in synced}
    linked |= {pair(a, b) for a, b in cooccurring if a != b}
    clusters = []
    for members in core_groups(linked, params.min_size, params.min_connections):
        inside = [p for p in linked if p[0] in members and p[1] in members]
        value = cohesion(members, inside)
        scores = score_leaders(
            members=members,
            linked=inside,
            funding=funding,
            synced=synced,
            win_rates=win_rates,
            weights=params.leader_weights,
        )
        leader = scores[0].wallet if scores and scores[0].score >= params.leader_min_score else None
        mean_win_rate = sum(win_rates.get(m, 0.0) for m in members) / len(members)
        clusters.append(
            Cluster(
                cluster_id=cluster_id(members),
                members=members,
                cohesion=value,
                mean_win_rate=mean_win_rate,
                leader=leader,
                leader_scores=scores,
                multiplier=cluster_multiplier(
                    len(members), value, mean_win_rate, leader is not None, params
                ),
            )
        )
    return tuple(clusters)


def members_buying(
    members: frozenset[str],
    buys: Iterable[FirstBuy],
    token_mint: str,
    now: datetime,
    params: ClusterParams,
) -> int:
    """Distinct members that bought `token_mint` within the amplification window before `now`."""
    since = now - timedelta(seconds=params.amplification_window_s)
    return len(
        {
            b.wallet
            for b in buys
            if b.token_mint == token_mint and b.wallet in members and since <= b.at <= now
        }
    )


def is_amplified(count: int, params: ClusterParams) -> bool:
    """Enough members are buying the token together."""
    return count >= params.amplification_min_members


def signal_context(
    wallet: str,
    token_mint: str,
    *,
    clusters: Iterable[Cluster],
    buys: Iterable[FirstBuy],
    now: datetime,
    params: ClusterParams,
) -> ClusterSignalContext:
    """What the scorer needs about `wallet`'s cluster for its buy of `token_mint` now.

    The signalling wallet always counts among the members buying.
    """
    cluster = next((c for c in clusters if wallet in c.members), None)
    if cluster is None:
        return ClusterSignalContext()
    since = now - timedelta(seconds=params.amplification_window_s)
    buying = {
        b.wallet
        for b in buys
        if b.token_mint == token_mint and b.wallet in cluster.members and since <= b.at <= now
    }
    return ClusterSignalContext(
        cluster_id=cluster.cluster_id,
        multiplier=cluster.multiplier,
        members_buying=len(buying | {wallet}),
        cluster_size=len(cluster.members),
    )
