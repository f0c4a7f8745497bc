"""A real tree on real stores with the dashboard served, for the browser tests and checks.

The tree is the production shape: the StoresSupervisor (PostgreSQL and the graph, the
config listener), the circuit breaker and trading subtree in paper mode against the
simulator's Jupiter, and the signal path (ingress, wallet actors, scorer, clusters) on
the stores. Synchronisation is by bus events (EventLog) and by the page itself.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from actors.ingress_sink import IngressSink
from actors.intel_job import IntelJobActor
from actors.intel_messages import INTEL_DECAY
from actors.runtime.base import ActorContext
from supervisors.dashboard_wiring import Dashboard, DashboardOptions, build_dashboard
from supervisors.runtime import TreeRuntime
from supervisors.signal_ports import signal_ports
from supervisors.signal_tree import SignalTiming, signal_children
from supervisors.specs import ChildSpec
from supervisors.trading_tree import TRADING_ROUTES
from supervisors.trading_wiring import TradingVenues, TradingWiring, wire_trading
from supervisors.wiring import StoresPlan, plan_stores, root_spec, tree_services
from tests.dashboard.seed import TOKEN_ROLES, Seeded, seed
from tests.integration.stores_tree.kit import EventLog, free_port, settings_for
from tests.pipeline.kit import observed, swap
from walltrack.adapters.graph.client import GraphClient
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.graph.schema import ensure_schema
from walltrack.adapters.intel.jobs import IntelJobs
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.resilience import RateLimit
from walltrack.commands._process import RuntimeControl
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.records import SignalRecord
from walltrack.sim.thread import SimulationThread

WAIT_S = 60.0
SCHEMA = "walltrack_paper"
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"


class Events(EventLog):
    """The bus's events, with a wait on any condition over one kind."""

    def __init__(self) -> None:
        super().__init__()
        self._arrived = threading.Condition()

    def __call__(self, event: Any) -> None:
        super().__call__(event)
        with self._arrived:
            self._arrived.notify_all()

    def wait_until[E](
        self, kind: type[E], predicate: Callable[[E], bool], timeout: float = WAIT_S
    ) -> E:
        """The first event of `kind` satisfying `predicate` (waits for it)."""

        def found() -> E | None:
            return next((e for e in self.of(kind) if predicate(e)), None)

        with self._arrived:
            event = self._arrived.wait_for(found, timeout)
        assert event is not None, f"no matching {kind.__name__} within {timeout} s"
        return event

    def wait_next[E](self, kind: type[E], seen: int, timeout: float = WAIT_S) -> E:
        """The event of `kind` after the first `seen` ones (waits for it)."""
        with self._arrived:
            ok = self._arrived.wait_for(lambda: len(self.of(kind)) > seen, timeout)
        assert ok, f"no new {kind.__name__} within {timeout} s"
        event: E = self.of(kind)[seen]
        return event


class ScheduledJob(IntelJobActor):
    """A job actor on the real timer and schedule (the decay interval of the stored config)
    whose runs do nothing: the status bar's next run comes from the real announcement,
    without the intel venues (its first run is an hour away, after the tests)."""

    def scheduled(self) -> Any:
        return "run"

    def run(self, jobs: IntelJobs, message: Any) -> Any:
        del jobs, message


def scheduled_job(plan: StoresPlan) -> ChildSpec:
    """The stand-in decay job, its interval read from the stored parameters at each tick."""

    def interval() -> float:
        return plan.handles.postgres().config.load_params().decay.check_every_hours * 3600.0

    def start(context: ActorContext) -> Any:
        return ScheduledJob.start(context, lambda _publish: cast(IntelJobs, None), every_s=interval)

    return ChildSpec(name=INTEL_DECAY, start=start)


@dataclass
class LiveDashboard:
    """The running tree, its dashboard and what the seed wrote."""

    runtime: TreeRuntime
    plan: StoresPlan
    events: Events
    dashboard: Dashboard
    seeded: Seeded

    @property
    def url(self) -> str:
        return self.dashboard.url

    def stores(self) -> PostgresStores:
        return self.plan.handles.postgres()

    def buy(self, wallet: str, mint: str) -> SignalRecord:
        """A tracked wallet buys `mint` (through the webhook's sink); its stored signal."""
        signature = f"dash-{uuid.uuid4().hex}"
        IngressSink(self.runtime.services.registry).submit(
            observed(swap(wallet, mint, at=datetime.now(UTC), signature=signature))
        )
        scored = self.events.wait_for(SignalScored, swap_signature=signature)
        record = self.stores().signals.get(scored.signal_id)
        assert record is not None, "the scorer published a signal it did not store"
        return record


def _seed_before_start(
    pg_dsn: str,
    graph_uri: str,
    graph_user: str,
    graph_password: str,
    graph_database: str,
    mints: list[str],
) -> Seeded:
    """Seed as a previous run would have left the stores (the ingress reads them at start)."""
    stores = PostgresStores.open(pg_dsn, schema=SCHEMA, migrate=False)
    try:
        with GraphClient.connect(graph_uri, graph_user, graph_password, graph_database) as client:
            ensure_schema(client)
            return seed(stores, GraphRepository(client), mints)
    finally:
        stores.close()


def _tradable(sim: SimulationThread) -> list[str]:
    """Mints the simulator's Jupiter quotes, newest first, one per seeded token."""
    tokens = sim.call(lambda s: list(s.world.market.token_list))
    return [t.mint for t in reversed(tokens)][: len(TOKEN_ROLES)]


@contextmanager
def live_dashboard(
    data_dir: Path,
    sim: SimulationThread,
    *,
    pg_dsn: str,
    graph_uri: str,
    graph_user: str,
    graph_password: str,
    graph_database: str,
) -> Iterator[LiveDashboard]:
    """Start the tree, seed the stores, serve the dashboard on a free port; stop in reverse."""
    settings = settings_for(
        data_dir,
        pg_dsn=pg_dsn,
        graph_uri=graph_uri,
        graph_user=graph_user,
        graph_password=graph_password,
        graph_database=graph_database,
    )
    plan = plan_stores(settings, health_check_every_s=0.5, config_poll_s=0.05)
    services = tree_services(settings, plan)
    events = Events()
    services.bus.listen(events)
    trading: TradingWiring = wire_trading(
        services,
        lambda: plan.handles.postgres().db,
        TradingVenues(
            jupiter_base_url=sim.endpoints.jupiter_base_url,
            jupiter_api_key="sim-jupiter-key",
            jupiter_rate_limit=RateLimit(limit=1_000_000, window_s=1.0),
        ),
        mode="paper",
    )
    timing = SignalTiming(passivate_after_s=None, backfill_every_s=None)
    children = [
        *trading.children(services),
        *signal_children(services, signal_ports(plan.handles), timing),
        scheduled_job(plan),
    ]
    runtime = TreeRuntime(
        services,
        root_spec(settings, plan, services, children),
        TRADING_ROUTES,
        root_start_timeout_s=plan.start_budget_s,
    )
    control = RuntimeControl(runtime, stores_up=lambda: plan.handles.is_connected)
    dashboard: Dashboard | None = None
    try:
        seeded = _seed_before_start(
            pg_dsn, graph_uri, graph_user, graph_password, graph_database, _tradable(sim)
        )
        runtime.start()
        control.mark_ready()
        trading.start()
        dashboard = build_dashboard(
            services,
            plan.handles,
            control,
            DashboardOptions(host="127.0.0.1", port=free_port(), mode="paper"),
        )
        dashboard.start()
        yield LiveDashboard(runtime, plan, events, dashboard, seeded)
    finally:
        if dashboard is not None:
            dashboard.stop()
        runtime.shutdown(timeout=120)
        trading.close()
        plan.close()
