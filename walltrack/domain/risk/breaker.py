"""The circuit breaker's decisions: run the enabled rules, trip, lift, alert, reset.

Why separate from the rules: each rule only says what it sees; this module owns the
memory — a halt trips once (one event, not one per evaluation), a halt until a time lifts
at that time, a blocking condition lifts when it clears, a halt until reset waits for the
operator, and a warning is raised once until its condition clears.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.risk.base import Finding, FindingKind, RiskRule
from walltrack.domain.risk.ledger import Halt, RiskLedger
from walltrack.domain.risk.registry import RULES, enabled_rules


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakerEvaluation:
    """The ledger after evaluation and what changed: the actor publishes each of these."""

    ledger: RiskLedger
    tripped: tuple[Halt, ...]  # new halts: CircuitBreakerTripped / TradingHalted
    lifted: tuple[Halt, ...]  # halts that ended by themselves: TradingResumed when none left
    alerts: tuple[Finding, ...]  # new warnings and health alerts
    size_multiplier_changed: bool

    @property
    def entries_allowed(self) -> bool:
        """No halt is in force after this evaluation."""
        return not self.ledger.halts

    @property
    def block_reason(self) -> str | None:
        """Why entries are halted (the first halt's reason), for skipped signals."""
        halts = self.ledger.halts
        return f"{halts[0].rule}: {halts[0].finding.reason}" if halts else None


def _still_holds(halt: Halt, finding: Finding | None, now: datetime) -> bool:
    kind = halt.finding.kind
    if kind is FindingKind.HALT_UNTIL_RESET:
        return True
    if kind is FindingKind.HALT_UNTIL:
        return halt.finding.until is not None and now < halt.finding.until
    return finding is not None and finding.kind is FindingKind.BLOCK


def evaluate(
    ledger: RiskLedger,
    params: RuntimeParams,
    now: datetime,
    registry: Mapping[str, RiskRule] = RULES,
) -> BreakerEvaluation:
    """Run the enabled rules against `ledger` at `now`."""
    findings: dict[str, Finding] = {}
    for rule in enabled_rules(params.risk, registry):
        finding = rule.evaluate(ledger, params, now)
        if finding is not None:
            findings[rule.name] = finding
    kept: list[Halt] = []
    lifted: list[Halt] = []
    for halt in ledger.halts:
        (kept if _still_holds(halt, findings.get(halt.rule), now) else lifted).append(halt)
    held = {halt.rule for halt in kept}
    tripped = tuple(
        Halt(finding=finding, since=now)
        for name, finding in findings.items()
        if finding.kind.halts_entries and name not in held
    )
    warning_kinds = (FindingKind.WARN, FindingKind.ALERT)
    warnings = {name: f for name, f in findings.items() if f.kind in warning_kinds}
    alerts = tuple(f for name, f in warnings.items() if name not in ledger.alerts)
    multiplier = 1.0
    for finding in findings.values():
        if finding.kind is FindingKind.REDUCE_SIZE:
            multiplier *= finding.size_multiplier
    new_ledger = replace(
        ledger,
        halts=(*kept, *tripped),
        alerts=frozenset(warnings),
        size_multiplier=multiplier,
    )
    return BreakerEvaluation(
        ledger=new_ledger,
        tripped=tripped,
        lifted=tuple(lifted),
        alerts=alerts,
        size_multiplier_changed=multiplier != ledger.size_multiplier,
    )


def reset(ledger: RiskLedger, now: datetime) -> tuple[RiskLedger, tuple[Halt, ...]]:
    """The operator's reset: every halt cleared and the counters start afresh at the
    current equity (peak, day start, loss streak, win-rate window), or the same figures
    would trip the breaker again at once. Returns the cleared halts."""
    fresh = replace(
        ledger,
        peak_equity_lamports=ledger.equity_lamports,
        day_start_equity_lamports=ledger.equity_lamports,
        recent_trades=(),
        consecutive_losses=0,
        halts=(),
        alerts=frozenset(),
        size_multiplier=1.0,
        last_signal_at=ledger.last_signal_at or now,
    )
    return fresh, ledger.halts
