"""Daily loss: losing more than 5 % of the day's starting capital blocks entries until the
next UTC day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.risk.base import Finding, FindingKind
from walltrack.domain.risk.ledger import RiskLedger


def next_utc_midnight(now: datetime) -> datetime:
    """The start of the UTC day after `now`."""
    day = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DailyLossRule:
    """A bad day ends trading for the day, not for good."""

    name: str = "daily_loss"

    def evaluate(self, ledger: RiskLedger, params: RuntimeParams, now: datetime) -> Finding | None:
        """Block until the next UTC midnight when today's loss exceeds `daily_loss_limit`."""
        start = ledger.day_start_equity_lamports
        if start <= 0 or ledger.day != now.astimezone(UTC).date():
            return None  # a new day has begun and nothing was lost in it yet
        loss = start - ledger.equity_lamports
        if loss <= 0:
            return None
        share = Decimal(loss) / Decimal(start)
        if share <= Decimal(str(params.risk.daily_loss_limit)):
            return None
        return Finding(
            rule=self.name,
            kind=FindingKind.HALT_UNTIL,
            reason=f"lost {share:.2%} of the day's starting capital "
            f"(limit {params.risk.daily_loss_limit:.0%})",
            metrics=(("daily_loss", float(share)), ("day_start_lamports", start)),
            until=next_utc_midnight(now),
        )
