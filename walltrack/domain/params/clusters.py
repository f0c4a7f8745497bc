"""Graph clustering parameters: funding, synced buys, clusters, leaders, multiplier."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from walltrack.domain.params.parsing import bounds


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaderWeights:
    """How a cluster leader is scored; the four weights sum to 1."""

    funding_influence: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    first_mover: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    centrality: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    performance: float = field(default=0.20, metadata=bounds(ge=0, le=1))

    def problems(self) -> list[tuple[str, str]]:
        """The weights are shares of one score."""
        total = self.funding_influence + self.first_mover + self.centrality + self.performance
        if abs(total - 1.0) > 1e-9:
            return [("", f"weights must sum to 1, got {total:g}")]
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterParams:
    """What links wallets in the graph and how a cluster amplifies a signal."""

    funding_min_sol: Decimal = field(default=Decimal("0.1"), metadata=bounds(ge=0))
    funding_full_strength_sol: Decimal = field(default=Decimal(10), metadata=bounds(gt=0))
    synced_buy_window_s: int = field(default=300, metadata=bounds(gt=0))
    cooccurrence_min_jaccard: float = field(default=0.2, metadata=bounds(ge=0, le=1))
    cooccurrence_min_shared_tokens: int = field(default=2, metadata=bounds(ge=1))
    min_size: int = field(default=3, metadata=bounds(ge=2))
    min_connections: int = field(default=2, metadata=bounds(ge=1))
    leader_weights: LeaderWeights = field(default_factory=LeaderWeights)
    leader_min_score: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    multiplier_min: float = field(default=1.0, metadata=bounds(ge=0))
    multiplier_max: float = field(default=3.0, metadata=bounds(ge=0))
    size_bonus_per_member: float = field(default=0.1, metadata=bounds(ge=0))
    size_bonus_cap: float = field(default=0.5, metadata=bounds(ge=0))
    cohesion_min: float = field(default=0.3, metadata=bounds(ge=0, le=1))
    cohesion_weight: float = field(default=0.8, metadata=bounds(ge=0))
    leader_bonus: float = field(default=0.2, metadata=bounds(ge=0))
    amplification_min_members: int = field(default=2, metadata=bounds(ge=2))
    amplification_window_s: int = field(default=600, metadata=bounds(gt=0))

    def problems(self) -> list[tuple[str, str]]:
        """The multiplier range must not be empty."""
        if self.multiplier_min > self.multiplier_max:
            return [("multiplier_min", "must be <= multiplier_max")]
        return []
