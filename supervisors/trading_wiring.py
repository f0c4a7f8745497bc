"""Builds the trading subtree's ports for a mode: paper or live, against configured venues.

Why here and not in the actors: the mode decides the adapters (paper ledger or keypair
and RPC), and nothing else may choose them (DESIGN.md §3). The entry point adds
`children()` to its root spec, merges `TRADING_ROUTES`, calls `start()` once the tree is
up (the pacer: price polls and ticks) and `close()` after the tree stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from actors.price_feed import PriceFeed, TradingPacer
from actors.trading_deps import TradingDeps
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from supervisors.trading_tree import TradingActors, trading_children
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.execution.live import LiveExecution
from walltrack.adapters.execution.paper import PAPER_LATENCY_S, PaperExecution
from walltrack.adapters.execution.prices import QuotePrices
from walltrack.adapters.jupiter import DEFAULT_JUPITER_RATE_LIMIT, JupiterClient
from walltrack.adapters.jupiter_execution import KEYPAIR_VARIABLE, keypair_from_secret
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.trade_records import PostgresTradeRecords
from walltrack.adapters.resilience import RateLimit
from walltrack.adapters.resilience.metrics import MetricsRegistry
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.errors import ConfigurationError
from walltrack.execution_ports import Execution

PAPER_STARTING_LAMPORTS = 10 * 1_000_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class TradingVenues:
    """Where the trading path trades: Jupiter always, RPC and a keypair in live mode."""

    jupiter_base_url: str
    jupiter_api_key: str | None = None
    jupiter_rate_limit: RateLimit | None = None
    rpc_urls: Sequence[str] = ()
    keypair_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TradingSources:
    """What the process shares with the trading path (all optional: tests pass none)."""

    runner: AsyncRunner | None = None
    """The process's venue loop (one loop for every venue client)."""
    metrics: MetricsRegistry | None = None
    params: Callable[[], RuntimeParams] | None = None
    strategies: Callable[[], Mapping[str, ExitStrategy]] | None = None


@dataclass(slots=True, kw_only=True)
class TradingWiring:
    """The trading ports of one process, their threads and how to release them."""

    deps: TradingDeps
    pacer: TradingPacer
    runner: AsyncRunner
    worker: ThreadPoolExecutor
    jupiter: JupiterClient

    def children(
        self, services: TreeServices, actors: TradingActors | None = None
    ) -> list[ChildSpec]:
        """CircuitBreakerActor and the TradingSupervisor."""
        return trading_children(services, self.deps, actors=actors)

    def start(self) -> None:
        """Start polling prices and ticking the trading actors."""
        self.pacer.start()

    def close(self) -> None:
        """Stop the pacer and the worker, release the venue clients."""
        self.pacer.stop()
        self.worker.shutdown(wait=True)
        self.runner.run(self.jupiter.aclose, 5.0)
        self.runner.close()


def wire_trading(
    services: TreeServices,
    database: Callable[[], Database],
    venues: TradingVenues,
    *,
    mode: str,
    params: RuntimeParams | None = None,
    paper_starting_lamports: int = PAPER_STARTING_LAMPORTS,
    paper_latency_s: float = PAPER_LATENCY_S,
    pace_s: float = 2.0,
    sources: TradingSources | None = None,
) -> TradingWiring:
    """The trading ports for `mode` ("paper" or "live")."""
    sources = sources or TradingSources()
    runner = sources.runner or AsyncRunner()
    jupiter = JupiterClient(
        base_url=venues.jupiter_base_url,
        api_key=venues.jupiter_api_key,
        rate_limit=venues.jupiter_rate_limit or DEFAULT_JUPITER_RATE_LIMIT,
        registry=sources.metrics,
    )
    records = PostgresTradeRecords(database)
    execution: Execution
    if mode == "live":
        if not venues.keypair_secret:
            raise ConfigurationError(KEYPAIR_VARIABLE, "live mode needs the trading keypair")
        if not venues.rpc_urls:
            raise ConfigurationError("WALLTRACK_RPC_URLS", "live mode needs an RPC URL")
        execution = LiveExecution(
            jupiter,
            SolanaRpcClient(list(venues.rpc_urls), registry=sources.metrics),
            keypair_from_secret(venues.keypair_secret),
            runner,
        )
    elif mode == "paper":
        execution = PaperExecution(
            jupiter,
            runner,
            starting_lamports=paper_starting_lamports,
            latency_s=paper_latency_s,
            restore=lambda: records.paper_balances(paper_starting_lamports),
        )
    else:
        raise ConfigurationError("WALLTRACK_MODE", f"no trading wiring for mode {mode!r}")
    feed = PriceFeed(QuotePrices(jupiter, runner), services.registry, services.clock, mode)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="orders")
    deps = TradingDeps(
        execution=execution,
        records=records,
        worker=worker,
        feed=feed,
        params=params or default_params(),
        reconcile_on_start=mode == "live",
        params_source=sources.params,
        strategies_source=sources.strategies,
    )
    return TradingWiring(
        deps=deps,
        pacer=TradingPacer(feed, services.registry, pace_s),
        runner=runner,
        worker=worker,
        jupiter=jupiter,
    )
