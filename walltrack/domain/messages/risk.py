"""Circuit-breaker events: halts of new entries, resets, size reductions, alerts.

Exits never stop: these events concern new positions only. `TradingHalted` and
`TradingResumed` (messages.control) go out alongside them for every actor that only cares
whether entries are allowed.
"""

from __future__ import annotations

from walltrack.domain.messages.base import MESSAGE, Event
from walltrack.domain.risk.base import Finding


@MESSAGE
class CircuitBreakerTripped(Event):
    """A risk rule halted new entries (until a time, a reset, or its condition clears)."""

    finding: Finding


@MESSAGE
class CircuitBreakerLifted(Event):
    """A halt ended by itself (next UTC day, a position closed)."""

    finding: Finding


@MESSAGE
class CircuitBreakerReset(Event):
    """The operator reset the breaker: every halt cleared, counters re-based."""

    requested_by: str
    cleared_rules: tuple[str, ...]


@MESSAGE
class PositionSizeAdjusted(Event):
    """New positions are sized x`multiplier` (1.0 when the reduction ends)."""

    multiplier: float
    reason: str


@MESSAGE
class RiskAlertRaised(Event):
    """A warning or health alert for the operator; trading is unchanged."""

    finding: Finding
