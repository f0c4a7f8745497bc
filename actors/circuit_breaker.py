"""CircuitBreakerActor: the risk rules, the operator's pause, and the halt everyone caches.

Why one owner: entries may stop for a rule (domain/risk plugins), an operator pause or a
live reconciliation mismatch; this actor folds them into one state and publishes
`TradingHalted` / `TradingResumed` only when it changes. Exits are never halted. Every
trip, reset, pause and alert is written to circuit_breaker_events / alerts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from actors.reconciliation import reconcile
from actors.runtime.base import ActorContext, SupervisedActor
from actors.state_codec import decode, encode
from actors.trading_deps import TradingDeps
from actors.trading_protocol import Inspect, ReportHaltState, Tick
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.control import (
    HaltCause,
    PauseTrading,
    ResetCircuitBreaker,
    ResumeTrading,
    TradingHalted,
    TradingResumed,
)
from walltrack.domain.messages.risk import (
    CircuitBreakerLifted,
    CircuitBreakerReset,
    CircuitBreakerTripped,
    PositionSizeAdjusted,
    RiskAlertRaised,
)
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import PositionClosed, PositionOpened
from walltrack.domain.records import AlertSeverity, BreakerAction
from walltrack.domain.records.operations import AlertRecord, CircuitBreakerEventRecord
from walltrack.domain.risk import (
    Finding,
    RiskLedger,
    evaluate,
    new_ledger,
    record_open_positions,
    record_signal,
    record_trade,
    reset,
)


class CircuitBreakerActor(SupervisedActor):
    """Owns the risk ledger; halts new entries only."""

    snapshot_kind = "circuit_breaker"

    def __init__(self, context: ActorContext, deps: TradingDeps, equity: Callable[[], int]) -> None:
        super().__init__(context)
        self.deps = deps
        self.params = deps.current_params()
        self._equity = equity
        self.ledger: RiskLedger | None = None
        self.open_positions: set[str] = set()
        self.paused_by: str | None = None
        self.mismatch: str | None = None
        self.announced_halt: str | None = None

    def started(self) -> None:
        for kind in (SignalScored, PositionOpened, PositionClosed, RuntimeConfigChanged):
            self.context.bus.subscribe(kind, self.name)
        now = self.context.clock.now()
        if self.ledger is None:
            self.ledger = new_ledger(self._equity(), now)
        if self.deps.reconcile_on_start:
            self.mismatch = reconcile(self.deps.execution, self.deps.records)
            if self.mismatch:
                self._event("reconciliation", BreakerAction.PAUSE, self.mismatch)
                self._alert("reconciliation_mismatch", self.mismatch, AlertSeverity.CRITICAL)
        self._announce(force=True)

    def snapshot_state(self) -> dict[str, Any]:
        return {
            "ledger": encode(self.ledger) if self.ledger else None,
            "open_positions": sorted(self.open_positions),
            "paused_by": self.paused_by,
            "mismatch": self.mismatch,
            "announced_halt": self.announced_halt,
        }

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        ledger = state["ledger"]
        self.ledger = decode(RiskLedger, ledger) if ledger else None
        self.open_positions = set(state["open_positions"])
        self.paused_by = state["paused_by"]
        self.mismatch = state["mismatch"]
        self.announced_halt = state["announced_halt"]

    @property
    def risk(self) -> RiskLedger:
        """The ledger (created in `started`)."""
        assert self.ledger is not None
        return self.ledger

    def handle(self, message: Any) -> Any:
        now = self.context.clock.now()
        match message:
            case SignalScored():
                self.ledger = record_signal(self.risk, now)
            case PositionOpened():
                self.open_positions.add(str(message.position_id))
                self.ledger = record_open_positions(self.risk, len(self.open_positions))
            case PositionClosed():
                self.open_positions.discard(str(message.position_id))
                pnl = message.realized_pnl_lamports
                self.ledger = record_trade(
                    self.risk,
                    pnl,
                    now,
                    keep=self.params.risk.win_rate_window,
                    equity_lamports=self.risk.equity_lamports + pnl,
                )
                self.ledger = record_open_positions(self.risk, len(self.open_positions))
            case PauseTrading():
                self.paused_by = message.requested_by
                self._event("operator", BreakerAction.PAUSE, message.reason or "operator pause")
            case ResumeTrading():
                self.paused_by = None
                self._event("operator", BreakerAction.RESUME, f"resumed by {message.requested_by}")
            case ResetCircuitBreaker():
                self._reset(message)
            case RuntimeConfigChanged():
                self.params = message.params
            case Tick():
                pass
            case ReportHaltState():
                self._announce(force=True)
                return None
            case Inspect():
                return {
                    "ledger": self.ledger,
                    "halt": self._halt_reason(),
                    "paused_by": self.paused_by,
                    "mismatch": self.mismatch,
                }
            case _:
                return None
        self._evaluate()
        self.mark_dirty()
        return None

    def _evaluate(self) -> None:
        evaluation = evaluate(self.risk, self.params, self.context.clock.now())
        self.ledger = evaluation.ledger
        stamp = self._stamp()
        for halt in evaluation.tripped:
            self._finding_event(halt.finding)
            self.publish(CircuitBreakerTripped(**stamp, finding=halt.finding))
        for halt in evaluation.lifted:
            self._event(halt.rule, BreakerAction.RESUME, f"lifted: {halt.finding.reason}")
            self.publish(CircuitBreakerLifted(**stamp, finding=halt.finding))
        for finding in evaluation.alerts:
            self._finding_event(finding)
            self._alert(finding.rule, finding.reason, AlertSeverity.WARNING)
            self.publish(RiskAlertRaised(**stamp, finding=finding))
        if evaluation.size_multiplier_changed:
            multiplier = evaluation.ledger.size_multiplier
            self.publish(PositionSizeAdjusted(**stamp, multiplier=multiplier, reason="risk rules"))
        self._announce()

    def _reset(self, command: ResetCircuitBreaker) -> None:
        self.ledger, cleared = reset(self.risk, self.context.clock.now())
        self.mismatch = None
        self._event("operator", BreakerAction.RESET, f"reset by {command.requested_by}")
        self.publish(
            CircuitBreakerReset(
                **self._stamp(),
                requested_by=command.requested_by,
                cleared_rules=tuple(halt.rule for halt in cleared),
            )
        )
        self.publish(PositionSizeAdjusted(**self._stamp(), multiplier=1.0, reason="reset"))

    def _halt_reason(self) -> tuple[HaltCause, str] | None:
        if self.mismatch:
            return HaltCause.RECONCILIATION_MISMATCH, self.mismatch
        if self.paused_by is not None:
            return HaltCause.OPERATOR_PAUSE, f"paused by {self.paused_by}"
        if self.risk.halts:
            halt = self.risk.halts[0]
            return HaltCause.CIRCUIT_BREAKER, f"{halt.rule}: {halt.finding.reason}"
        return None

    def _announce(self, *, force: bool = False) -> None:
        """Publish the halt state when it changed (or always, at start: subscribers sync)."""
        halt = self._halt_reason()
        detail = None if halt is None else f"{halt[0]}: {halt[1]}"
        if detail == self.announced_halt and not force:
            return
        self.announced_halt = detail
        if halt is None:
            self.publish(TradingResumed(**self._stamp(), requested_by=self.name))
        else:
            self.publish(TradingHalted(**self._stamp(), cause=halt[0], detail=halt[1]))
        self.mark_dirty()

    def _stamp(self) -> dict[str, Any]:
        now = self.context.clock.now()
        return {"correlation_id": random_uuid(), "ts_event": now, "ts_init": now}

    def _finding_event(self, finding: Finding) -> None:
        action = finding.breaker_action
        if action is not None:
            self._event(finding.rule, action, finding.reason, dict(finding.metrics))

    def _event(
        self, rule: str, action: BreakerAction, reason: str, metrics: dict[str, Any] | None = None
    ) -> None:
        self.deps.records.record_breaker_event(
            CircuitBreakerEventRecord(
                occurred_at=self.context.clock.now(),
                rule=rule,
                action=action,
                reason=reason,
                metrics=metrics or {},
                triggered_by=self.name,
            )
        )

    def _alert(self, code: str, message: str, severity: AlertSeverity) -> None:
        self.deps.records.raise_alert(
            AlertRecord(
                raised_at=self.context.clock.now(),
                severity=severity,
                source=self.name,
                code=code,
                message=message,
                details={},
            )
        )
