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
    """Totals what the scorer passed; its totals survive restarts through snapshots."""

    snapshot_kind = "demo_ledger"

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.signals = 0
        self.lamports = 0

    def handle(self, message: Any) -> Any:
        if _maybe_crash(self, message):
            return None
        if isinstance(message, DemoSignal):
            self.signals += 1
            self.lamports += message.lamports
            self.mark_dirty()
        elif message == "totals":
            return {"signals": self.signals, "lamports": self.lamports}
        return None

    def snapshot_state(self) -> dict[str, Any]:
        return {"signals": self.signals, "lamports": self.lamports}

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self.signals = int(state["signals"])
        self.lamports = int(state["lamports"])
