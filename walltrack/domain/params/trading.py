"""Position sizing, exit-strategy assignment and order execution parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from walltrack.domain.params.parsing import bounds


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawdownTier:
    """From `drawdown` below the 30-day peak, new positions shrink by `size_cut`."""

    drawdown: float = field(default=0.10, metadata=bounds(gt=0, le=1))
    size_cut: float = field(default=0.25, metadata=bounds(ge=0, le=1))


_DEFAULT_TIERS = (
    DrawdownTier(drawdown=0.10, size_cut=0.25),
    DrawdownTier(drawdown=0.15, size_cut=0.50),
    DrawdownTier(drawdown=0.20, size_cut=1.0),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SizingParams:
    """How much SOL a new position gets, and the portfolio limits it must respect."""

    base_fraction: float = field(default=0.02, metadata=bounds(gt=0, le=1))
    min_position_sol: Decimal = field(default=Decimal("0.01"), metadata=bounds(gt=0))
    max_position_sol: Decimal = field(default=Decimal("1.0"), metadata=bounds(gt=0))
    reserve_sol: Decimal = field(default=Decimal("0.05"), metadata=bounds(ge=0))
    max_allocated_fraction: float = field(default=0.50, metadata=bounds(gt=0, le=1))
    max_concurrent_positions: int = field(default=5, metadata=bounds(ge=1))
    max_token_fraction: float = field(default=0.25, metadata=bounds(gt=0, le=1))
    max_cluster_fraction: float = field(default=0.50, metadata=bounds(gt=0, le=1))
    max_cluster_positions: int = field(default=3, metadata=bounds(ge=1))
    drawdown_tiers: tuple[DrawdownTier, ...] = _DEFAULT_TIERS
    drawdown_peak_days: int = field(default=30, metadata=bounds(ge=1))

    def problems(self) -> list[tuple[str, str]]:
        """The clamp must be a range and the drawdown tiers must rise."""
        found: list[tuple[str, str]] = []
        if self.min_position_sol > self.max_position_sol:
            found.append(("min_position_sol", "must be <= max_position_sol"))
        levels = [t.drawdown for t in self.drawdown_tiers]
        if levels != sorted(set(levels)):
            found.append(("drawdown_tiers", "drawdowns must be strictly increasing"))
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitParams:
    """Which exit strategy a new position gets from its score (an override wins)."""

    default_strategy: str = "balanced"
    diamond_hands_min_score: float = field(default=0.90, metadata=bounds(ge=0, le=1))
    moonbag_aggressive_min_score: float = field(default=0.80, metadata=bounds(ge=0, le=1))

    def problems(self) -> list[tuple[str, str]]:
        """The stricter preset needs the higher score."""
        if self.moonbag_aggressive_min_score > self.diamond_hands_min_score:
            return [("moonbag_aggressive_min_score", "must be <= diamond_hands_min_score")]
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderParams:
    """Retries, slippage and timeouts of the order state machine (Jupiter defaults)."""

    max_retries: int = field(default=3, metadata=bounds(ge=0, le=10))
    retry_backoff_s: tuple[float, ...] = (5.0, 15.0, 45.0)
    slippage_bps: int = field(default=100, metadata=bounds(ge=1, le=10000))
    max_slippage_bps: int = field(default=500, metadata=bounds(ge=1, le=10000))
    exit_slippage_step_bps: int = field(default=100, metadata=bounds(ge=0, le=10000))
    priority_fee_lamports: int = field(default=50_000, metadata=bounds(ge=0))
    exit_priority_fee_growth: float = field(default=2.0, metadata=bounds(ge=1))
    max_priority_fee_lamports: int = field(default=1_000_000, metadata=bounds(ge=0))
    quote_timeout_s: float = field(default=5.0, metadata=bounds(gt=0))
    swap_timeout_s: float = field(default=30.0, metadata=bounds(gt=0))
    confirmation_timeout_s: float = field(default=60.0, metadata=bounds(gt=0))

    def problems(self) -> list[tuple[str, str]]:
        """One backoff per retry; the slippage cap is above the start."""
        found: list[tuple[str, str]] = []
        if len(self.retry_backoff_s) < self.max_retries:
            found.append(("retry_backoff_s", "needs one delay per retry (max_retries)"))
        if any(d < 0 for d in self.retry_backoff_s):
            found.append(("retry_backoff_s", "delays must be >= 0"))
        if self.slippage_bps > self.max_slippage_bps:
            found.append(("slippage_bps", "must be <= max_slippage_bps"))
        if self.priority_fee_lamports > self.max_priority_fee_lamports:
            found.append(("priority_fee_lamports", "must be <= max_priority_fee_lamports"))
        return found
