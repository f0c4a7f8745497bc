"""Operator control messages routed by the root supervisor, and trading-halt events.

Why: the dashboard, the HTTP control API and the CLI act on the tree only through these
commands; the events tell every interested actor that entries are halted or allowed again.
"""

from __future__ import annotations

from enum import StrEnum

from walltrack.domain.messages.base import MESSAGE, Command, Event


class HaltCause(StrEnum):
    """Why new entries stopped."""

    OPERATOR_PAUSE = "operator_pause"
    CIRCUIT_BREAKER = "circuit_breaker"
    SUPERVISION_GAVE_UP = "supervision_gave_up"
    RECONCILIATION_MISMATCH = "reconciliation_mismatch"
    SHUTDOWN = "shutdown"


@MESSAGE
class PauseTrading(Command):
    """Stop opening positions; exits keep running."""

    requested_by: str
    reason: str = ""


@MESSAGE
class ResumeTrading(Command):
    """Allow new entries again after an operator pause."""

    requested_by: str


@MESSAGE
class ResetCircuitBreaker(Command):
    """Clear a tripped circuit breaker; only the operator may do this."""

    requested_by: str


@MESSAGE
class Shutdown(Command):
    """Stop the whole tree in reverse start order."""

    requested_by: str
    reason: str = ""


@MESSAGE
class TradingHalted(Event):
    """New entries are halted (fail closed)."""

    cause: HaltCause
    detail: str


@MESSAGE
class TradingResumed(Event):
    """New entries are allowed again."""

    requested_by: str
