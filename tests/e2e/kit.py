"""The whole WallTrack process against the simulator, driven the way Helius drives it.

What is real: the tree `walltrack run` builds (supervisors/pipeline_wiring.py) on a real
PostgreSQL and graph server, the HTTP app on loopback, the simulator's venues (Jupiter
quotes for paper fills, DexScreener, Helius REST), and the swaps: a wallet trades in the
simulated market and the transaction the simulator's Helius renders for it is POSTed to
/webhooks/helius. What the test holds still: time (a ManualClock the test advances past
the 3 s paper latency) and the pacer (the test ticks and polls prices itself, so each
step happens when the assertions expect it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import httpx

from actors.names import INGRESS, SCORER
from actors.pipeline_messages import GetStats
from actors.runtime.protocol import Ping
from supervisors.intel_tree import IntelTiming
from supervisors.pipeline_wiring import PipelineOptions, PipelineWiring, wire_pipeline
from supervisors.runtime import TreeRuntime
from supervisors.signal_tree import SignalActors, SignalTiming
from supervisors.trading_tree import TradingActors
from supervisors.wiring import plan_stores, root_spec, tree_services
from tests.integration.graph_fixtures import GraphTestServer
from tests.integration.stores_tree.kit import settings_for
from tests.trading.kit import Events, Market, Trading
from walltrack.adapters.execution.prices import QuotePrices
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.postgres.trade_records import PostgresTradeRecords
from walltrack.adapters.postgres.webhook_event_store import PostgresWebhookEventStore
from walltrack.adapters.webhook.control_api import make_app
from walltrack.adapters.webhook.server import HttpServerThread
from walltrack.clock import ManualClock
from walltrack.commands._process import RuntimeControl
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records.wallets import TokenRecord, WalletProfile, WalletStatus
from walltrack.sim.thread import SimulationThread

SOL = 1_000_000_000
SECRET = "Bearer e2e-webhook-secret-0123456789"
CONTROL_TOKEN = "e2e-control-token"
SCHEMA = "walltrack_paper"
SIM_BIRDEYE_KEY = "sim-birdeye-key"


def sim_now(sim: SimulationThread) -> datetime:
    """The simulated world's current time."""
    return sim.call(lambda s: s.world.datetime_at(s.world.now))


class Trader:
    """A wallet of the simulated market that the test makes buy and sell."""

    def __init__(self, sim: SimulationThread, role: str, index: int = 1) -> None:
        self.sim = sim
        self.address: str = sim.call(lambda s: s.world.keys.wallet(role, index))
        self.held: dict[str, int] = {}

    def buy(self, mint: str, sol: int) -> str:
        """Buy `sol` SOL of `mint`; the transaction's signature."""

        def act(s: Any) -> str:
            market = s.world.market
            market.ledger.credit(self.address, sol * SOL + SOL)
            event = market.buy(s.world.now, self.address, mint, sol * SOL, priority_fee=0)
            assert event is not None, "the simulated buy failed"
            self.held[mint] = self.held.get(mint, 0) + event.tokens
            return str(event.signature)

        return self.sim.call(act)

    def sell_all(self, mint: str) -> str:
        """Sell everything held of `mint`; the transaction's signature."""

        def act(s: Any) -> str:
            tokens = self.held.pop(mint)
            event = s.world.market.sell(s.world.now, self.address, mint, tokens, priority_fee=0)
            assert event is not None, "the simulated sell failed"
            return str(event.signature)

        return self.sim.call(act)


def enhanced(sim: SimulationThread, signature: str) -> dict[str, Any]:
    """The enhanced transaction the simulator's Helius renders for `signature`."""
    endpoints = sim.endpoints
    response = httpx.post(
        f"{endpoints.helius_base_url}/v0/transactions",
        params={"api-key": endpoints.helius_api_key},
        json={"transactions": [signature]},
        timeout=10,
    )
    response.raise_for_status()
    (tx,) = response.json()
    assert isinstance(tx, dict)
    return tx


def seed_smart_wallet(stores: PostgresStores, address: str, at: datetime) -> None:
    """A watchlisted wallet whose record makes its buys worth copying."""
    wallets = stores.wallets
    wallets.add_discovered(address, at=at - timedelta(days=30))
    profile = WalletProfile(
        trade_count=60,
        win_rate=0.85,
        total_pnl_lamports=90 * SOL,
        timing_percentile=0.05,
        consistency=0.9,
        score=0.9,
    )
    wallets.save_profile(address, profile, profiled_at=at - timedelta(days=1))
    wallets.set_status(address, WalletStatus.PROFILED, at=at - timedelta(days=1))
    wallets.set_status(address, WalletStatus.WATCHLISTED, at=at - timedelta(days=1))


def seed_safe_token(stores: PostgresStores, mint: str, at: datetime) -> None:
    """A liquid, widely held, week-old token with its authorities revoked."""
    stores.tokens.upsert(
        TokenRecord(
            mint=mint,
            discovered_at=at - timedelta(days=7),
            launched_at=at - timedelta(days=7),
            liquidity_usd=Decimal(80_000),
            market_cap_usd=Decimal(600_000),
            volume_24h_usd=Decimal(150_000),
            holder_count=1_200,
            top10_share=0.15,
            mint_authority_revoked=True,
            freeze_authority_revoked=True,
        )
    )


@dataclass
class Process:
    """A running WallTrack process and the handles a test drives it with."""

    runtime: TreeRuntime
    wiring: PipelineWiring
    trading: Trading
    events: Events
    base_url: str

    @property
    def stores(self) -> PostgresStores:
        """The process's own PostgreSQL repositories."""
        return self.wiring.plan.handles.postgres()

    def post(
        self, body: Any, *, authorization: str | None = SECRET, path: str = "/webhooks/helius"
    ) -> httpx.Response:
        """POST `body` as JSON the way Helius does."""
        headers = {} if authorization is None else {"Authorization": authorization}
        return httpx.post(f"{self.base_url}{path}", json=body, headers=headers, timeout=10)

    def control(self, action: str) -> httpx.Response:
        """POST /api/control/<action> with the bearer token."""
        headers = {"Authorization": f"Bearer {CONTROL_TOKEN}"}
        return httpx.post(f"{self.base_url}/api/control/{action}", headers=headers, timeout=10)

    def flow(self, *wallets: str) -> None:
        """Everything told so far went through ingress, the wallets and the scorer."""
        registry = self.runtime.registry
        registry.ask(INGRESS, Ping(), timeout=20)
        for wallet in wallets:
            registry.ask(f"wallet:{wallet}", Ping(), timeout=20)
        registry.ask(SCORER, Ping(), timeout=20)
        self.trading.settle()

    def ingress_stats(self) -> dict[str, int]:
        stats: dict[str, int] = self.runtime.registry.ask(INGRESS, GetStats(), timeout=20)
        return stats

    def restarts(self) -> dict[str, int]:
        """Restarts per actor so far."""
        return {a.name: a.restarts for a in self.runtime.tree().actors if a.restarts}


@contextmanager
def running_process(
    sim: SimulationThread,
    pg_dsn: str,
    graph: GraphTestServer,
    graph_database: str,
    data_dir: Path,
    *,
    signal_actors: SignalActors | None = None,
    trading_actors: TradingActors | None = None,
) -> Iterator[Process]:
    """WallTrack in paper mode on the given stores, its venues at the simulator."""
    endpoints = sim.endpoints
    venues = {name.removeprefix("WALLTRACK_"): value for name, value in endpoints.as_env().items()}
    settings = settings_for(
        data_dir,
        PG_DSN=pg_dsn,
        GRAPH_URI=graph.uri,
        GRAPH_USER=graph.user,
        GRAPH_PASSWORD=graph.password,
        GRAPH_DATABASE=graph_database,
        HELIUS_WEBHOOK_SECRET=SECRET,
        BIRDEYE_API_KEY=SIM_BIRDEYE_KEY,
        **venues,
    )
    clock = ManualClock(sim_now(sim))
    plan = plan_stores(settings, health_check_every_s=0.5, config_poll_s=0.1)
    services = tree_services(settings, plan, clock=clock)
    events = Events()
    services.bus.listen(events)
    timing = SignalTiming(passivate_after_s=None, graph_flush_every_s=None, backfill_every_s=None)
    options = PipelineOptions(
        timing=timing,
        rate_scale=1_000.0,  # the simulator's venues have no quotas
        signal_actors=signal_actors,
        trading_actors=trading_actors,
        intel_timing=IntelTiming(scheduled=False),  # no discovery run moves the watchlist
    )
    wiring = wire_pipeline(settings, plan, services, options)
    root = root_spec(settings, plan, services, wiring.children())
    runtime = TreeRuntime(services, root, wiring.routes, root_start_timeout_s=plan.start_budget_s)
    http: HttpServerThread | None = None
    try:
        runtime.start()
        wiring.start(pace=False)
        control = RuntimeControl(runtime, stores_up=lambda: plan.handles.is_connected)
        control.mark_ready()
        app = make_app(
            control,
            clock,
            CONTROL_TOKEN,
            webhook=wiring.webhook(),
            venue_metrics=wiring.metrics,
        )
        http = HttpServerThread(app, "127.0.0.1", 0)
        http.start()
        deps = wiring.trading.deps
        trading = Trading(
            runtime=runtime,
            clock=clock,
            events=events,
            feed=deps.feed,
            records=cast("PostgresTradeRecords", deps.records),
            execution=deps.execution,
            feedback=[],
            worker=wiring.trading.worker,
        )
        yield Process(
            runtime=runtime,
            wiring=wiring,
            trading=trading,
            events=events,
            base_url=f"http://127.0.0.1:{http.bound_port}",
        )
    finally:
        wiring.stop_accepting()
        runtime.shutdown(timeout=60)
        if http is not None:
            http.stop()
        wiring.close()
        plan.close()


@dataclass
class EndToEnd:
    """One test's world, stores and process launcher (the `e2e` fixture)."""

    sim: SimulationThread
    pg_dsn: str
    graph: GraphTestServer
    graph_database: str
    data_dir: Path

    def curve_mints(self, count: int) -> list[str]:
        """The `count` newest tokens still on their bonding curve."""
        tokens = self.sim.call(
            lambda s: [t.mint for t in s.world.market.token_list if t.pool is None]
        )
        return list(reversed(tokens))[:count]

    def seed(
        self,
        wallets: Iterable[str],
        mints: Iterable[str],
        *,
        config: Mapping[str, Any] | None = None,
        strategies: Iterable[ExitStrategy] = (),
    ) -> None:
        """Before the process starts: watchlisted wallets, safe tokens, config, strategies."""
        stores = PostgresStores.open(self.pg_dsn, schema=SCHEMA)
        now = sim_now(self.sim)
        try:
            for wallet in wallets:
                seed_smart_wallet(stores, wallet, now)
            for mint in mints:
                seed_safe_token(stores, mint, now)
            for strategy in strategies:
                stores.exit_strategies.save(strategy)
            for path, value in (config or {}).items():
                stores.config.update(path, value, "e2e test")
        finally:
            stores.close()

    def record_unprocessed(self, signature: str, tx: Mapping[str, Any]) -> None:
        """What a crash between the commit and the hand-off leaves: the row, unprocessed."""
        stores = PostgresStores.open(self.pg_dsn, schema=SCHEMA)
        try:
            store = PostgresWebhookEventStore(stores.webhook_events)
            assert store.record_new(signature, tx, sim_now(self.sim))
        finally:
            stores.close()

    def process(
        self,
        *,
        signal_actors: SignalActors | None = None,
        trading_actors: TradingActors | None = None,
    ) -> AbstractContextManager[Process]:
        """WallTrack on these stores (a second call: a restarted process, same data)."""
        return running_process(
            self.sim,
            self.pg_dsn,
            self.graph,
            self.graph_database,
            self.data_dir,
            signal_actors=signal_actors,
            trading_actors=trading_actors,
        )


def market_of(sim: SimulationThread, process: Process) -> Market:
    """The trading tests' market mover, pricing through the process's own Jupiter client."""
    wiring = process.wiring
    prices = QuotePrices(wiring.trading.jupiter, wiring.trading.runner)
    return Market(sim=sim, prices=prices)
