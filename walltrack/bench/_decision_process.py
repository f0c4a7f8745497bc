"""The process the decision benchmark measures, built the way `walltrack run` builds it.

Why not the `demo` command: the benchmark needs its hands on the running process (seed
wallets, change parameters, read tables back) and a fresh data directory of its own; the
parts are the same (supervisors.wiring for the stores, supervisors.pipeline_wiring for
the rest, the app factory for the HTTP edge), so what is measured is what runs.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from pydantic import SecretStr

from actors.names import INGRESS, POSITIONS, SCORER
from actors.pipeline_messages import GetStats, TrackWallets
from actors.runtime.base import ActorContext, SupervisedActor
from actors.trading_protocol import Inspect
from supervisors.pipeline_wiring import PipelineOptions, wire_pipeline
from supervisors.runtime import TreeRuntime
from supervisors.specs import ChildSpec
from supervisors.wiring import plan_stores, root_spec, tree_services
from walltrack.adapters.webhook.control_api import make_app
from walltrack.adapters.webhook.helius_receiver import WEBHOOK_PATH
from walltrack.adapters.webhook.server import HttpServerThread
from walltrack.config import Mode, load_settings
from walltrack.domain.messages.trading import EntrySkipped, OrderSubmitted
from walltrack.domain.orders import OrderPurpose
from walltrack.domain.records.wallets import WalletProfile, WalletStatus
from walltrack.sim.thread import SimulationThread

ASK_TIMEOUT_S = 60.0
PARAMS_TIMEOUT_S = 30.0
STRONG_PROFILE = WalletProfile(
    trade_count=60,
    win_rate=0.75,
    total_pnl_lamports=80 * 10**9,
    timing_percentile=0.05,
    consistency=0.9,
    score=0.95,
)


class _Control:
    """The HTTP edge's view of the tree: the bench reads the tables, not /api/tree."""

    def __init__(self, runtime: TreeRuntime) -> None:
        self._runtime = runtime

    def tree(self) -> Any:
        return self._runtime.tree()

    def control(self, command: object) -> None:
        """The bench sends no operator commands."""

    def ready(self) -> bool:
        return True


LISTENER = "bench_listener"


class _Listener(SupervisedActor):
    """Hears each entry order submitted (when, by its position), and why the position
    actor skipped an entry (a probe then has no order).

    The instant an entry is heard is the benchmark's end point: the position actor
    publishes `OrderSubmitted` once the attempt's journal is durable (written with the
    signal, the position and the order in one statement), as it hands the
    attempt to the execution worker, so every write of the entry path is before it, and
    the bus hop to this actor (a fraction of a millisecond) is counted against the
    pipeline.
    """

    def __init__(self, context: ActorContext) -> None:
        super().__init__(context)
        self.skipped: Counter[str] = Counter()
        self.submitted: dict[str, datetime] = {}

    def started(self) -> None:
        self.context.bus.subscribe(EntrySkipped, self.name)
        self.context.bus.subscribe(OrderSubmitted, self.name)

    def handle(self, message: Any) -> Any:
        if isinstance(message, OrderSubmitted):
            if message.purpose is OrderPurpose.ENTRY:
                self.submitted.setdefault(str(message.position_id), self.context.clock.now())
        elif isinstance(message, EntrySkipped):
            self.skipped[message.reason] += 1
        elif isinstance(message, GetStats):
            return dict(self.skipped)
        elif isinstance(message, Inspect):
            return dict(self.submitted)
        return None


class BenchProcess:
    """Stores, tree and webhook on loopback, venues at the simulator; a context manager."""

    def __init__(
        self, sim: SimulationThread, data_dir: Path, secret: str, paper_lamports: int
    ) -> None:
        endpoints = sim.endpoints
        self.settings = load_settings().model_copy(
            update={
                "mode": Mode.PAPER,
                "data_dir": data_dir,
                "pg_dsn": None,
                "graph_uri": None,
                "keypair": None,
                "helius_base_url": endpoints.helius_base_url,
                "helius_api_key": SecretStr(endpoints.helius_api_key),
                "helius_webhook_secret": SecretStr(secret),
                "helius_webhook_hmac_secret": None,
                "rpc_urls": endpoints.rpc_urls,
                "jupiter_base_url": endpoints.jupiter_base_url,
                "dexscreener_base_url": endpoints.dexscreener_base_url,
                "birdeye_base_url": endpoints.birdeye_base_url,
                "birdeye_api_key": SecretStr("sim-birdeye-key"),
            }
        )
        self.clock = sim.simulation.clock
        self.plan = plan_stores(self.settings)
        services = tree_services(self.settings, self.plan, clock=self.clock)
        self.wiring = wire_pipeline(
            self.settings,
            self.plan,
            services,
            # No modelled venue delay: the entry is submitted in the message that decides
            # it, as in live mode, so the figure ends where the venue's time would begin.
            PipelineOptions(paper_starting_lamports=paper_lamports, paper_latency_s=0.0),
        )
        listener = ChildSpec(name=LISTENER, start=_Listener.start)
        children = [*self.wiring.children(), listener]
        root = root_spec(self.settings, self.plan, services, children)
        self.runtime = TreeRuntime(
            services, root, self.wiring.routes, root_start_timeout_s=self.plan.start_budget_s
        )
        app = make_app(
            _Control(self.runtime),
            self.clock,
            secrets.token_urlsafe(24),
            webhook=self.wiring.webhook(),
            venue_metrics=self.wiring.metrics,
        )
        self.http = HttpServerThread(app, "127.0.0.1", 0)

    def __enter__(self) -> Self:
        try:
            self.http.start()
            self.runtime.start()
            self.wiring.start()
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        self.wiring.stop_accepting()
        try:
            self.runtime.shutdown()
        finally:
            self.http.stop()
            self.wiring.close()
            self.plan.close()

    @property
    def webhook_url(self) -> str:
        """Where Helius would post."""
        return f"http://127.0.0.1:{self.http.bound_port}{WEBHOOK_PATH}"

    def _ask(self, name: str, message: Any) -> Any:
        return self.runtime.services.registry.ask(name, message, timeout=ASK_TIMEOUT_S)

    def set_params(self, changes: Mapping[str, Any]) -> None:
        """Write runtime parameters as the operator would; return once the tree has them."""
        handles = self.plan.handles
        config = handles.postgres().config
        expected = None
        for path, value in changes.items():
            expected = config.update(path, value, changed_by="bench")
        deadline = time.monotonic() + PARAMS_TIMEOUT_S
        while handles.params() != expected:  # the config listener publishes the change
            if time.monotonic() > deadline:
                msg = "the runtime parameters did not reach the tree"
                raise RuntimeError(msg)
            time.sleep(0.05)
        self._ask(SCORER, GetStats())  # the change event was told before: handled now
        self._ask(POSITIONS, Inspect())

    def watch(self, *, probe_wallets: Iterable[str]) -> None:
        """Watchlist `probe_wallets` with a strong record, and route their swaps."""
        wallets = self.plan.handles.postgres().wallets
        now = self.clock.now()
        addresses = tuple(probe_wallets)
        for address in addresses:
            wallets.add_discovered(address, at=now - timedelta(days=10))
            wallets.save_profile(address, STRONG_PROFILE, profiled_at=now - timedelta(days=1))
            wallets.set_status(address, WalletStatus.PROFILED, at=now - timedelta(days=1))
            wallets.set_status(address, WalletStatus.WATCHLISTED, at=now - timedelta(days=1))
        # As the ingress does for the watchlist (at start, and when the lifecycle moves
        # a wallet there): resident, its actor active before its first swap.
        self._ask(INGRESS, TrackWallets(addresses, resident=True))

    def track(self, addresses: Iterable[str]) -> None:
        """Route the swaps of `addresses` (the ingress mirrors them to the receiver)."""
        self._ask(INGRESS, TrackWallets(tuple(addresses)))

    def entries_submitted(self) -> dict[str, datetime]:
        """When each entry order was heard submitted, by position id."""
        submitted: dict[str, datetime] = self._ask(LISTENER, Inspect())
        return submitted

    def entries_skipped(self) -> dict[str, int]:
        """Why entries were skipped, by reason, since the start."""
        skipped: dict[str, int] = self._ask(LISTENER, GetStats())
        return skipped

    def deepest_mailboxes(self, top: int = 4) -> list[tuple[str, int]]:
        """The actors with the most messages waiting right now (where a backlog builds)."""
        slots = self.runtime.services.registry.slots()
        depths = sorted(((s.name, s.mailbox_depth) for s in slots), key=lambda d: -d[1])
        return [(name, depth) for name, depth in depths[:top] if depth]

    def query(self, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Rows of a read-only query on the process's PostgreSQL."""
        database = self.plan.handles.postgres().db
        rows: list[dict[str, Any]] = database.read(
            lambda conn: conn.execute(sql, params).fetchall()
        )
        return rows
