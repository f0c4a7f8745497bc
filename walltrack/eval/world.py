"""A fresh world for `walltrack eval`: the simulator, embedded PostgreSQL and graph, the jobs.

Why everything fresh and private: the scores must come from this seed alone, never from a
previous run's rows, so each evaluation gets its own temporary stores and a still world
(time moves only when the evaluation says) whose venues are reached through the
production clients, only with their rate limits opened.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.graph.embedded import EmbeddedGraphServer, GraphEndpoint
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.intel.jobs import IntelJobs, IntelVenues, build_jobs
from walltrack.adapters.intel.venues import WebhookTarget
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import prepare_schema
from walltrack.adapters.resilience import RateLimit, build_guard
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.sim.harness import SimConfig, SimEndpoints
from walltrack.sim.thread import SimulationThread

OPEN = RateLimit(limit=1_000_000, window_s=1.0)


def sim_intel_venues(
    ends: SimEndpoints,
    http: httpx.AsyncClient,
    *,
    webhook: Callable[[HeliusClient], WebhookTarget] | None = None,
) -> tuple[HeliusClient, IntelVenues]:
    """The intelligence jobs' venues at the simulator, unthrottled (its fakes have no
    quotas; the guards' jitter is seeded so runs repeat)."""
    helius = HeliusClient(
        api_key=ends.helius_api_key,
        base_url=ends.helius_base_url,
        client=http,
        guard=build_guard("helius", OPEN, rng=random.Random(1)),
    )
    venues = IntelVenues(
        feeds=DexScreenerClient(
            base_url=ends.dexscreener_base_url,
            client=http,
            guard=build_guard("dexscreener", OPEN, rng=random.Random(2)),
        ),
        history=helius,
        rpc=SolanaRpcClient(ends.rpc_urls, client=http, rate_limit=OPEN),
        webhook=None if webhook is None else webhook(helius),
    )
    return helius, venues


SCHEMA = "walltrack_paper"


@dataclass(frozen=True, slots=True, kw_only=True)
class EvalStores:
    """The private stores of one evaluation."""

    dsn: str
    graph: GraphEndpoint


@contextmanager
def private_stores() -> Iterator[EvalStores]:
    """Embedded PostgreSQL (migrated) and graph servers in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="walltrack-eval-") as scratch:
        root = Path(scratch)
        postgres = EmbeddedPostgres(root / "pg")
        graph = EmbeddedGraphServer(root / "graph")
        try:
            dsn = postgres.start()
            prepare_schema(dsn, SCHEMA)
            endpoint = graph.start()
            yield EvalStores(dsn=dsn, graph=endpoint)
        finally:
            graph.stop()
            postgres.stop()


def still_world(seed: int, warmup_s: float) -> SimConfig:
    """A world with `warmup_s` of history that stays still, webhooks quiet."""
    return SimConfig(
        seed=seed,
        speed=None,
        autorun=False,
        warmup_s=warmup_s,
        retention_s=None,
        webhook_delay_s=(0.0, 0.0),
        webhook_retry_interval_s=0.0,
        webhook_duplicate_rate=0.0,
    )


@dataclass(slots=True)
class EvalWorld:
    """What one evaluation runs against."""

    sim: SimulationThread
    db: Database
    graph: GraphRepository
    jobs: IntelJobs
    helius: HeliusClient
    params: RuntimeParams

    def now(self) -> datetime:
        """The world's time (it stands still unless advanced)."""
        return self.sim.call(lambda s: s.now())

    def truth(self) -> dict[str, Any]:
        """The simulator's ground truth."""
        return self.sim.call(lambda s: s.ground_truth())


@asynccontextmanager
async def eval_world(
    sim: SimulationThread, stores: EvalStores, params: RuntimeParams | None = None
) -> AsyncIterator[EvalWorld]:
    """Clients on the world's venues and the intelligence jobs on the private stores."""
    db = Database(stores.dsn, schema=SCHEMA, max_size=4).open()
    end = stores.graph
    graph = GraphRepository.open(end.uri, end.user, end.password, end.database)
    in_force = params or default_params()
    started = sim.call(lambda s: s.now())
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0)) as http:
            helius, venues = sim_intel_venues(sim.endpoints, http)
            jobs = build_jobs(db, venues, params=lambda: in_force, now=lambda: started)
            yield EvalWorld(sim=sim, db=db, graph=graph, jobs=jobs, helius=helius, params=in_force)
    finally:
        graph.close()
        db.close()
