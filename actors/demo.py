"""Built-in demo actors: a small flow that shows supervision at work.

Why: `walltrack demo` must show the tree, its restarts, passivation and quarantine without
any store or venue; these actors carry toy data but real runtime behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from actors.runtime.base import SupervisedActor
from walltrack.domain.messages.control import (
    HaltCause,
    PauseTrading,
    ResetCircuitBreaker,
    ResumeTrading,
    TradingHalted,
    TradingResumed,
)

LEDGER = "demo_ledger"
SCORER = "demo_scorer"


@dataclass(frozen=True, slots=True)
class DemoSwap:
    """A toy swap of `lamports` seen on a demo wallet."""

    wallet: str
    lamports: int


@dataclass(frozen=True, slots=True)
class DemoSignal:
    """A toy signal, scored in basis points."""

    wallet: str
    lamports: int
    score_bps: int


@dataclass(frozen=True, slots=True)
class InjectFault:
    """Crash the receiver once (the fault is journaled, so its redelivery passes)."""

    msg_id: UUID

    @classmethod
    def new(cls) -> InjectFault:
        return cls(uuid4())


def _maybe_crash(actor: SupervisedActor, message: Any) -> bool:
    if not isinstance(message, InjectFault):
        return False

    def crash() -> None:
        msg = f"injected fault in {actor.name}"
        raise RuntimeError(msg)

    actor.perform_once(f"fault-{message.msg_id}", crash)
    return True


class DemoWallet(SupervisedActor):
    """One per demo wallet (virtual): counts its swaps and emits a signal for each."""

    snapshot_kind = "demo_wallet"

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.swaps = 0
        self.volume_lamports = 0

    def handle(self, message: Any) -> Any:
        if _maybe_crash(self, message):
            return None
        if isinstance(message, DemoSwap):
            self.swaps += 1
            self.volume_lamports += message.lamports
            self.mark_dirty()
            score = min(10_000, 5_000 + self.swaps * 100)
            self.tell(SCORER, DemoSignal(self.name, message.lamports, score))
        return None

    def snapshot_state(self) -> dict[str, Any]:
        return {"swaps": self.swaps, "volume_lamports": self.volume_lamports}

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self.swaps = int(state["swaps"])
        self.volume_lamports = int(state["volume_lamports"])


class DemoScorer(SupervisedActor):
    """Passes signals at or above 70 % to the ledger."""

    snapshot_kind = "demo_scorer"

    def handle(self, message: Any) -> Any:
        if _maybe_crash(self, message):
            return None
        if isinstance(message, DemoSignal) and message.score_bps >= 7_000:
            self.tell(LEDGER, message)
        return None


class DemoLedger(SupervisedActor):
    """Totals what the scorer passed; owns pause/resume. Its state survives restarts."""

    snapshot_kind = "demo_ledger"

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.signals = 0
        self.lamports = 0
        self.skipped_paused = 0
        self.paused = False

    def handle(self, message: Any) -> Any:
        if _maybe_crash(self, message):
            return None
        match message:
            case DemoSignal() if self.paused:
                self.skipped_paused += 1
            case DemoSignal():
                self.signals += 1
                self.lamports += message.lamports
            case PauseTrading() | ResumeTrading():
                self.paused = isinstance(message, PauseTrading)
                self._announce(message)
            case ResetCircuitBreaker():
                self.skipped_paused = 0
            case "totals":
                return {
                    "signals": self.signals,
                    "lamports": self.lamports,
                    "skipped_paused": self.skipped_paused,
                    "paused": self.paused,
                }
            case _:
                return None
        self.mark_dirty()
        return None

    def _announce(self, command: PauseTrading | ResumeTrading) -> None:
        now = self.context.clock.now()
        if isinstance(command, PauseTrading):
            self.publish(
                TradingHalted(
                    correlation_id=command.correlation_id,
                    ts_event=now,
                    ts_init=now,
                    cause=HaltCause.OPERATOR_PAUSE,
                    detail=command.reason or f"paused by {command.requested_by}",
                )
            )
        else:
            self.publish(
                TradingResumed(
                    correlation_id=command.correlation_id,
                    ts_event=now,
                    ts_init=now,
                    requested_by=command.requested_by,
                )
            )

    def snapshot_state(self) -> dict[str, Any]:
        return {
            "signals": self.signals,
            "lamports": self.lamports,
            "skipped_paused": self.skipped_paused,
            "paused": self.paused,
        }

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self.signals = int(state["signals"])
        self.lamports = int(state["lamports"])
        self.skipped_paused = int(state.get("skipped_paused", 0))
        self.paused = bool(state.get("paused", False))
