"""Drawdown: equity more than 20 % below its peak halts entries until a manual reset.

A warning goes out from 15 %. The peak is the highest equity since the last reset (a reset
re-bases it, or the breaker would trip again at once). Compared exactly in integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.risk.base import Finding, FindingKind
from walltrack.domain.risk.ledger import RiskLedger


@dataclass(frozen=True, slots=True)
class DrawdownRule:
    """Pause on a deep drawdown, warn on the way there."""

    name: str = "drawdown"

    def evaluate(self, ledger: RiskLedger, params: RuntimeParams, now: datetime) -> Finding | None:
        """Halt above `max_drawdown`, warn from `drawdown_warning`."""
        peak, equity = ledger.peak_equity_lamports, ledger.equity_lamports
        if peak <= 0 or equity >= peak:
            return None
        drawdown = Decimal(peak - equity) / Decimal(peak)
        metrics = (
            ("drawdown", float(drawdown)),
            ("equity_lamports", equity),
            ("peak_lamports", peak),
        )
        if drawdown > Decimal(str(params.risk.max_drawdown)):
            reason = f"drawdown {drawdown:.2%} from peak is above {params.risk.max_drawdown:.0%}"
            return Finding(
                rule=self.name, kind=FindingKind.HALT_UNTIL_RESET, reason=reason, metrics=metrics
            )
        if drawdown >= Decimal(str(params.risk.drawdown_warning)):
            reason = (
                f"drawdown {drawdown:.2%} from peak (pause above {params.risk.max_drawdown:.0%})"
            )
            return Finding(rule=self.name, kind=FindingKind.WARN, reason=reason, metrics=metrics)
        return None
