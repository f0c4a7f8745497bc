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
    pnl_full_sol: Decimal = field(default=Decimal(10), metadata=bounds(gt=0))
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
    holders_low: int = field(default=50, metadata=bounds(ge=0))
    holders_full: int = field(default=1000, metadata=bounds(ge=1))
    holder_count_share: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    top10_share_good: float = field(default=0.20, metadata=bounds(ge=0, le=1))
    top10_share_bad: float = field(default=0.80, metadata=bounds(ge=0, le=1))
    volume_weight: float = field(default=0.25, metadata=bounds(ge=0, le=1))
    volume_low_usd: Decimal = field(default=Decimal(1000), metadata=bounds(ge=0))
    volume_full_usd: Decimal = field(default=Decimal(100000), metadata=bounds(gt=0))
    young_token_minutes: float = field(default=5.0, metadata=bounds(ge=0))
    young_token_penalty: float = field(default=0.2, metadata=bounds(ge=0, le=1))
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
        if self.holders_low >= self.holders_full:
            found.append(("holders_low", "must be < holders_full"))
        if self.top10_share_good >= self.top10_share_bad:
            found.append(("top10_share_good", "must be < top10_share_bad"))
        if self.volume_low_usd >= self.volume_full_usd:
            found.append(("volume_low_usd", "must be < volume_full_usd"))
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterFactorParams:
    """The cluster factor of a clustered wallet: its multiplier and live amplification.

    factor = solo + (1 - solo) * (multiplier_share * m + amplification_share * a), where m
    maps the cluster multiplier range onto [0, 1] and a grows with the members that bought
    the token inside the amplification window, reaching 1 at `amplification_full_members`.
    """

    multiplier_share: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    amplification_share: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    amplification_full_members: int = field(default=4, metadata=bounds(ge=2))

    def problems(self) -> list[tuple[str, str]]:
        """The two shares split the room above the solo score."""
        return _sum_problem(self.multiplier_share, self.amplification_share)


_ACTIVE_HOURS = tuple(range(13, 23))
"""13:00-22:59 UTC: the US and European sessions overlap, memecoin volume peaks."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextFactorParams:
    """The context factor: time of day, token activity and volatility, tracked wallets in it.

    Activity is the count of swaps in the token over the last `activity_window_s`; volatility
    is (high - low) / low of its price over the same window; wallets are the other tracked
    wallets that bought it within that window.
    """

    time_weight: float = field(default=0.20, metadata=bounds(ge=0, le=1))
    activity_weight: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    volatility_weight: float = field(default=0.20, metadata=bounds(ge=0, le=1))
    tracked_wallets_weight: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    active_hours_utc: tuple[int, ...] = _ACTIVE_HOURS
    active_hour_score: float = field(default=1.0, metadata=bounds(ge=0, le=1))
    quiet_hour_score: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    activity_window_s: int = field(default=300, metadata=bounds(gt=0))
    activity_full_trades: int = field(default=30, metadata=bounds(ge=1))
    volatility_calm: float = field(default=0.10, metadata=bounds(ge=0))
    volatility_wild: float = field(default=0.60, metadata=bounds(gt=0))
    tracked_wallets_full: int = field(default=3, metadata=bounds(ge=1))

    def problems(self) -> list[tuple[str, str]]:
        """Weights share one factor, hours are clock hours, calm is below wild."""
        found = _sum_problem(
            self.time_weight,
            self.activity_weight,
            self.volatility_weight,
            self.tracked_wallets_weight,
        )
        if any(not 0 <= hour <= 23 for hour in self.active_hours_utc):
            found.append(("active_hours_utc", "hours must be within [0, 23]"))
        if self.volatility_calm >= self.volatility_wild:
            found.append(("volatility_calm", "must be < volatility_wild"))
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoringParams:
    """How a wallet signal becomes a score and a trade/skip decision."""

    weights: FactorWeights = field(default_factory=FactorWeights)
    wallet: WalletFactorParams = field(default_factory=WalletFactorParams)
    token: TokenFactorParams = field(default_factory=TokenFactorParams)
    cluster: ClusterFactorParams = field(default_factory=ClusterFactorParams)
    context: ContextFactorParams = field(default_factory=ContextFactorParams)
    solo_cluster_score: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    threshold: float = field(default=0.70, metadata=bounds(ge=0, le=1))
    high_conviction: float = field(default=0.85, metadata=bounds(ge=0, le=1))
    high_conviction_size_multiplier: float = field(default=1.5, metadata=bounds(ge=1))

    def problems(self) -> list[tuple[str, str]]:
        """High conviction is a stricter threshold, never a looser one."""
        if self.high_conviction < self.threshold:
            return [("high_conviction", "must be >= threshold")]
        return []
