"""Builds the dashboard of one process from the tree's services, stores and control.

Why here: the dashboard may not import actors, supervisors or adapters; this module may.
It subscribes the bounded state feed to the event bus (every published event, never
blocking an actor), asks the circuit breaker to announce its halt state and the scheduled
jobs their next run (the feed may start after the tree did), and plugs the store-backed
read model and the command port into the Panel app served on its own thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from actors.intel_clusters import INTEL_CLUSTERS
from actors.intel_messages import INTEL_DECAY, INTEL_PROFILING, INTEL_TOKENS, INTEL_WALLETS
from actors.job_schedule import ReportSchedule
from actors.names import CIRCUIT_BREAKER
from actors.runtime.registry import UnknownActorError
from actors.runtime.store_handles import StoreHandles
from actors.trading_protocol import ReportHaltState
from dashboard.app import build_session
from dashboard.feed import DEFAULT_CAPACITY, BoundedFeed
from dashboard.hub import Hub
from dashboard.probes import VenueHealth
from dashboard.server import DashboardServer
from supervisors.services import TreeServices
from walltrack.adapters.dashboard.commands import TreeDashboardCommands
from walltrack.adapters.dashboard.reads import StoreDashboardReads
from walltrack.config import Settings
from walltrack.dashboard_ports import HealthProbe
from walltrack.errors import ConfigurationError
from walltrack.ports import MetricsSource, TreeControl

SCHEDULED_JOBS = (INTEL_TOKENS, INTEL_WALLETS, INTEL_PROFILING, INTEL_DECAY, INTEL_CLUSTERS)
"""The job actors whose next run the status bar shows."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DashboardOptions:
    """Where to serve and how the process runs."""

    host: str = "127.0.0.1"
    port: int = 5006
    token: str | None = None
    mode: str = "paper"
    feed_capacity: int = DEFAULT_CAPACITY


class Dashboard:
    """The running dashboard of one process: start() after the tree is up, stop() before it
    stops."""

    def __init__(self, hub: Hub, server: DashboardServer, feed: BoundedFeed) -> None:
        self.hub = hub
        self.server = server
        self.feed = feed

    @property
    def url(self) -> str:
        """Where the operator opens it."""
        return self.server.url

    def start(self) -> None:
        """First refresh, then serve."""
        self.hub.start()
        self.server.start()

    def stop(self) -> None:
        """Stop serving and refreshing (the feed stays subscribed but is never read)."""
        self.server.stop()
        self.hub.stop()


def options_from(settings: Settings) -> DashboardOptions:
    """Bind, port, token and mode from the validated settings."""
    token = settings.dashboard_token
    return DashboardOptions(
        host=settings.dashboard_host,
        port=settings.dashboard_port,
        token=token.get_secret_value() if token is not None else None,
        mode=settings.mode.value,
    )


def build_dashboard(
    services: TreeServices,
    handles: StoreHandles,
    control: TreeControl,
    options: DashboardOptions,
    *,
    venue_metrics: MetricsSource | None = None,
    probes: Sequence[HealthProbe] = (),
) -> Dashboard:
    """Subscribe the feed to the bus and build the hub, the ports and the server."""
    feed = BoundedFeed(options.feed_capacity)
    services.bus.listen(feed.offer)
    # The halt state was published before the feed listened: ask for it again (a tree
    # without trading has no breaker, and the status bar says "unknown").
    with contextlib.suppress(UnknownActorError):
        services.registry.tell(CIRCUIT_BREAKER, ReportHaltState())
    for job in SCHEDULED_JOBS:  # likewise the next runs (a tree without intel has none)
        with contextlib.suppress(UnknownActorError):
            services.registry.tell(job, ReportSchedule())
    reads = StoreDashboardReads(handles.postgres, handles.graph)
    commands = TreeDashboardCommands(control, handles.postgres, services.clock)
    all_probes = [*probes]
    if venue_metrics is not None:
        all_probes.append(VenueHealth(venue_metrics))
    hub = Hub(
        feed=feed,
        reads=reads,
        control=control,
        mode=options.mode,
        probes=all_probes,
        now=services.clock.now,  # "today" is the tree's day (simulated in the demo)
    )
    server = DashboardServer(
        lambda: build_session(hub, commands),
        host=options.host,
        port=options.port,
        token=options.token,
    )
    return Dashboard(hub, server, feed)


def start_dashboard(
    settings: Settings,
    services: TreeServices,
    handles: StoreHandles,
    control: TreeControl,
    venue_metrics: MetricsSource | None,
    *,
    say: Callable[[str], None],
) -> Callable[[], None]:
    """Start the process's dashboard, tell the operator where it is; returns its stop.

    Trading goes on without a dashboard (a busy port, a public bind without a token): the
    operator is told why and the returned stop does nothing.
    """
    dashboard: Dashboard | None = None
    try:
        dashboard = build_dashboard(
            services, handles, control, options_from(settings), venue_metrics=venue_metrics
        )
        dashboard.start()
    except (OSError, ConfigurationError) as error:
        if dashboard is not None:
            dashboard.stop()
        say(f"walltrack: no dashboard: {error}")
        return lambda: None
    say(f"  dashboard: {dashboard.url}")
    return dashboard.stop
