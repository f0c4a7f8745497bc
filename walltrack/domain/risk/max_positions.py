"""Max concurrent positions: at the cap, further signals are skipped with this reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.risk.base import Finding, FindingKind
from walltrack.domain.risk.ledger import RiskLedger


@dataclass(frozen=True, slots=True)
class MaxPositionsRule:
    """Blocks entries while `sizing.max_concurrent_positions` are open; lifts by itself."""

    name: str = "max_positions"

    def evaluate(self, ledger: RiskLedger, params: RuntimeParams, now: datetime) -> Finding | None:
        """Block at the cap."""
        cap = params.sizing.max_concurrent_positions
        if ledger.open_positions < cap:
            return None
        return Finding(
            rule=self.name,
            kind=FindingKind.BLOCK,
            reason=f"{ledger.open_positions} positions open (max {cap})",
            metrics=(("open_positions", ledger.open_positions),),
        )
