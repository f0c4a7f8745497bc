"""Building store-backed trees in tests, and waiting on what they publish.

Synchronisation is by events (a bus listener), asks and futures; polling with a deadline
is kept for external processes coming up (the `walltrack run` subprocess).
"""

from __future__ import annotations

import queue
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from actors.runtime.base import ActorContext, SupervisedActor
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from supervisors.wiring import StoresPlan, plan_stores, root_spec, tree_services
from tests.runtime.kit import Journal, probe_spec
from walltrack.config import Settings, load_settings
from walltrack.domain.messages.config import RuntimeConfigChanged, RuntimeConfigRejected

WAIT_S = 60.0
KEEPER = "keeper"

type After = Callable[[TreeServices, StoresPlan], Sequence[ChildSpec]]


class EventLog:
    """Every event published on a tree's bus, with a blocking wait for a matching one."""

    def __init__(self) -> None:
        self._events: list[Any] = []
        self._changed = threading.Condition()

    def __call__(self, event: Any) -> None:
        with self._changed:
            self._events.append(event)
            self._changed.notify_all()

    def wait_for[E](self, kind: type[E], timeout: float = WAIT_S, **fields: Any) -> E:
        """The first event of `kind` whose attributes equal `fields` (waits for it)."""

        def match() -> E | None:
            for event in self._events:
                if isinstance(event, kind) and all(
                    getattr(event, name) == value for name, value in fields.items()
                ):
                    return event
            return None

        with self._changed:
            found = self._changed.wait_for(match, timeout)
            if found is None:
                kinds = [type(e).__name__ for e in self._events]
                msg = f"no {kind.__name__} with {fields} within {timeout} s; saw {kinds}"
                raise AssertionError(msg)
            return found

    def of(self, kind: type[Any]) -> list[Any]:
        """Every event of `kind` so far."""
        with self._changed:
            return [event for event in self._events if isinstance(event, kind)]


@dataclass(frozen=True, slots=True)
class StoresTree:
    """A started tree whose first child is the StoresSupervisor."""

    runtime: TreeRuntime
    plan: StoresPlan
    events: EventLog
    journal: Journal

    def ask(self, name: str, message: Any) -> Any:
        return self.runtime.services.registry.ask(name, message, timeout=WAIT_S)

    def tell(self, name: str, message: Any) -> None:
        self.runtime.services.registry.tell(name, message)


def settings_for(data_dir: Path, **env: str) -> Settings:
    """Settings as `walltrack` would read them from exactly these variables."""
    values = {"WALLTRACK_DATA_DIR": str(data_dir)}
    values.update({f"WALLTRACK_{name.upper()}": value for name, value in env.items()})
    return load_settings(values)


def keeper_after(journal: Journal) -> After:
    """A tree with one stateful probe (`keeper`) after the stores."""
    return lambda _services, _plan: [probe_spec(KEEPER, journal)]


@contextmanager
def stores_tree(
    settings: Settings,
    *,
    after: After | None = None,
    journal: Journal | None = None,
    health_check_every_s: float = 0.05,
) -> Iterator[StoresTree]:
    """Start stores (+ `after`), yield, then stop in order and close the plan."""
    journal = journal or Journal()
    plan = plan_stores(settings, health_check_every_s=health_check_every_s, config_poll_s=0.05)
    services = tree_services(settings, plan)
    events = EventLog()
    services.bus.listen(events)
    children = (after or keeper_after(journal))(services, plan)
    runtime = TreeRuntime(
        services,
        root_spec(settings, plan, services, children),
        root_start_timeout_s=plan.start_budget_s,
    )
    try:
        runtime.start()
        yield StoresTree(runtime, plan, events, journal)
    finally:
        runtime.shutdown(timeout=120)
        plan.close()


class ConfigSubscriber(SupervisedActor):
    """Caches what it is told about the runtime parameters (as a real consumer would)."""

    def __init__(self, context: ActorContext, received: queue.Queue[Any]) -> None:
        super().__init__(context)
        self._received = received

    def started(self) -> None:
        self.context.bus.subscribe(RuntimeConfigChanged, self.name)
        self.context.bus.subscribe(RuntimeConfigRejected, self.name)

    def handle(self, message: Any) -> Any:
        self._received.put(message)
        return None


def snapshot_row(dsn: str, actor_id: str, schema: str = "walltrack_paper") -> Any:
    """The stored state of `actor_id`, read straight from PostgreSQL (None if no row)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            f"SELECT state FROM {schema}.actor_snapshots WHERE actor_id = %s",
            (actor_id,),
        ).fetchone()
    return None if row is None else row[0]


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
