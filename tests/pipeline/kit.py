"""Builders for the signal-path tests: stores, seeded wallets and tokens, swaps, a tree.

Synchronisation is by asks only: a tell happens before the handler that made it returns,
and mailboxes are FIFO, so asking each stage in flow order (ingress, the wallet actors,
the scorer) returns after everything told before has been handled.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from actors.ingress_sink import IngressSink
from actors.names import EXIT_WATCHER, INGRESS, POSITIONS, SCORER, wallet_actor
from actors.pipeline_messages import GetStats
from actors.runtime.base import SupervisedActor
from actors.runtime.bus import EventBus
from actors.runtime.registry import Registry
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.signal_tree import SignalActors, SignalPorts, SignalTiming, signal_children
from supervisors.specs import ChildSpec
from tests.runtime.kit import running_tree
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.token_facts import StoredTokenFacts
from walltrack.clock import ManualClock
from walltrack.domain.clustering import Cluster, FirstBuy, SyncedBuy
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.messages.signals import SignalScored, SourceWalletSold
from walltrack.domain.messages.wallets import WalletStatusChanged
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.domain.records.signals import SignalRecord
from walltrack.domain.records.wallets import TokenRecord, WalletProfile, WalletStatus
from walltrack.domain.swap_types import Side, Swap
from walltrack.pipeline_ports import BuyGraph, RecentSwaps, SignalSink, TokenFacts

START = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
"""15:00 UTC: inside the active hours, so time of day is the same for every test."""
SCHEMA = "walltrack_paper"


class Positions(SupervisedActor):
    """Stands in for the PositionActor: keeps every SignalScored it is told (the traded)."""

    def __init__(self, context: Any, traded: list[SignalScored]) -> None:
        super().__init__(context)
        self._traded = traded

    def handle(self, message: Any) -> Any:
        if isinstance(message, SignalScored):
            self._traded.append(message)
        return None


def scored_listener(
    seen: list[SignalScored], changed: threading.Condition
) -> Callable[[Any], None]:
    """A bus listener keeping every SignalScored the scorer publishes, traded or not."""

    def listen(event: Any) -> None:
        if isinstance(event, SignalScored):
            with changed:
                seen.append(event)
                changed.notify_all()

    return listen


class ExitWatcher(SupervisedActor):
    """Stands in for the ExitWatcherActor: keeps the source wallets' sells."""

    def __init__(self, context: Any, sold: list[SourceWalletSold]) -> None:
        super().__init__(context)
        self._sold = sold

    def handle(self, message: Any) -> Any:
        if isinstance(message, SourceWalletSold):
            self._sold.append(message)
        return None


def status_changed(wallet: str, old: WalletStatus, new: WalletStatus) -> WalletStatusChanged:
    """The lifecycle's event for `wallet` moving from `old` to `new`."""
    return WalletStatusChanged(
        correlation_id=uuid4(),
        ts_event=START,
        ts_init=START,
        wallet=wallet,
        old_status=old,
        new_status=new,
        reason="test",
    )


@dataclass
class FixedClusters:
    """A ClusterSource holding clusters computed elsewhere (the rebuild job's output)."""

    clusters: tuple[Cluster, ...] = ()

    def load_clusters(self) -> tuple[Cluster, ...]:
        return self.clusters


@dataclass
class NoGraph:
    """A BuyGraph that keeps the batches it was given (for tests without a graph server)."""

    batches: list[tuple[int, int]] = field(default_factory=list)

    def record_buys(
        self, bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy]
    ) -> None:
        self.batches.append((len(bought), len(synced)))


def open_stores(dsn: str) -> PostgresStores:
    return PostgresStores.open(dsn, schema=SCHEMA, migrate=False)


def seed_wallet(
    stores: PostgresStores,
    address: str,
    *,
    score: float = 0.8,
    status: WalletStatus = WalletStatus.WATCHLISTED,
) -> None:
    """A profiled wallet in `status` with a good record."""
    wallets = stores.wallets
    wallets.add_discovered(address, at=START - timedelta(days=10))
    profile = WalletProfile(
        trade_count=40,
        win_rate=0.7,
        total_pnl_lamports=30 * 10**9,
        timing_percentile=0.1,
        consistency=0.8,
        score=score,
    )
    wallets.save_profile(address, profile, profiled_at=START - timedelta(days=1))
    wallets.set_status(address, WalletStatus.PROFILED, at=START - timedelta(days=1))
    if status is WalletStatus.FLAGGED:  # only a watchlisted wallet can be flagged
        wallets.set_status(address, WalletStatus.WATCHLISTED, at=START - timedelta(days=1))
    if status is not WalletStatus.PROFILED:
        wallets.set_status(address, status, at=START - timedelta(days=1))


def seed_token(stores: PostgresStores, mint: str) -> None:
    """A liquid, safe, week-old token."""
    stores.tokens.upsert(
        TokenRecord(
            mint=mint,
            discovered_at=START - timedelta(days=7),
            launched_at=START - timedelta(days=7),
            liquidity_usd=Decimal(40_000),
            market_cap_usd=Decimal(300_000),
            volume_24h_usd=Decimal(80_000),
            holder_count=800,
            top10_share=0.3,
            mint_authority_revoked=True,
            freeze_authority_revoked=True,
        )
    )


def swap(
    wallet: str,
    mint: str,
    *,
    at: datetime,
    side: Side = Side.BUY,
    lamports: int = 2 * 10**9,
    tokens: int = 1_000_000_000,
    signature: str | None = None,
) -> Swap:
    return Swap(
        wallet=wallet,
        side=side,
        token_mint=mint,
        token_amount=tokens,
        token_decimals=6,
        sol_lamports=lamports,
        network_fee_lamports=5000,
        venue="PUMP_AMM",
        signature=signature or f"sig-{uuid4().hex}",
        slot=1,
        timestamp=at,
        fee_payer=wallet,
    )


def observed(swap_: Swap) -> SwapObserved:
    return SwapObserved(
        correlation_id=uuid4(),
        ts_event=swap_.timestamp,
        ts_init=swap_.timestamp,
        wallet=swap_.wallet,
        swap=swap_,
        signature=swap_.signature,
        received_at=swap_.timestamp,
    )


@dataclass
class Pipeline:
    """A running signal path on real stores, with the positions stand-in."""

    runtime: TreeRuntime
    stores: PostgresStores
    clock: ManualClock
    told: list[SignalScored]
    """Every signal the scorer published (stored first), traded or skipped."""
    changed: threading.Condition
    sold: list[SourceWalletSold]
    traded: list[SignalScored]
    """What the positions stand-in was told: the traded signals only."""

    @property
    def registry(self) -> Registry:
        registry: Registry = self.runtime.services.registry
        return registry

    def submit(self, swap_: Swap) -> None:
        """What the webhook does: hand the swap to the ingress through the SwapSink."""
        IngressSink(self.registry).submit(observed(swap_))

    def ask(self, name: str, message: Any) -> Any:
        return self.registry.ask(name, message, timeout=20)

    def drain(self, wallets: Sequence[str]) -> dict[str, int]:
        """Wait until everything told so far went through ingress, wallets and scorer."""
        self.ask(INGRESS, GetStats())
        for wallet in wallets:
            self.ask(wallet_actor(wallet), GetStats())
        stats: dict[str, int] = self.ask(SCORER, GetStats())
        return stats

    def wait_told(self, count: int, timeout: float = 20) -> list[SignalScored]:
        """Block until the scorer published `count` signals (an event, no sleep)."""
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.told) >= count, timeout):
                msg = f"the scorer published {len(self.told)} signals, expected {count}"
                raise AssertionError(msg)
            return list(self.told)

    def signals(self) -> list[SignalRecord]:
        return self.stores.signals.recent(limit=10_000)


@contextmanager
def pipeline(
    dsn: str,
    *,
    tracked: Sequence[str],
    clusters: Sequence[Cluster] | FixedClusters = (),
    graph: BuyGraph | None = None,
    recent_swaps: RecentSwaps | None = None,
    actors: SignalActors | None = None,
    params: RuntimeParams | None = None,
    wrap_signals: Callable[[SignalSink], SignalSink] | None = None,
    venue_loop: asyncio.AbstractEventLoop | None = None,
    passivate_after_s: float | None = None,
    ports: Callable[[PostgresStores], SignalPorts] | None = None,
    graph_flush_every_s: float | None = None,
    tokens: Callable[[StoredTokenFacts], TokenFacts] | None = None,
) -> Iterator[Pipeline]:
    """The signal path under a one_for_one root, on PostgreSQL snapshots and a ManualClock."""
    stores = open_stores(dsn)
    clock = ManualClock(START + timedelta(hours=1))
    registry = Registry()
    services = TreeServices(
        registry=registry,
        bus=EventBus(registry),
        snapshots=stores.snapshots,
        clock=clock,
        poison_threshold=3,
        seed=1,
    )
    told: list[SignalScored] = []
    traded: list[SignalScored] = []
    sold: list[SourceWalletSold] = []
    changed = threading.Condition()
    services.bus.listen(scored_listener(told, changed))
    in_force = params or default_params()
    signal_ports = (
        ports(stores)
        if ports is not None
        else SignalPorts(
            wallets=lambda: stores.wallets,
            signals=lambda: (
                stores.signals if wrap_signals is None else wrap_signals(stores.signals)
            ),
            tokens=lambda: (
                StoredTokenFacts(stores.tokens)
                if tokens is None
                else tokens(StoredTokenFacts(stores.tokens))
            ),
            graph=lambda: graph or NoGraph(),
            clusters=lambda: (
                clusters if isinstance(clusters, FixedClusters) else FixedClusters(tuple(clusters))
            ),
            tracked=lambda: tuple(tracked),
            params=lambda: in_force,
            recent_swaps=None if recent_swaps is None else (lambda: recent_swaps),
            venue_loop=venue_loop,
        )
    )
    timing = SignalTiming(
        passivate_after_s=passivate_after_s,
        graph_flush_every_s=graph_flush_every_s,
        backfill_every_s=None,
        scorer_snapshot_every_s=0.0,  # every message: the crash tests count exact deliveries
    )
    children = [
        ChildSpec(name=POSITIONS, start=lambda context: Positions.start(context, traded)),
        ChildSpec(name=EXIT_WATCHER, start=lambda context: ExitWatcher.start(context, sold)),
        *signal_children(services, signal_ports, timing, actors=actors),
    ]
    try:
        with running_tree(children, services=services) as runtime:
            yield Pipeline(runtime, stores, clock, told, changed, sold, traded)
    finally:
        stores.close()
