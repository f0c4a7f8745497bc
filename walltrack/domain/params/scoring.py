"""Signal scoring parameters: factor weights, sub-factor weights, threshold, conviction."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from walltrack.domain.params.parsing import bounds


def _sum_problem(*weights: float) -> list[tuple[str, str]]:
    total = sum(weights)
    if abs(total - 1.0) > 1e-9:
        return [("", f"weights must sum to 1, got {total:g}")]
    return []


@dataclass(frozen=True, slots=True, kw_only=True)
class FactorWeights:
    """score = wallet, cluster, token and context factors weighted by these shares."""

    wallet: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    cluster: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    token: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    context: float = field(default=0.20, metadata=bounds(ge=0, le=1))

    def problems(self) -> list[tuple[str, str]]:
        """The factor weights are shares of one score."""
        return _sum_problem(self.wallet, self.cluster, self.token, self.context)


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletFactorParams:
    """The wallet factor: profile metrics, leader bonus, decay penalty."""

    win_rate: float = field(default=0.35, metadata=bounds(ge=0, le=1))
    pnl: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    timing: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    consistency: float = field(default=0.15, metadata=bounds(ge=0, le=1))
    leader_bonus: float = field(default=0.15, metadata=bounds(ge=0, le=1))
    decay_penalty: float = field(default=0.30, metadata=bounds(ge=0, le=1))

    def problems(self) -> list[tuple[str, str]]:
        """The four metric weights are shares of the wallet factor."""
        return _sum_problem(self.win_rate, self.pnl, self.timing, self.consistency)


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenFactorParams:
    """The token factor: liquidity, market cap, holders, volume, age and authority checks."""

    liquidity_low_usd: Decimal = field(default=Decimal(1000), metadata=bounds(ge=0))
    liquidity_full_usd: Decimal = field(default=Decimal(50000), metadata=bounds(gt=0))
    liquidity_weight: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    market_cap_low_usd: Decimal = field(default=Decimal(10000), metadata=bounds(ge=0))
    market_cap_low_score: float = field(default=0.2, metadata=bounds(ge=0, le=1))
    market_cap_full_usd: Decimal = field(default=Decimal(500000), metadata=bounds(gt=0))
    market_cap_weight: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    holders_weight: float = field(default=0.20, metadata=bounds(ge=0, le=1))
    volume_weight: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    young_token_minutes: float = field(default=5.0, metadata=bounds(ge=0))
    authority_penalty: float = field(default=0.2, metadata=bounds(ge=0, le=1))

    def problems(self) -> list[tuple[str, str]]:
        """Weights share one factor and each ramp runs upwards."""
        found = _sum_problem(
            self.liquidity_weight, self.market_cap_weight, self.holders_weight, self.volume_weight
        )
        if self.liquidity_low_usd >= self.liquidity_full_usd:
            found.append(("liquidity_low_usd", "must be < liquidity_full_usd"))
        if self.market_cap_low_usd >= self.market_cap_full_usd:
            found.append(("market_cap_low_usd", "must be < market_cap_full_usd"))
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoringParams:
    """How a wallet signal becomes a score and a trade/skip decision."""

    weights: FactorWeights = field(default_factory=FactorWeights)
    wallet: WalletFactorParams = field(default_factory=WalletFactorParams)
    token: TokenFactorParams = field(default_factory=TokenFactorParams)
    solo_cluster_score: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    threshold: float = field(default=0.70, metadata=bounds(ge=0, le=1))
    high_conviction: float = field(default=0.85, metadata=bounds(ge=0, le=1))
    high_conviction_size_multiplier: float = field(default=1.5, metadata=bounds(ge=1))

    def problems(self) -> list[tuple[str, str]]:
        """High conviction is a stricter threshold, never a looser one."""
        if self.high_conviction < self.threshold:
            return [("high_conviction", "must be >= threshold")]
        return []
