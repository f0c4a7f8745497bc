"""The cluster factor: does the wallet act with a proven group, and is the group buying now?

A solo wallet (no cluster) gets `solo_cluster_score` (0.5). A clustered wallet gets

    solo + (1 - solo) * (multiplier_share * m + amplification_share * a)

where m is the cluster multiplier mapped from [multiplier_min, multiplier_max] onto [0, 1]
and a is the live amplification: 0 below `amplification_min_members` members of the
cluster buying the token inside the amplification window (600 s), then rising linearly to
1 at `amplification_full_members`. So a weak, quiet cluster scores like a solo wallet and a
strong cluster buying together scores up to 1 — the original project's cluster data never
reached the score; here it is a quarter of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from walltrack.domain.params.clusters import ClusterParams
from walltrack.domain.params.scoring import ScoringParams
from walltrack.domain.scoring.ramp import clamp01


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterSignalContext:
    """The wallet's cluster as the scorer sees it when the signal arrives.

    `members_buying` counts distinct members of the cluster, the signalling wallet included,
    that bought the token within the amplification window before the signal.
    """

    cluster_id: str | None = None
    multiplier: float = 1.0
    members_buying: int = 1
    cluster_size: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterFactor:
    """The cluster factor and every part of it."""

    value: float
    solo: bool
    multiplier: float
    multiplier_norm: float
    members_buying: int
    amplified: bool
    amplification: float


def amplification_level(members_buying: int, minimum: int, full: int) -> float:
    """0 below `minimum` members buying, then linear up to 1 at `full` members."""
    if members_buying < minimum:
        return 0.0
    steps = max(1, full - minimum + 1)
    return clamp01((members_buying - minimum + 1) / steps)


def cluster_factor(
    context: ClusterSignalContext, scoring: ScoringParams, clusters: ClusterParams
) -> ClusterFactor:
    """The cluster factor of a signal, with its breakdown."""
    solo_score = scoring.solo_cluster_score
    if context.cluster_id is None:
        return ClusterFactor(
            value=solo_score,
            solo=True,
            multiplier=1.0,
            multiplier_norm=0.0,
            members_buying=1,
            amplified=False,
            amplification=0.0,
        )
    span = clusters.multiplier_max - clusters.multiplier_min
    norm = clamp01((context.multiplier - clusters.multiplier_min) / span) if span > 0 else 0.0
    level = amplification_level(
        context.members_buying,
        clusters.amplification_min_members,
        scoring.cluster.amplification_full_members,
    )
    shares = scoring.cluster
    lift = shares.multiplier_share * norm + shares.amplification_share * level
    return ClusterFactor(
        value=clamp01(solo_score + (1.0 - solo_score) * lift),
        solo=False,
        multiplier=context.multiplier,
        multiplier_norm=norm,
        members_buying=context.members_buying,
        amplified=context.members_buying >= clusters.amplification_min_members,
        amplification=level,
    )
