"""Cluster context pushed by the ClusterActor to the scorer (never asked for).

Why pushed: the scorer must score a signal in microseconds; it caches the clusters and the
live amplifications these events carry (DESIGN.md §3).
"""

from __future__ import annotations

from walltrack.domain.clustering import Cluster
from walltrack.domain.messages.base import MESSAGE, Event


@MESSAGE
class ClusterContextUpdated(Event):
    """Clusters now known; `replace_all` says whether the scorer drops those not listed."""

    clusters: tuple[Cluster, ...]
    removed: frozenset[str] = frozenset()
    replace_all: bool = False


@MESSAGE
class ClusterAmplified(Event):
    """>= 2 members of a cluster bought the same token within the amplification window."""

    cluster_id: str
    token_mint: str
    members_buying: frozenset[str]
    window_s: int
