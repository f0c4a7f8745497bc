"""Win-rate floor: under 40 % over the last 50 trades (once 20 exist) pauses entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.risk.base import Finding, FindingKind
from walltrack.domain.risk.ledger import RiskLedger


@dataclass(frozen=True, slots=True)
class WinRateRule:
    """Stop when the copied wallets stopped winning."""

    name: str = "win_rate"

    def evaluate(self, ledger: RiskLedger, params: RuntimeParams, now: datetime) -> Finding | None:
        """Pause below `min_win_rate` over `win_rate_window` trades, from `win_rate_min_trades`."""
        risk = params.risk
        window = ledger.recent_trades[-risk.win_rate_window :]
        if len(window) < risk.win_rate_min_trades:
            return None
        wins = sum(1 for trade in window if trade.won)
        rate = wins / len(window)
        if rate >= risk.min_win_rate:
            return None
        return Finding(
            rule=self.name,
            kind=FindingKind.HALT_UNTIL_RESET,
            reason=f"win rate {rate:.0%} over the last {len(window)} trades is below "
            f"{risk.min_win_rate:.0%}",
            metrics=(("win_rate", rate), ("trades", len(window))),
        )
