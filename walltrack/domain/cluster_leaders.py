"""Who leads a cluster: funding influence, first moves, centrality and performance.

leader score = 0.30 funding influence + 0.25 first-mover share + 0.25 centrality + 0.20
performance (weights from `LeaderWeights`), each part in [0, 1]:
- funding influence: the FUNDED_BY strengths of the members this wallet funded, summed and
  divided by the other members (funding every other member at full strength scores 1);
- first-mover share: of the synced buys between this wallet and other members, the share
  where it bought first;
- centrality: its links inside the cluster / the other members;
- performance: its win rate.
The best member leads when its score reaches `leader_min_score` (0.30).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from walltrack.domain.params.clusters import LeaderWeights

if TYPE_CHECKING:
    from walltrack.domain.clustering import FundingLink, Pair, SyncedBuy


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaderScore:
    """A member's leader score and its parts."""

    wallet: str
    score: float
    funding_influence: float
    first_mover: float
    centrality: float
    performance: float


def score_leaders(
    *,
    members: frozenset[str],
    linked: Iterable[Pair],
    funding: Iterable[FundingLink],
    synced: Iterable[SyncedBuy],
    win_rates: Mapping[str, float],
    weights: LeaderWeights,
) -> tuple[LeaderScore, ...]:
    """Every member's leader score, best first (ties by address)."""
    others = max(1, len(members) - 1)
    funded: defaultdict[str, float] = defaultdict(float)
    for link in funding:
        if link.funder in members and link.funded in members:
            funded[link.funder] += link.strength
    first: defaultdict[str, int] = defaultdict(int)
    involved: defaultdict[str, int] = defaultdict(int)
    for buy in synced:
        if buy.later in members and buy.earlier in members:
            first[buy.earlier] += 1
            involved[buy.earlier] += 1
            involved[buy.later] += 1
    degree: defaultdict[str, int] = defaultdict(int)
    for a, b in set(linked):
        if a in members and b in members and a != b:
            degree[a] += 1
            degree[b] += 1
    scores = []
    for wallet in members:
        influence = min(1.0, funded[wallet] / others)
        mover = first[wallet] / involved[wallet] if involved[wallet] else 0.0
        central = min(1.0, degree[wallet] / others)
        performance = min(1.0, max(0.0, win_rates.get(wallet, 0.0)))
        total = (
            weights.funding_influence * influence
            + weights.first_mover * mover
            + weights.centrality * central
            + weights.performance * performance
        )
        scores.append(
            LeaderScore(
                wallet=wallet,
                score=total,
                funding_influence=influence,
                first_mover=mover,
                centrality=central,
                performance=performance,
            )
        )
    scores.sort(key=lambda s: (-s.score, s.wallet))
    return tuple(scores)
