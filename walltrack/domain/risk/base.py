"""The shape of a risk rule, and what a rule may conclude.

Why plugins: like freqtrade's protections, each rule is one small file the operator
enables by name (`risk.enabled_rules`); the circuit-breaker actor runs the enabled ones
after every ledger change and turns their findings into halts, resumes and alerts.
Halts stop new entries only; exits always keep running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.records.operations import BreakerAction

if TYPE_CHECKING:
    from walltrack.domain.risk.ledger import RiskLedger


class FindingKind(StrEnum):
    """What a rule concludes, from the mildest to the strictest."""

    ALERT = "alert"  # tell the operator (health), trading unchanged
    WARN = "warn"  # tell the operator a halt is getting close
    REDUCE_SIZE = "reduce_size"  # new positions shrink by `size_multiplier`
    BLOCK = "block"  # no new entries while the condition lasts; lifts by itself
    HALT_UNTIL = "halt_until"  # no new entries until `until`
    HALT_UNTIL_RESET = "halt_until_reset"  # no new entries until the operator resets

    @property
    def halts_entries(self) -> bool:
        """Findings of this kind stop new positions."""
        return self in (FindingKind.BLOCK, FindingKind.HALT_UNTIL, FindingKind.HALT_UNTIL_RESET)


_ACTIONS: dict[FindingKind, BreakerAction | None] = {
    FindingKind.ALERT: BreakerAction.WARN,
    FindingKind.WARN: BreakerAction.WARN,
    FindingKind.REDUCE_SIZE: BreakerAction.REDUCE_SIZE,
    FindingKind.BLOCK: None,  # a skip reason on each signal, not a breaker event
    FindingKind.HALT_UNTIL: BreakerAction.BLOCK_UNTIL_NEXT_DAY,
    FindingKind.HALT_UNTIL_RESET: BreakerAction.PAUSE,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One rule's conclusion with the figures behind it (rates as floats, money as ints)."""

    rule: str
    kind: FindingKind
    reason: str
    metrics: tuple[tuple[str, float | int], ...] = ()
    until: datetime | None = None
    size_multiplier: float = 1.0

    @property
    def breaker_action(self) -> BreakerAction | None:
        """How the circuit_breaker_events table records it (None: not an event)."""
        return _ACTIONS[self.kind]


class RiskRule(Protocol):
    """A risk rule: reads the ledger, concludes at most one finding."""

    @property
    def name(self) -> str:
        """The name the operator enables it by."""
        ...

    def evaluate(self, ledger: RiskLedger, params: RuntimeParams, now: datetime) -> Finding | None:
        """The rule's conclusion now, or None when it has nothing to say."""
        ...
