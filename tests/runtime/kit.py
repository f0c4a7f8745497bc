"""Test actors and a runtime builder for the supervision tests.

Synchronisation is by asks and events only: an ask to a restarting name waits in the
registry until the next incarnation is ready, so a reply proves the restart happened.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.bus import EventBus
from actors.runtime.registry import Registry
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec, Intensity, Restart, Strategy
from supervisors.supervisor import SupervisorSpec
from walltrack.adapters.memory_snapshots import InMemorySnapshotStore
from walltrack.clock import ManualClock
from walltrack.domain.messages.base import Command

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


class Journal:
    """Thread-safe list of what happened, in order."""

    def __init__(self) -> None:
        self._items: list[str] = []
        self._changed = threading.Condition()

    def add(self, item: str) -> None:
        with self._changed:
            self._items.append(item)
            self._changed.notify_all()

    def items(self) -> list[str]:
        with self._changed:
            return list(self._items)

    def wait_for(self, item: str, timeout: float = 10) -> None:
        """Block until `item` was journaled (an event, not a sleep)."""
        with self._changed:
            if not self._changed.wait_for(lambda: item in self._items, timeout):
                msg = f"{item!r} never happened; journal: {self._items}"
                raise AssertionError(msg)

    def starting_with(self, prefix: str) -> list[str]:
        return [item for item in self.items() if item.startswith(prefix)]


@dataclass
class Fault:
    """Crashes the actor `times` times (the same object is redelivered after a restart)."""

    times: int = 1
    corrupt: bool = True

    def fire(self) -> bool:
        if self.times <= 0:
            return False
        self.times -= 1
        return True


@dataclass(frozen=True)
class Add:
    value: int


@dataclass(frozen=True)
class Get:
    pass


@dataclass(frozen=True)
class Exit:
    """Stop normally (a transient child's job is done)."""


@dataclass
class Effect:
    """Runs a counted side effect once, then crashes on the first delivery."""

    key: str
    performed: list[int] = field(default_factory=list)
    crash_after: bool = True


class Probe(SupervisedActor):
    """Keeps a list of values, journals its lifecycle, crashes on request."""

    snapshot_kind = "probe"

    def __init__(
        self, context: ActorContext, journal: Journal, siblings: Sequence[str] = ()
    ) -> None:
        super().__init__(context)
        self.journal = journal
        self.siblings = siblings
        self.values: list[int] = []
        self.stopped = threading.Event()

    def started(self) -> None:
        states = ",".join(
            f"{name}={self.context.registry.get(name).state.value}" for name in self.siblings
        )
        self.journal.add(f"start {self.name} {self.context.incarnation} {states}".rstrip())

    def handle(self, message: Any) -> Any:
        match message:
            case Fault() if message.fire():
                if message.corrupt:
                    self.values = [-999]  # corrupt memory: must never survive a restart
                msg = f"fault in {self.name}"
                raise RuntimeError(msg)
            case Add(value=value):
                self.values.append(value)
                self.mark_dirty()
            case Get():
                return list(self.values)
            case Exit():
                self.stop()
            case Effect():
                self.perform_once(message.key, lambda: message.performed.append(1))
                if message.crash_after:
                    message.crash_after = False
                    raise RuntimeError("crash after the side effect")
            case threading.Event():
                message.set()
            case Command():
                self.journal.add(f"{self.name} got {type(message).__name__}")
        return None

    def snapshot_state(self) -> dict[str, Any]:
        return {"values": list(self.values)}

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self.values = list(state["values"])

    def on_stop(self) -> None:
        super().on_stop()
        self.journal.add(f"stop {self.name}")


def make_services(clock: ManualClock | None = None, poison_threshold: int = 3) -> TreeServices:
    registry = Registry()
    return TreeServices(
        registry=registry,
        bus=EventBus(registry),
        snapshots=InMemorySnapshotStore(),
        clock=clock or ManualClock(START),
        poison_threshold=poison_threshold,
        seed=1,
    )


def probe_spec(
    name: str,
    journal: Journal,
    *,
    restart: Restart = Restart.PERMANENT,
    siblings: Sequence[str] = (),
    shutdown_timeout_s: float = 5.0,
) -> ChildSpec:
    return ChildSpec(
        name=name,
        start=lambda context: Probe.start(context, journal, siblings),
        restart=restart,
        shutdown_timeout_s=shutdown_timeout_s,
    )


@contextmanager
def running_tree(
    children: Sequence[ChildSpec],
    *,
    services: TreeServices | None = None,
    strategy: Strategy = Strategy.ONE_FOR_ONE,
    intensity: Intensity | None = None,
    routes: Mapping[type[Command], str] | None = None,
) -> Iterator[TreeRuntime]:
    """A started tree, shut down at the end of the block."""
    spec = SupervisorSpec(
        strategy=strategy,
        intensity=intensity or Intensity(max_restarts=20, window_s=60),
        children=children,
    )
    runtime = TreeRuntime(services or make_services(), spec, routes)
    runtime.start()
    try:
        yield runtime
    finally:
        runtime.shutdown(timeout=30)


def ask(runtime: TreeRuntime, name: str, message: Any) -> Any:
    return runtime.services.registry.ask(name, message, timeout=10)


def tell(runtime: TreeRuntime, name: str, message: Any) -> None:
    runtime.services.registry.tell(name, message)


def registry(runtime: TreeRuntime) -> Registry:
    reg: Registry = runtime.services.registry
    return reg
