"""The IntelSupervisor's job actors in a tree, on the simulator and a real PostgreSQL:
found wallets go from discovery to profiling to the ingress's routing, operator actions
and the wallet actors' decay verdicts move the lifecycle, runs report progress."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest

from actors.ingress import IngressActor
from actors.intel_messages import (
    INTEL_DECAY,
    INTEL_PROFILING,
    INTEL_TOKENS,
    INTEL_WALLETS,
    BlacklistWallet,
    DiscoverTokens,
    DiscoverWallets,
)
from actors.names import INGRESS, WALLETS
from actors.pipeline_messages import GetStats
from actors.runtime.base import SupervisedActor
from actors.runtime.bus import EventBus
from actors.runtime.registry import Registry
from supervisors.dynamic import DynamicSpec, dynamic_child
from supervisors.intel_tree import IntelPorts, IntelTiming, intel_children
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from tests.integration.pg_fixtures import PG_SCHEMA
from tests.intel.kit import HOOK_URL, still
from tests.intel.test_profiling_lifecycle import relaxed
from tests.runtime.kit import running_tree
from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.intel.jobs import IntelVenues
from walltrack.adapters.intel.venues import WebhookTarget
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.resilience import build_guard
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.clock import ManualClock
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.messages.wallets import WalletDecayChanged
from walltrack.domain.params import default_params
from walltrack.domain.records.wallets import DecayStatus, WalletStatus
from walltrack.eval.world import OPEN
from walltrack.sim.thread import SimulationThread


class WalletStub(SupervisedActor):
    """Stands in for a wallet actor: the ingress only needs the name to exist."""

    def handle(self, message: Any) -> Any:
        return None


@dataclass
class Tree:
    runtime: TreeRuntime
    stores: PostgresStores
    sim: SimulationThread
    events: list[Any]

    def ask(self, name: str, message: Any) -> Any:
        return self.runtime.services.registry.ask(name, message, timeout=300)


@contextmanager
def venue_loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


@contextmanager
def intel_tree(dsn: str) -> Iterator[Tree]:
    stores = PostgresStores.open(dsn, schema=PG_SCHEMA, migrate=False)
    with SimulationThread(still(warmup_s=1800.0)) as sim, venue_loop() as loop:
        ends = sim.endpoints
        http = httpx.AsyncClient(timeout=httpx.Timeout(10.0))
        helius = HeliusClient(
            api_key=ends.helius_api_key,
            base_url=ends.helius_base_url,
            client=http,
            guard=build_guard("helius", OPEN),
        )
        venues = IntelVenues(
            feeds=DexScreenerClient(
                base_url=ends.dexscreener_base_url, client=http, guard=build_guard("dex", OPEN)
            ),
            history=helius,
            rpc=SolanaRpcClient(ends.rpc_urls, client=http, rate_limit=OPEN),
            webhook=WebhookTarget(api=helius, url=HOOK_URL),
        )
        clock = ManualClock(sim.call(lambda s: s.now()))
        registry = Registry()
        services = TreeServices(
            registry=registry, bus=EventBus(registry), snapshots=stores.snapshots, clock=clock
        )
        events: list[Any] = []
        services.bus.listen(events.append)
        params = relaxed(default_params())
        ports = IntelPorts(
            database=lambda: stores.db,
            venues=lambda: venues,
            params=lambda: params,
            venue_loop=loop,
        )
        wallets = DynamicSpec(
            template=lambda name: ChildSpec(name=name, start=WalletStub.start),
            passivate_after_s=None,
        )
        children = [
            dynamic_child(WALLETS, services, wallets),
            ChildSpec(name=INGRESS, start=lambda context: IngressActor.start(context, list)),
            *intel_children(services, ports, IntelTiming(scheduled=False)),
        ]
        try:
            with running_tree(children, services=services) as runtime:
                yield Tree(runtime, stores, sim, events)
        finally:
            asyncio.run_coroutine_threadsafe(http.aclose(), loop).result(10)
            stores.close()


@pytest.mark.timeout(600)
def test_found_wallets_flow_from_discovery_to_the_ingress(pg_dsn: str) -> None:
    with intel_tree(pg_dsn) as tree:
        tokens = tree.ask(INTEL_TOKENS, DiscoverTokens())
        assert tokens["stored"] > 0
        found = tree.ask(INTEL_WALLETS, DiscoverWallets())  # what the schedule sends
        assert found["found"]
        tree.ask(INTEL_PROFILING, GetStats())  # the profiling it was handed is done
        watched = {r.address for r in tree.stores.wallets.by_status(WalletStatus.WATCHLISTED)}
        assert watched, tree.stores.wallets.count_by_status()
        assert watched <= set(found["found"])
        assert tree.ask(INGRESS, GetStats())["tracked"] == len(watched)
        hooks = tree.sim.call(lambda s: [h.addresses for h in s.webhooks.hooks.values()])
        assert {a for addresses in hooks for a in addresses} == watched
        jobs = [e.job for e in tree.events if isinstance(e, IntelJobProgressed) and e.finished]
        assert jobs == ["tokens", "tokens", "wallets", "profiling"]
        wallet = sorted(watched)[0]
        at = datetime.now(UTC)
        tree.runtime.services.bus.publish(
            WalletDecayChanged(
                correlation_id=uuid4(),
                ts_event=at,
                ts_init=at,
                wallet=wallet,
                old_status=DecayStatus.OK,
                new_status=DecayStatus.DOWNGRADED,
                reason="3 losses in a row",
                score_multiplier=0.95,
            )
        )
        tree.ask(INTEL_DECAY, GetStats())
        record = tree.stores.wallets.get(wallet)
        assert record is not None
        assert record.status is WalletStatus.FLAGGED
        assert tree.ask(INGRESS, GetStats())["tracked"] == len(watched)  # flagged: still routed
        assert tree.ask(INTEL_PROFILING, BlacklistWallet(wallet, "operator")) is True
        assert tree.ask(INGRESS, GetStats())["tracked"] == len(watched) - 1
        hooks = tree.sim.call(lambda s: [h.addresses for h in s.webhooks.hooks.values()])
        assert wallet not in {a for addresses in hooks for a in addresses}
