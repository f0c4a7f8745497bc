"""No signals for 48 h: a health alert (webhooks broken, wallets gone quiet?)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.risk.base import Finding, FindingKind
from walltrack.domain.risk.ledger import RiskLedger


@dataclass(frozen=True, slots=True)
class SignalSilenceRule:
    """Alert when nothing was heard for `no_signal_alert_hours`; trading is unchanged."""

    name: str = "signal_silence"

    def evaluate(self, ledger: RiskLedger, params: RuntimeParams, now: datetime) -> Finding | None:
        """Alert after the silence, counted from the last signal or from the start."""
        last = ledger.last_signal_at or ledger.started_at
        silence = now - last
        if silence < timedelta(hours=params.risk.no_signal_alert_hours):
            return None
        hours = silence.total_seconds() / 3600
        limit = params.risk.no_signal_alert_hours
        return Finding(
            rule=self.name,
            kind=FindingKind.ALERT,
            reason=f"no signal for {hours:.1f} h (alert after {limit:g} h)",
            metrics=(("silence_hours", hours),),
        )
