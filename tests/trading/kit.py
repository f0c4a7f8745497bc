"""The trading subtree against the simulator's fake Jupiter and a real PostgreSQL.

Synchronisation is by asks (FIFO per actor: a reply proves what was queued before it was
handled) and by waiting on published events; time is a ManualClock the test advances for
the 3 s paper latency and the retry backoff.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from actors.names import CIRCUIT_BREAKER, EXIT_WATCHER, POSITIONS, wallet_actor
from actors.price_feed import PriceFeed
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.protocol import Ping
from actors.trading_deps import TradingDeps
from actors.trading_protocol import Inspect, Tick
from supervisors.runtime import TreeRuntime
from supervisors.specs import ChildSpec, Intensity, Strategy
from supervisors.supervisor import SupervisorSpec
from supervisors.trading_tree import TRADING_ROUTES, trading_children
from tests.runtime.kit import make_services
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.execution.paper import PaperExecution
from walltrack.adapters.execution.prices import QuotePrices
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.signals import SignalRepository
from walltrack.adapters.postgres.trade_records import PostgresTradeRecords
from walltrack.adapters.resilience import RateLimit
from walltrack.clock import ManualClock
from walltrack.domain.exits import PRESETS_BY_NAME
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.wallets import TradeClosedFeedback
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records.signals import SignalDecision
from walltrack.domain.scoring import (
    ContextInputs,
    SignalInputs,
    TokenFactorInputs,
    WalletFactorInputs,
    score_signal,
)
from walltrack.domain.scoring.cluster_factor import ClusterSignalContext
from walltrack.execution_ports import Execution
from walltrack.ports import SnapshotStore
from walltrack.sim.thread import SimulationThread
from walltrack.sim.tokens import SimToken

SOL = 1_000_000_000
START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SMART = "SmartWa11et1111111111111111111111111111111"


class Events:
    """Every event the bus published, and a wait on a condition over them."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._changed = threading.Condition()

    def __call__(self, event: Any) -> None:
        with self._changed:
            self.items.append(event)
            self._changed.notify_all()

    def of[T](self, kind: type[T]) -> list[T]:
        with self._changed:
            return [e for e in self.items if isinstance(e, kind)]

    def wait_for[T](self, kind: type[T], count: int = 1, timeout: float = 20) -> list[T]:
        with self._changed:
            ok = self._changed.wait_for(
                lambda: sum(isinstance(e, kind) for e in self.items) >= count, timeout
            )
        found = self.of(kind)
        seen = [type(e).__name__ for e in self.items]
        assert ok, f"{kind.__name__} x{count} never published; got {len(found)}; saw {seen}"
        return found


class FeedbackSink(SupervisedActor):
    """Stands in for the source wallet's actor: keeps the feedback it is told."""

    def __init__(self, context: ActorContext, received: list[TradeClosedFeedback]) -> None:
        super().__init__(context)
        self.received = received

    def handle(self, message: Any) -> Any:
        if isinstance(message, TradeClosedFeedback):
            self.received.append(message)
        return list(self.received) if message == "feedback" else None


def scored_signal(mint: str, *, score: float = 0.7, wallet: str = SMART) -> SignalScored:
    """A traded signal scored by the domain's own scorer (score pinned for the strategy)."""
    inputs = SignalInputs(
        wallet=WalletFactorInputs(
            win_rate=0.8,
            total_pnl_lamports=8 * SOL,
            timing_percentile=0.1,
            consistency=0.8,
            trade_count=30,
        ),
        cluster=ClusterSignalContext(),
        token=TokenFactorInputs(
            liquidity_usd=Decimal(80_000),
            market_cap_usd=Decimal(400_000),
            holder_count=900,
            top10_share=0.25,
            volume_24h_usd=Decimal(150_000),
            launched_at=START - timedelta(hours=3),
            mint_authority_revoked=True,
            freeze_authority_revoked=True,
        ),
        context=ContextInputs(recent_trade_count=25, volatility=0.2, other_tracked_wallets=1),
    )
    result = score_signal(inputs, default_params(), START)
    result = dataclasses.replace(
        result, score=score, decision=SignalDecision.TRADE, skip_reason=None, size_multiplier=1.0
    )
    return SignalScored(
        correlation_id=uuid.uuid4(),
        ts_event=START,
        ts_init=START,
        signal_id=uuid.uuid4(),
        wallet=wallet,
        token_mint=mint,
        swap_signature=f"sig-{uuid.uuid4()}",
        amount_lamports=2 * SOL,
        cluster_id=None,
        result=result,
    )


def persisted(db: Database, signal: SignalScored) -> SignalScored:
    """The signal as the scorer leaves it: stored in the signals table."""
    SignalRepository(db).insert(signal.to_record())
    return signal


def paper_execution(
    starting_lamports: int = 10 * SOL,
) -> Callable[[JupiterClient, AsyncRunner], Execution]:
    """Paper execution with the default latency and slippage model."""

    def build(jupiter: JupiterClient, runner: AsyncRunner) -> Execution:
        return PaperExecution(jupiter, runner, starting_lamports=starting_lamports)

    return build


def command_fields() -> dict[str, Any]:
    """correlation id and timestamps of an operator command."""
    return {"correlation_id": uuid.uuid4(), "ts_event": START, "ts_init": START}


@dataclass
class Market:
    """The simulator's market, moved by a trader of its own (quotes follow)."""

    sim: SimulationThread
    prices: QuotePrices
    trader_tokens: dict[str, int] = field(default_factory=dict)
    most_held: dict[str, int] = field(default_factory=dict)

    def mints(self, count: int) -> list[str]:
        """`count` tradable tokens, newest first."""
        tokens = self.sim.call(lambda s: list(s.world.market.token_list))
        return [t.mint for t in reversed(tokens)][:count]

    def curve_token(self, index: int = 0) -> SimToken:
        tokens = self.sim.call(lambda s: [t for t in s.world.market.token_list if t.pool is None])
        return list(reversed(tokens))[index]

    def price(self, mint: str) -> Decimal:
        return self.prices.prices_sol([(mint, 6)])[mint]

    def trade(self, mint: str, *, buy_sol: int = 0, sell_share: Decimal = Decimal(0)) -> None:
        def act(sim: Any) -> None:
            market, wallet = sim.world.market, sim.world.keys.wallet("trader", 7)
            if buy_sol:
                market.ledger.credit(wallet, buy_sol * SOL + SOL)
                event = market.buy(sim.world.now, wallet, mint, buy_sol * SOL, priority_fee=0)
                if event is not None:
                    held = self.trader_tokens.get(mint, 0) + event.tokens
                    self.trader_tokens[mint] = held
                    self.most_held[mint] = max(held, self.most_held.get(mint, 0))
            if sell_share:
                held = self.trader_tokens.get(mint, 0)
                tokens = min(held, int(self.most_held.get(mint, 0) * sell_share))
                if tokens and market.sell(sim.world.now, wallet, mint, tokens, priority_fee=0):
                    self.trader_tokens[mint] = held - tokens

        self.sim.call(act)

    def push_until(self, mint: str, done: Callable[[Decimal], bool], *, up: bool) -> Decimal:
        """Buy (or sell) in steps until `done(price)`; the price reached."""
        for _ in range(150):
            price = self.price(mint)
            if done(price):
                return price
            if up:
                self.trade(mint, buy_sol=3)
            else:
                self.trade(mint, sell_share=Decimal("0.02"))
        msg = f"price never reached the target (at {self.price(mint)})"
        raise AssertionError(msg)


@dataclass
class Trading:
    """A running trading subtree and everything a test needs to drive it."""

    runtime: TreeRuntime
    clock: ManualClock
    events: Events
    feed: PriceFeed
    records: PostgresTradeRecords
    execution: Execution
    feedback: list[TradeClosedFeedback]
    worker: ThreadPoolExecutor

    def ask(self, name: str, message: Any) -> Any:
        return self.runtime.services.registry.ask(name, message, timeout=20)

    def tell(self, name: str, message: Any) -> None:
        self.runtime.services.registry.tell(name, message)

    def positions(self) -> Mapping[str, Any]:
        state: Mapping[str, Any] = self.ask(POSITIONS, Inspect())
        return state

    def pass_time(self, seconds: float) -> None:
        """Move the clock and let the position actor run what became due."""
        self.ask(EXIT_WATCHER, Ping())  # its ExitTriggered are queued before the tick
        self.ask(POSITIONS, Ping())  # what was told before is handled at the old time
        self.clock.advance(seconds)
        self.tell(POSITIONS, Tick())
        self.ask(POSITIONS, Ping())

    def control(self, command: Any) -> None:
        """An operator command through the root's routes, handled by its owner."""
        self.runtime.control(command)
        self.ask("root", Ping())
        self.settle()

    def settle(self) -> None:
        """Every event published so far has been handled by the trading actors."""
        self.ask(CIRCUIT_BREAKER, Ping())
        self.ask(EXIT_WATCHER, Ping())
        self.ask(POSITIONS, Ping())

    def poll_prices(self) -> None:
        """One round of the price feed, handled by the watcher."""
        self.settle()  # positions opened so far are watched
        self.feed.poll_once()
        self.ask(EXIT_WATCHER, Ping())
        self.ask(POSITIONS, Ping())

    def breaker(self) -> Mapping[str, Any]:
        state: Mapping[str, Any] = self.ask(CIRCUIT_BREAKER, Inspect())
        return state


@contextmanager
def running_trading(
    sim: SimulationThread,
    db: Database,
    execution_factory: Callable[[JupiterClient, AsyncRunner], Execution],
    *,
    params: RuntimeParams | None = None,
    reconcile_on_start: bool = False,
    records: PostgresTradeRecords | None = None,
    feed_type: type[PriceFeed] = PriceFeed,
    strategies: Mapping[str, ExitStrategy] | None = None,
    snapshots: SnapshotStore | None = None,
) -> Iterator[tuple[Trading, Market]]:
    """The circuit breaker and TradingSupervisor under a root, with a feedback sink."""
    clock = ManualClock(START)
    services = make_services(clock)
    if snapshots is not None:  # a process restart: the same durable snapshots
        services = dataclasses.replace(services, snapshots=snapshots)
    events = Events()
    services.bus.listen(events)
    runner = AsyncRunner()
    jupiter = JupiterClient(
        base_url=sim.endpoints.jupiter_base_url,
        api_key="sim-jupiter-key",
        rate_limit=RateLimit(limit=1_000_000, window_s=1.0),  # the fake venue has no limit
    )
    prices = QuotePrices(jupiter, runner)
    feed = feed_type(prices, services.registry, clock, source="sim")
    records = records or PostgresTradeRecords(db)
    execution = execution_factory(jupiter, runner)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="orders")
    deps = TradingDeps(
        execution=execution,
        records=records,
        worker=worker,
        feed=feed,
        params=params or default_params(),
        reconcile_on_start=reconcile_on_start,
        strategies=strategies or dict(PRESETS_BY_NAME),
    )
    feedback: list[TradeClosedFeedback] = []
    children = [
        ChildSpec(
            name=wallet_actor(SMART), start=lambda context: FeedbackSink.start(context, feedback)
        ),
        *trading_children(services, deps),
    ]
    spec = SupervisorSpec(
        strategy=Strategy.ONE_FOR_ONE,
        intensity=Intensity(max_restarts=20, window_s=60),
        children=children,
    )
    runtime = TreeRuntime(services, spec, TRADING_ROUTES)
    runtime.start()
    try:
        yield (
            Trading(runtime, clock, events, feed, records, execution, feedback, worker),
            Market(sim, prices),
        )
    finally:
        runtime.shutdown(timeout=30)
        worker.shutdown(wait=True)
        runner.run(jupiter.aclose, 5)
        runner.close()
