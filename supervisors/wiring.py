"""The only place that chooses adapters by mode and configuration (DESIGN.md §2).

Why one place: paper, live and backtest run the same tree; what differs is which schema,
which stores (embedded or configured) and later which venues. Entry points (`walltrack
run`, `walltrack demo`, tests) ask this module for a plan and never pick adapters
themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from actors.names import POSITIONS
from actors.runtime.bus import EventBus
from actors.runtime.registry import Registry
from actors.runtime.store_handles import GraphTarget, StoreHandles
from actors.store_server import ServerProcess
from supervisors.embedded_servers import EmbeddedGraphProcess, EmbeddedPostgresProcess
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec, Intensity, Strategy
from supervisors.stores_tree import (
    SERVER_START_TIMEOUT_S,
    StoresOptions,
    stores_child,
)
from supervisors.supervisor import SupervisorSpec
from walltrack.adapters.bindable_snapshots import BindableSnapshotStore
from walltrack.adapters.postgres.doctor import describe_dsn
from walltrack.adapters.postgres.schema import schema_for
from walltrack.clock import LiveClock
from walltrack.config import Mode, Settings
from walltrack.errors import ConfigurationError
from walltrack.ports import Clock


def schema_of(settings: Settings) -> str:
    """The PostgreSQL schema of the configured mode (paper and live never share one)."""
    if settings.mode is Mode.BACKTEST:
        raise ConfigurationError(
            "WALLTRACK_MODE",
            "a backtest gets a schema per run; a long-running process takes paper or live",
        )
    return schema_for(settings.mode.value)


@dataclass(slots=True, kw_only=True)
class StoresPlan:
    """What the StoresSupervisor runs and what the rest of the process shares with it."""

    data_dir: Path
    handles: StoreHandles
    snapshots: BindableSnapshotStore
    servers: tuple[ServerProcess, ...]
    options: StoresOptions
    postgres_location: str
    graph_location: str
    _closed: bool = field(default=False, repr=False)

    def child(self, services: TreeServices) -> ChildSpec:
        """The StoresSupervisor, to be the root's first child."""
        return stores_child(services, self.servers, self.handles, self.snapshots, self.options)

    @property
    def start_budget_s(self) -> float:
        """How long starting the stores may take at worst (the root's start timeout)."""
        return SERVER_START_TIMEOUT_S * max(1, len(self.servers)) + 120.0

    def describe(self) -> list[str]:
        """Where the data lives, for the operator (never a secret)."""
        return [
            f"data directory: {self.data_dir.resolve()}",
            f"PostgreSQL:     {self.postgres_location} (schema {self.options.schema})",
            f"graph:          {self.graph_location}",
        ]

    def close(self) -> None:
        """After the tree stopped: write the last snapshots, stop any server left running."""
        if self._closed:
            return
        self._closed = True
        self.snapshots.close()
        for server in reversed(self.servers):
            server.stop()  # a no-op after a clean stop; the safety net after a failed start


def plan_stores(
    settings: Settings,
    *,
    health_check_every_s: float = 1.0,
    config_poll_s: float = 0.25,
) -> StoresPlan:
    """Embedded servers for whatever has no DSN/URI configured; the configured ones as is."""
    schema = schema_of(settings)
    data_dir = settings.data_dir.resolve()  # server processes run in their own directories
    handles = StoreHandles()
    servers: list[ServerProcess] = []
    if settings.pg_dsn is None:
        postgres: EmbeddedPostgresProcess = EmbeddedPostgresProcess(data_dir, handles)
        servers.append(postgres)
        postgres_location = f"embedded, data in {postgres.location}"
    else:
        dsn = settings.pg_dsn.get_secret_value()
        handles.set_pg_dsn(dsn)
        postgres_location = f"{describe_dsn(dsn)} (WALLTRACK_PG_DSN)"
    if settings.graph_uri is None:
        graph = EmbeddedGraphProcess(data_dir, handles, database=settings.graph_database)
        servers.append(graph)
        graph_location = f"embedded ArcadeDB over Bolt, data in {graph.location}"
    else:
        password = settings.graph_password
        handles.set_graph_target(
            GraphTarget(
                uri=settings.graph_uri,
                user=settings.graph_user,
                password=password.get_secret_value() if password is not None else "",
                database=settings.graph_database,
            )
        )
        graph_location = (
            f"{settings.graph_uri} database {settings.graph_database} (WALLTRACK_GRAPH_URI)"
        )
    options = StoresOptions(
        schema=schema,
        health_check_every_s=health_check_every_s,
        config_poll_s=config_poll_s,
    )
    return StoresPlan(
        data_dir=data_dir,
        handles=handles,
        # The position actor saves durably before it sends an order (perform_once): its
        # row is never held in the shared batch's transaction (see write_behind.py).
        snapshots=BindableSnapshotStore(
            max_staleness_s=settings.snapshot_staleness_s, solo=(POSITIONS,)
        ),
        servers=tuple(servers),
        options=options,
        postgres_location=postgres_location,
        graph_location=graph_location,
    )


def tree_services(
    settings: Settings, plan: StoresPlan, *, clock: Clock | None = None
) -> TreeServices:
    """Registry, bus, the PostgreSQL-backed snapshot store and the clock of one tree."""
    registry = Registry()
    return TreeServices(
        registry=registry,
        bus=EventBus(registry),
        snapshots=plan.snapshots,
        clock=clock if clock is not None else LiveClock(),
        poison_threshold=settings.poison_threshold,
    )


def root_spec(
    settings: Settings,
    plan: StoresPlan,
    services: TreeServices,
    after_stores: Sequence[ChildSpec] = (),
) -> SupervisorSpec:
    """The root (rest_for_one): the StoresSupervisor first, then `after_stores` in order."""
    return SupervisorSpec(
        strategy=Strategy.REST_FOR_ONE,
        intensity=Intensity(max_restarts=settings.restart_max, window_s=settings.restart_window_s),
        children=[plan.child(services), *after_stores],
    )
