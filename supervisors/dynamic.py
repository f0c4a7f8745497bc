"""A one_for_one supervisor whose children come and go at run time: one per tracked wallet.

Why virtual children: WallTrack may track 100,000 wallets but only a few hundred trade in
any hour. A tracked wallet is a registry slot; its actor is started on the first message to
its name (restoring its snapshot) and passivated (snapshot, stop) after an idle period.

Activations overlap: each is launched at once and attached when the child reports
itself started (`ChildReady`); one that died or missed its start timeout is found when
this supervisor's mailbox runs empty or on the sweep, and restarted like a crash. A
wallet actor's start is two store reads; started one after another, a burst of newly
active wallets queued every activation (and the signal waiting for it) behind the
others' round trips. Messages for a name wait in its slot until it is attached.

Resident names (the watchlist, at most `MAX_RESIDENT`) are activated as soon as they are
tracked and skipped by the idle sweep: a watchlisted wallet's swap is the one that may
trade, and an activation (a thread and two reads) would sit on its decision path. The
flag lives in the registry slot, so a restarted supervisor activates them again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.protocol import (
    Activate,
    ChildReady,
    Passivate,
    PassivationDone,
    Ping,
    ReportReady,
    StartChild,
    SweepIdle,
    TerminateChild,
    TrackNames,
)
from actors.runtime.registry import Slot
from supervisors.core import ChildStartError, SupervisorCore
from supervisors.services import TreeServices
from supervisors.specs import Backoff, ChildSpec, Intensity
from walltrack.domain.tree import ActorKind, ActorState
from walltrack.logging import get_logger

_log = get_logger("dynamic_supervisor")

MAX_STARTING = 64
"""Activations launched but not yet proven ready, at most (bounds the threads starting)."""
MAX_RESIDENT = 1000
"""Names kept active at most (a thread each); beyond it a resident name is virtual."""


@dataclass(frozen=True, slots=True)
class StartChildren:
    """Start many children at once: launched together, then each proven ready."""

    specs: Sequence[ChildSpec]


@dataclass(frozen=True, slots=True, kw_only=True)
class DynamicSpec:
    """A dynamic supervisor: how to make a child for a name, and when to passivate it."""

    template: Callable[[str], ChildSpec]
    intensity: Intensity = field(default_factory=lambda: Intensity(max_restarts=50, window_s=10))
    backoff: Backoff = field(default_factory=Backoff)
    passivate_after_s: float | None = 300.0
    sweep_every_s: float | None = None  # default: a quarter of passivate_after_s


class DynamicSupervisor(SupervisorCore):
    """Starts, activates, passivates and terminates children on request."""

    def __init__(self, context: ActorContext, services: TreeServices, spec: DynamicSpec) -> None:
        super().__init__(context, services, spec.intensity, spec.backoff)
        self._template = spec.template
        self._passivate_after_s = spec.passivate_after_s
        self._virtual: set[str] = set()
        self._resident = 0
        self._starting: dict[str, tuple[ChildSpec, Any, int, Any, float]] = {}
        self._ticker_stop = threading.Event()
        self._sweep_every_s = spec.sweep_every_s or (
            spec.passivate_after_s / 4 if spec.passivate_after_s else None
        )

    def started(self) -> None:
        # Names tracked by an earlier incarnation stay tracked; any live child it left is
        # stopped so the name can be activated cleanly by its next message.
        waiting = []
        for slot in self.services.registry.slots():
            if slot.parent != self.name:
                continue
            if slot.activate is None:
                self._forget(slot.name)  # a started child dies with its supervisor (OTP)
                continue
            self._virtual.add(slot.name)
            slot.activate = self._activator
            if slot.state is not ActorState.INACTIVE:
                self.stop_children([slot.name], final=False)
                if slot.settle(ActorState.INACTIVE):
                    waiting.append(slot.name)
            if slot.resident:
                slot.resident = False  # counted again below
                self._keep_active(slot, resident=True)
        for name in waiting:  # messages arrived while the previous incarnation was down
            self._activate(name)
        if self._sweep_every_s:
            threading.Thread(target=self._tick, name=f"{self.name}-sweeper", daemon=True).start()

    def idle(self) -> None:
        self._confirm_started(only_failed=True)

    def on_stop(self) -> None:
        self._confirm_started(only_failed=False)
        self._ticker_stop.set()
        for timer in list(self._timers):
            timer.cancel()
        # Children are independent: stop them all at once. Virtual ones go back to inactive
        # with what waits for them kept, so a restarted supervisor reactivates them.
        self.stop_children(list(self._specs), final=False, parallel=True)
        for name in self._virtual:
            slot = self.services.registry.find(name)
            if slot is not None and slot.state is ActorState.STOPPED:
                slot.settle(ActorState.INACTIVE)
        self._specs.clear()
        SupervisedActor.on_stop(self)

    def restart_after_crash(self, name: str) -> None:
        self.restart_names([name])

    # ----- requests ---------------------------------------------------------------------------
    def handle_other(self, message: Any) -> Any:
        match message:
            case Activate(name=name):
                self._activate(name)
            case ChildReady(name=name, incarnation=incarnation):
                self._ready(name, incarnation)
            case PassivationDone(name=name, incarnation=incarnation):
                self._passivated(name, incarnation)
            case SweepIdle():
                self._confirm_started(only_failed=True)
                return self._sweep()
            case TrackNames(names=names, resident=resident):
                self._track(names, resident=resident)
            case StartChild(spec=spec):
                self._start_now([spec])
            case StartChildren(specs=specs):
                self._start_now(specs)
            case TerminateChild(name=name):
                self._terminate(name)
            case _:
                return super().handle_other(message)
        return None

    def _activator(self, name: str) -> None:
        self.services.registry.tell(self.name, Activate(name))

    def _track(self, names: Sequence[str], *, resident: bool) -> None:
        registry = self.services.registry
        for name in names:
            slot = registry.add(name, parent=self.name, activate=self._activator)
            slot.activate = self._activator
            self._virtual.add(name)
            self._keep_active(slot, resident=resident)

    def _keep_active(self, slot: Slot, *, resident: bool) -> None:
        """Make `slot` resident (activated now, never swept) or virtual again."""
        if resident == slot.resident:
            return
        if not resident:
            slot.resident = False
            self._resident -= 1
            return
        if self._resident >= MAX_RESIDENT:
            _log.warning("resident_limit_reached", child=slot.name, limit=MAX_RESIDENT)
            return
        slot.resident = True
        self._resident += 1
        if slot.state is ActorState.INACTIVE:
            self.services.registry.tell(slot.name, Ping())  # activated like a first message

    def _start_now(self, specs: Sequence[ChildSpec]) -> None:
        launched = []
        for spec in specs:
            self.services.registry.add(spec.name, parent=self.name, kind=spec.kind)
            self._specs[spec.name] = spec
            launched.append((spec, *self.launch(spec)))
        for spec, ref, incarnation, ready in launched:
            self.confirm(spec, ref, incarnation, ready, time.monotonic() + spec.start_timeout_s)

    def _activate(self, name: str) -> None:
        slot = self.services.registry.find(name)
        if slot is None or slot.state is not ActorState.ACTIVATING or name in self._starting:
            return
        spec = self._template(name)
        self._specs[name] = spec
        ref, incarnation, ready = self.launch(spec)
        ref.tell(ReportReady())  # after the Ping: answered once the child has started
        deadline = time.monotonic() + spec.start_timeout_s
        self._starting[name] = (spec, ref, incarnation, ready, deadline)
        if len(self._starting) >= MAX_STARTING:
            self._confirm_started(only_failed=False)

    def _ready(self, name: str, incarnation: int) -> None:
        entry = self._starting.get(name)
        if entry is not None and entry[2] == incarnation:
            del self._starting[name]
            self._confirm_each([entry])

    def _confirm_started(self, *, only_failed: bool) -> None:
        """Settle the activations under way: all of them (waiting), or only those whose
        child died or missed its start timeout (`only_failed`)."""
        now = time.monotonic()
        settle = [
            name
            for name, (_spec, ref, _incarnation, _ready, deadline) in self._starting.items()
            if not only_failed or not ref.is_alive() or now >= deadline
        ]
        self._confirm_each([self._starting.pop(name) for name in settle])

    def _confirm_each(self, entries: Sequence[tuple[ChildSpec, Any, int, Any, float]]) -> None:
        for spec, ref, incarnation, ready, deadline in entries:
            try:
                self.confirm(spec, ref, incarnation, ready, deadline)
            except ChildStartError as error:
                slot = self.services.registry.get(spec.name)
                _log.error("activation_failed", child=spec.name, error=str(error))
                self._count_restart_or_give_up(spec.name, str(error))
                self._schedule_restart(spec.name, slot.incarnation)

    def _passivated(self, name: str, incarnation: int) -> None:
        slot = self.services.registry.find(name)
        if slot is None or slot.incarnation != incarnation:
            return
        self._specs.pop(name, None)
        if slot.settle(ActorState.INACTIVE):
            self._activate(name)  # messages arrived while it was saving its state
        elif slot.resident:
            self.services.registry.tell(name, Ping())  # made resident while it passivated

    def _sweep(self) -> int:
        """Passivate every virtual child idle for longer than the delay; returns how many."""
        if self._passivate_after_s is None:
            return 0
        horizon = time.monotonic() - self._passivate_after_s
        count = 0
        for name in list(self._specs):
            slot = self.services.registry.find(name)
            if (
                name not in self._virtual
                or slot is None
                or slot.resident
                or slot.state is not ActorState.RUNNING
                or slot.last_active > horizon
            ):
                continue
            ref = slot.hold(ActorState.PASSIVATING)
            if ref is not None:
                ref.tell(Passivate())
                count += 1
        return count

    def _terminate(self, name: str) -> None:
        slot = self.services.registry.find(name)
        if slot is not None:
            self._keep_active(slot, resident=False)
        self.stop_children([name], final=True)
        self._virtual.discard(name)
        self._forget(name)

    def _on_child_exited(self, name: str, incarnation: int) -> None:
        if name in self._virtual:
            self._passivated(name, incarnation)  # a virtual child that stops is just idle
            return
        super()._on_child_exited(name, incarnation)

    def _tick(self) -> None:
        interval = self._sweep_every_s or 1.0
        while not self._ticker_stop.wait(interval):
            if not self.actor_ref.is_alive():
                return
            self.actor_ref.tell(SweepIdle())


def dynamic_child(
    name: str,
    services: TreeServices,
    spec: DynamicSpec,
    *,
    shutdown_timeout_s: float = 60.0,
) -> ChildSpec:
    """A child spec whose child is a dynamic supervisor."""
    return ChildSpec(
        name=name,
        start=lambda context: DynamicSupervisor.start(context, services, spec),
        kind=ActorKind.SUPERVISOR,
        start_timeout_s=60.0,
        shutdown_timeout_s=shutdown_timeout_s,
    )
