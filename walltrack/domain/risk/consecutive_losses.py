"""Loss streak: 3 losses in a row halve new positions; 5 pause entries until a reset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.risk.base import Finding, FindingKind
from walltrack.domain.risk.ledger import RiskLedger


@dataclass(frozen=True, slots=True)
class ConsecutiveLossesRule:
    """Shrink, then stop, while the losses keep coming."""

    name: str = "consecutive_losses"

    def evaluate(self, ledger: RiskLedger, params: RuntimeParams, now: datetime) -> Finding | None:
        """Pause at `loss_streak_pause`, reduce size from `loss_streak_reduce`."""
        streak, risk = ledger.consecutive_losses, params.risk
        metrics = (("consecutive_losses", streak),)
        if streak >= risk.loss_streak_pause:
            return Finding(
                rule=self.name,
                kind=FindingKind.HALT_UNTIL_RESET,
                reason=f"{streak} losses in a row (pause at {risk.loss_streak_pause})",
                metrics=metrics,
            )
        if streak >= risk.loss_streak_reduce:
            return Finding(
                rule=self.name,
                kind=FindingKind.REDUCE_SIZE,
                reason=f"{streak} losses in a row: size x{risk.loss_streak_size_multiplier:g}",
                metrics=metrics,
                size_multiplier=risk.loss_streak_size_multiplier,
            )
        return None
