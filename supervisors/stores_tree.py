"""The StoresSupervisor: embedded servers, then the connections, then the config listener.

Why rest_for_one in this order: the connections depend on the servers and the config
listener on PostgreSQL; when a server dies, it and everything started after it restart
(the pool and the listener reconnect to the fresh process), while a failing listener
alone restarts alone. It is the root's first child, so every actor that keeps state or
uses a store starts after the stores proved ready, and stops before they close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pykka

from actors.runtime.base import ActorContext
from actors.runtime.store_handles import StoreHandles
from actors.runtime_config import RuntimeConfigActor
from actors.store_connections import StoreConnectionsActor
from actors.store_server import ServerProcess, StoreServerActor
from supervisors.services import TreeServices
from supervisors.specs import Backoff, ChildSpec, Intensity, Strategy
from supervisors.supervisor import SupervisorSpec, supervisor_child
from walltrack.adapters.bindable_snapshots import BindableSnapshotStore
from walltrack.adapters.postgres.snapshot_upgrades import SnapshotUpgrades

STORES = "stores"
CONNECTIONS = "store_connections"
RUNTIME_CONFIG = "runtime_config"

SERVER_START_TIMEOUT_S = 120.0
"""A cold JVM on a loaded two-core machine; the graph server gives up after 60 s itself."""


def server_name(store: str) -> str:
    """The stable name of the actor owning the embedded `store` server."""
    return f"{store}_server"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoresOptions:
    """How the StoresSupervisor runs; defaults suit production, tests shorten periods."""

    schema: str
    health_check_every_s: float = 1.0
    unhealthy_limit: int = 3
    config_poll_s: float = 0.25
    pool_size: int = 10
    intensity: Intensity = field(default_factory=lambda: Intensity(max_restarts=5, window_s=60))
    backoff: Backoff = field(default_factory=lambda: Backoff(base_s=0.25, max_s=5.0))
    upgrades: SnapshotUpgrades | None = None


def _server_child(
    server: ServerProcess, handles: StoreHandles, options: StoresOptions
) -> ChildSpec:
    def start(context: ActorContext) -> pykka.ActorRef[Any]:
        return StoreServerActor.start(
            context,
            server,
            check_every_s=options.health_check_every_s,
            unhealthy_limit=options.unhealthy_limit,
            report_problem=handles.report_problem,
        )

    return ChildSpec(
        name=server_name(server.store),
        start=start,
        start_timeout_s=SERVER_START_TIMEOUT_S,
        shutdown_timeout_s=30.0,
    )


def stores_supervisor_spec(
    servers: Sequence[ServerProcess],
    handles: StoreHandles,
    snapshots: BindableSnapshotStore,
    options: StoresOptions,
) -> SupervisorSpec:
    """The StoresSupervisor's children: one actor per embedded server, connections, config."""
    children = [_server_child(server, handles, options) for server in servers]
    children.append(
        ChildSpec(
            name=CONNECTIONS,
            start=lambda context: StoreConnectionsActor.start(
                context,
                handles,
                snapshots,
                schema=options.schema,
                upgrades=options.upgrades,
                pool_size=options.pool_size,
            ),
            start_timeout_s=60.0,
            shutdown_timeout_s=30.0,
        )
    )
    children.append(
        ChildSpec(
            name=RUNTIME_CONFIG,
            start=lambda context: RuntimeConfigActor.start(
                context, handles, schema=options.schema, poll_s=options.config_poll_s
            ),
            start_timeout_s=30.0,
        )
    )
    return SupervisorSpec(
        strategy=Strategy.REST_FOR_ONE,
        intensity=options.intensity,
        backoff=options.backoff,
        children=children,
    )


def stores_child(
    services: TreeServices,
    servers: Sequence[ServerProcess],
    handles: StoreHandles,
    snapshots: BindableSnapshotStore,
    options: StoresOptions,
) -> ChildSpec:
    """The StoresSupervisor as a child spec, to be the first child of the root."""
    spec = stores_supervisor_spec(servers, handles, snapshots, options)
    budget = SERVER_START_TIMEOUT_S * max(1, len(servers)) + 90.0
    return supervisor_child(
        STORES, services, spec, start_timeout_s=budget, shutdown_timeout_s=120.0
    )
