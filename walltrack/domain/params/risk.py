"""Circuit-breaker parameters: what halts new entries (exits always keep running)."""

from __future__ import annotations

from dataclasses import dataclass, field

from walltrack.domain.params.parsing import bounds

DEFAULT_RULES = (
    "drawdown",
    "consecutive_losses",
    "win_rate",
    "daily_loss",
    "max_positions",
    "signal_silence",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskParams:
    """Thresholds of the risk rules owned by the circuit-breaker actor."""

    enabled_rules: tuple[str, ...] = DEFAULT_RULES
    max_drawdown: float = field(default=0.20, metadata=bounds(gt=0, le=1))
    drawdown_warning: float = field(default=0.15, metadata=bounds(gt=0, le=1))
    loss_streak_reduce: int = field(default=3, metadata=bounds(ge=1))
    loss_streak_size_multiplier: float = field(default=0.5, metadata=bounds(gt=0, le=1))
    loss_streak_pause: int = field(default=5, metadata=bounds(ge=1))
    min_win_rate: float = field(default=0.40, metadata=bounds(ge=0, le=1))
    win_rate_window: int = field(default=50, metadata=bounds(ge=1))
    win_rate_min_trades: int = field(default=20, metadata=bounds(ge=1))
    daily_loss_limit: float = field(default=0.05, metadata=bounds(gt=0, le=1))
    no_signal_alert_hours: float = field(default=48.0, metadata=bounds(gt=0))
    venue_failure_threshold: int = field(default=5, metadata=bounds(ge=1))
    venue_open_s: float = field(default=30.0, metadata=bounds(gt=0))

    def problems(self) -> list[tuple[str, str]]:
        """Warnings come before pauses, reductions before pauses."""
        found: list[tuple[str, str]] = []
        if self.drawdown_warning > self.max_drawdown:
            found.append(("drawdown_warning", "must be <= max_drawdown"))
        if self.loss_streak_reduce > self.loss_streak_pause:
            found.append(("loss_streak_reduce", "must be <= loss_streak_pause"))
        if self.win_rate_min_trades > self.win_rate_window:
            found.append(("win_rate_min_trades", "must be <= win_rate_window"))
        unknown = [r for r in self.enabled_rules if r not in DEFAULT_RULES]
        if unknown:
            found.append(("enabled_rules", f"unknown rule {unknown[0]!r}"))
        return found
