"""The top of the tree: starts the root supervisor, routes operator control, ends the process.

Why a monitor actor above the root: when the root itself gives up, someone must still be
alive to publish `TradingHalted` (fail closed) and make the process exit non-zero.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pykka

from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.protocol import ChildCrashed, ChildExited, Ping
from actors.runtime.registry import Registry
from supervisors import interpreter_policy
from supervisors.introspection import tree_snapshot
from supervisors.services import TreeServices
from supervisors.supervisor import Supervisor, SupervisorSpec
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.base import Command
from walltrack.domain.messages.control import HaltCause, Shutdown, TradingHalted
from walltrack.domain.tree import ActorKind, ActorState, TreeSnapshot
from walltrack.logging import get_logger

_log = get_logger("runtime")

ROOT = "root"
MONITOR = "$runtime"
EXIT_OK = 0
EXIT_GAVE_UP = 1


class RootSupervisor(Supervisor):
    """The root: a static supervisor that also routes operator commands to their owners."""

    def __init__(
        self,
        context: ActorContext,
        services: TreeServices,
        spec: SupervisorSpec,
        routes: Mapping[type[Command], str],
    ) -> None:
        super().__init__(context, services, spec)
        self._routes = dict(routes)

    def handle_other(self, message: Any) -> Any:
        if isinstance(message, Shutdown):
            self.tell(MONITOR, message)
            return None
        owner = self._routes.get(type(message))
        if owner is not None:
            self.tell(owner, message)
        elif isinstance(message, Command):
            # An operator command nobody owns must never crash the root (and halt trading).
            _log.warning("control_command_unrouted", command=type(message).__name__)
        else:
            return super().handle_other(message)
        return None


class RuntimeMonitor(SupervisedActor):
    """Watches the root; turns its failure into a halt and a non-zero exit."""

    def __init__(self, context: ActorContext, runtime: TreeRuntime) -> None:
        super().__init__(context)
        self._runtime = runtime

    def handle(self, message: Any) -> Any:
        match message:
            case ChildCrashed(error=error):
                self._runtime.root_failed(error)
            case ChildExited() | Shutdown():
                self._runtime.stop_root(message)
            case _:
                _log.warning("monitor_ignored", message_type=type(message).__name__)
        return None


class TreeRuntime:
    """Owns one supervisor tree from start to exit code."""

    def __init__(
        self,
        services: TreeServices,
        root: SupervisorSpec,
        routes: Mapping[type[Command], str] | None = None,
        root_start_timeout_s: float = 120.0,
    ) -> None:
        self.services = services
        self._root_spec = root
        self._routes = dict(routes or {})
        self._start_timeout_s = root_start_timeout_s
        self._done = threading.Event()
        self._exit_code = EXIT_OK
        self._stop_lock = threading.Lock()
        self._policy_held = False

    @property
    def registry(self) -> Registry:
        """The tree's name registry."""
        return self.services.registry

    def start(self) -> None:
        """Start the monitor and the root, returning once every child proved ready."""
        registry = self.services.registry
        registry.add(MONITOR, parent=None, kind=ActorKind.SUPERVISOR)
        monitor = RuntimeMonitor.start(self.services.context_for(MONITOR, MONITOR, 1), self)
        monitor.ask(Ping(), timeout=10)
        registry.get(MONITOR).attach(monitor, 1)
        registry.add(ROOT, parent=MONITOR, kind=ActorKind.SUPERVISOR)
        context = self.services.context_for(ROOT, MONITOR, 1)
        ref = RootSupervisor.start(context, self.services, self._root_spec, self._routes)
        try:
            ref.ask(Ping(), timeout=self._start_timeout_s)
        except Exception:
            monitor.stop()
            raise
        registry.get(ROOT).attach(ref, 1)
        _log.info("tree_started", actors=len(registry))
        interpreter_policy.install()  # after the start: the tree's own objects are frozen too
        self._policy_held = True

    def control(self, command: Command) -> None:
        """Send an operator command (pause, resume, reset, shutdown) through the root."""
        self.services.registry.tell(ROOT, command)

    def tree(self) -> TreeSnapshot:
        """The tree as it is now."""
        return tree_snapshot(self.services.registry, self.services.quarantine, ROOT)

    def shutdown(self, timeout: float = 60.0) -> int:
        """Stop the tree in reverse start order and return the exit code."""
        self.stop_root(None)
        self._done.wait(timeout)
        return self._exit_code

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until the tree ended; its exit code, or None on timeout."""
        if not self._done.wait(timeout):
            return None
        return self._exit_code

    # ----- called from the monitor's thread ------------------------------------------------
    def root_failed(self, error: BaseException) -> None:
        """The root gave up: halt trading (fail closed) and end with a non-zero code."""
        _log.critical("root_supervisor_gave_up", error=f"{type(error).__name__}: {error}")
        now = self.services.clock.now()
        self.services.bus.publish(
            TradingHalted(
                correlation_id=random_uuid(),
                ts_event=now,
                ts_init=now,
                cause=HaltCause.SUPERVISION_GAVE_UP,
                detail=f"{type(error).__name__}: {error}",
            )
        )
        self._exit_code = EXIT_GAVE_UP
        self._finish()

    def stop_root(self, reason: object) -> None:
        """Stop the root (and so the whole tree, children in reverse order)."""
        with self._stop_lock:
            if self._done.is_set():
                return
            slot = self.services.registry.find(ROOT)
            ref = slot.hold(ActorState.STOPPING) if slot is not None else None
            if ref is not None and ref.is_alive():
                try:
                    ref.stop(timeout=self._start_timeout_s)
                except pykka.Timeout:
                    _log.error("tree_stop_timed_out", timeout_s=self._start_timeout_s)
            _log.info("tree_stopped", reason=type(reason).__name__ if reason else "shutdown")
            self._finish()

    def _finish(self) -> None:
        self._done.set()
        if self._policy_held:
            self._policy_held = False
            interpreter_policy.release()
        monitor = self.services.registry.find(MONITOR)
        ref = monitor.hold(ActorState.STOPPED) if monitor is not None else None
        if ref is not None and ref.is_alive():
            ref.stop(block=False)
