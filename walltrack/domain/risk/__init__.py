"""Risk rules as plugins and the circuit breaker's pure decisions (entries only)."""

from walltrack.domain.risk.base import Finding, FindingKind, RiskRule
from walltrack.domain.risk.breaker import BreakerEvaluation, evaluate, reset
from walltrack.domain.risk.ledger import (
    Halt,
    RiskLedger,
    TradeOutcome,
    new_ledger,
    record_equity,
    record_open_positions,
    record_signal,
    record_trade,
)
from walltrack.domain.risk.registry import RULES, enabled_rules

__all__ = [
    "RULES",
    "BreakerEvaluation",
    "Finding",
    "FindingKind",
    "Halt",
    "RiskLedger",
    "RiskRule",
    "TradeOutcome",
    "enabled_rules",
    "evaluate",
    "new_ledger",
    "record_equity",
    "record_open_positions",
    "record_signal",
    "record_trade",
    "reset",
]
