"""What every supervisor does, whatever its strategy: start, watch, restart, stop.

Why a supervisor is itself an actor: its decisions are serialised through its mailbox, so a
crash report, a backoff timer and a stop request can never race each other. It asks its
children only to prove them ready (with a timeout): supervisors are edges of the tree.
"""

from __future__ import annotations

import threading
import time
from abc import abstractmethod
from collections.abc import Iterable
from typing import Any

import pykka
from pykka._envelope import Envelope

from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.protocol import ChildCrashed, ChildExited, Ping, RestartChild
from supervisors.policy import PoisonTracker, RestartHistory
from supervisors.services import TreeServices
from supervisors.specs import Backoff, ChildSpec, Intensity, Restart
from walltrack.domain.tree import ActorState
from walltrack.logging import get_logger

_log = get_logger("supervisor")


class ChildStartError(RuntimeError):
    """A child did not become ready (its start raised, or it did not answer in time)."""


class SupervisorGaveUpError(RuntimeError):
    """Restarts exceeded the intensity: the supervisor stops and escalates to its parent."""


class SupervisorCore(SupervisedActor):
    """Shared mechanics; subclasses decide which children restart after a crash."""

    def __init__(
        self,
        context: ActorContext,
        services: TreeServices,
        intensity: Intensity,
        backoff: Backoff,
    ) -> None:
        super().__init__(context)
        self.services = services
        self.intensity = intensity
        self._specs: dict[str, ChildSpec] = {}
        self._history = RestartHistory(intensity, backoff, services.rng())
        self._poison = PoisonTracker(services.poison_threshold)
        self._timers: set[threading.Timer] = set()

    # ----- subclass hooks -----------------------------------------------------------------
    @abstractmethod
    def restart_after_crash(self, name: str) -> None:
        """Restart what the strategy says after `name` crashed."""

    def handle_other(self, message: Any) -> Any:
        """Messages other than the supervision protocol."""
        msg = f"{self.name} does not handle {type(message).__name__}"
        raise TypeError(msg)

    # ----- dispatch ---------------------------------------------------------------------
    def handle(self, message: Any) -> Any:
        match message:
            case ChildCrashed():
                self._on_child_crashed(message)
            case ChildExited(name=name, incarnation=incarnation):
                self._on_child_exited(name, incarnation)
            case RestartChild(name=name, incarnation=incarnation):
                self._on_restart_due(name, incarnation)
            case _:
                return self.handle_other(message)
        return None

    def on_stop(self) -> None:
        for timer in list(self._timers):
            timer.cancel()
        # Not final: this supervisor may be restarted by its parent, and whatever waits for
        # its children must reach their next incarnation. Only removing a name drops it.
        self.stop_children(list(self._specs), final=False)
        super().on_stop()

    # ----- starting -------------------------------------------------------------------------
    def launch(self, spec: ChildSpec) -> tuple[pykka.ActorRef[Any], int, pykka.Future[Any]]:
        """Start one incarnation of `spec` and send it the readiness probe."""
        slot = self.services.registry.get(spec.name)
        incarnation = slot.incarnation + 1
        context = self.services.context_for(spec.name, self.name, incarnation)
        ref = spec.start(context)
        return ref, incarnation, ref.ask(Ping(), block=False)

    def confirm(
        self,
        spec: ChildSpec,
        ref: pykka.ActorRef[Any],
        incarnation: int,
        ready: pykka.Future[Any],
        deadline: float,
    ) -> None:
        """Wait for the readiness probe, then make `ref` the live incarnation of the name."""
        slot = self.services.registry.get(spec.name)
        try:
            ready.get(timeout=max(0.0, deadline - time.monotonic()))
        except (pykka.ActorDeadError, pykka.Timeout) as error:
            if ref.is_alive():
                ref.stop(block=False)
            slot.last_error = f"start failed: {type(error).__name__}: {error}"
            raise ChildStartError(f"{spec.name}: {slot.last_error}") from error
        slot.attach(ref, incarnation)

    def start_child(self, spec: ChildSpec) -> None:
        """Start one child and prove it ready before returning."""
        ref, incarnation, ready = self.launch(spec)
        self.confirm(spec, ref, incarnation, ready, time.monotonic() + spec.start_timeout_s)

    # ----- stopping -------------------------------------------------------------------------
    def stop_children(self, names: Iterable[str], *, final: bool, parallel: bool = False) -> None:
        """Stop children in reverse order of `names`, each within its shutdown timeout.

        `parallel` stops them all at once (safe when they do not depend on each other).
        `final` drops what still waits for them: they will not come back.
        """
        ordered = list(reversed(list(names)))
        if parallel:
            pending = [(name, self._request_stop(name)) for name in ordered]
            for name, future in pending:
                self._await_stop(name, future, final=final)
            return
        for name in ordered:
            self._await_stop(name, self._request_stop(name), final=final)

    def _request_stop(self, name: str) -> pykka.Future[Any] | None:
        slot = self.services.registry.find(name)
        if slot is None:
            return None
        ref = slot.hold(ActorState.STOPPING)
        if ref is None:
            return None
        try:
            return ref.stop(block=False)
        except pykka.ActorDeadError:
            return None

    def _await_stop(self, name: str, future: pykka.Future[Any] | None, *, final: bool) -> None:
        spec = self._specs.get(name)
        timeout = spec.shutdown_timeout_s if spec is not None else 5.0
        if future is not None:
            try:
                future.get(timeout=timeout)
            except pykka.Timeout:
                _log.error("child_stop_timed_out", supervisor=self.name, child=name)
            except pykka.ActorDeadError:
                pass
        slot = self.services.registry.find(name)
        if slot is None:
            return
        slot.settle(ActorState.STOPPED)
        if final:
            dropped = slot.drop_buffer()
            if dropped:
                _log.warning("messages_dropped_at_stop", child=name, count=dropped)

    # ----- crashes and exits ----------------------------------------------------------------
    def _on_child_crashed(self, report: ChildCrashed) -> None:
        slot = self.services.registry.find(report.name)
        spec = self._specs.get(report.name)
        if slot is None or spec is None or slot.incarnation != report.incarnation:
            return  # a report from an incarnation that is already gone
        error = f"{type(report.error).__name__}: {report.error}"
        if report.message is not None:
            self._poison_check(report.name, report.message, error)
        if spec.restart is Restart.TEMPORARY:
            self._forget(report.name)
            return
        self._count_restart_or_give_up(report.name, error)
        self._schedule_restart(report.name, report.incarnation)

    def _poison_check(self, name: str, envelope: Envelope[Any], error: str) -> None:
        crashes = self._poison.crashed(name, envelope.message)
        if not self._poison.is_poison(crashes):
            return  # it waits at the head of the slot for the next incarnation
        slot = self.services.registry.get(name)
        if slot.discard(envelope):
            self._poison.release(name, envelope.message)
            self.services.quarantine.add(name, envelope.message, crashes, error)

    def _on_child_exited(self, name: str, incarnation: int) -> None:
        slot = self.services.registry.find(name)
        spec = self._specs.get(name)
        if slot is None or spec is None or slot.incarnation != incarnation:
            return
        if spec.restart is Restart.PERMANENT:
            self._count_restart_or_give_up(name, "exited")
            self._schedule_restart(name, incarnation)
        else:
            self._forget(name)

    def _count_restart_or_give_up(self, name: str, error: str) -> None:
        if self._history.record(name, self.context.clock.monotonic()):
            return
        _log.error(
            "supervisor_gave_up",
            supervisor=self.name,
            child=name,
            error=error,
            max_restarts=self.intensity.max_restarts,
            window_s=self.intensity.window_s,
        )
        self.stop_children(list(self._specs), final=False)
        msg = (
            f"{self.name}: more than {self.intensity.max_restarts} restarts in "
            f"{self.intensity.window_s} s (last: {name}: {error})"
        )
        raise SupervisorGaveUpError(msg)

    def _schedule_restart(self, name: str, incarnation: int) -> None:
        delay = self._history.delay_for(name)
        if delay <= 0:
            self._on_restart_due(name, incarnation)
            return
        timer = threading.Timer(delay, self._fire, args=(name, incarnation))
        timer.daemon = True
        # Pruned here, in the actor's thread: the timer threads never touch actor state.
        self._timers = {pending for pending in self._timers if pending.is_alive()}
        self._timers.add(timer)
        timer.start()

    def _fire(self, name: str, incarnation: int) -> None:
        if self.actor_ref.is_alive():
            self.actor_ref.tell(RestartChild(name, incarnation))

    def _on_restart_due(self, name: str, incarnation: int) -> None:
        slot = self.services.registry.find(name)
        if slot is None or slot.incarnation != incarnation or name not in self._specs:
            return
        try:
            self.restart_after_crash(name)
        except ChildStartError as error:
            _log.error("child_restart_failed", supervisor=self.name, child=name, error=str(error))
            self._count_restart_or_give_up(name, str(error))
            self._schedule_restart(name, slot.incarnation)

    def restart_names(self, names: list[str]) -> None:
        """Start `names` again, in order; each is counted as one restart of its slot."""
        for name in names:
            slot = self.services.registry.get(name)
            slot.restarts += 1
            self.start_child(self._specs[name])
            _log.info(
                "child_restarted", supervisor=self.name, child=name, incarnation=slot.incarnation
            )

    def _forget(self, name: str) -> None:
        self._specs.pop(name, None)
        self._history.forget(name)
        slot = self.services.registry.remove(name)
        if slot is not None:
            dropped = slot.drop_buffer()
            if dropped:
                _log.warning("messages_dropped_child_removed", child=name, count=dropped)
