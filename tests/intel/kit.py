"""The intelligence jobs against a still simulated world and a real PostgreSQL.

Why a kit: every test wants the same thing: the simulator's venues reached through the
production clients (only the rate limits opened, so a scan of thousands of transactions
does not wait on Helius's 10 req/s), the jobs built exactly as the tree builds them, the
world's clock as the jobs' clock, and every event the jobs publish kept for assertions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.integration.pg_fixtures import PG_SCHEMA
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.intel.jobs import IntelJobs, build_jobs
from walltrack.adapters.intel.venues import WebhookTarget
from walltrack.adapters.postgres.database import Database
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.eval.world import sim_intel_venues
from walltrack.sim.harness import SimConfig, Simulation, start_simulation

HOOK_URL = "http://127.0.0.1:9/hooks/helius"
QUIET: dict[str, Any] = {
    "webhook_delay_s": (0.0, 0.0),
    "webhook_retry_interval_s": 0.0,
    "webhook_duplicate_rate": 0.0,
}


def still(seed: int = 5, warmup_s: float = 2400.0, **overrides: Any) -> SimConfig:
    """A world that moves only when a test advances it, with `warmup_s` of history."""
    settings: dict[str, Any] = {"seed": seed, "autorun": False, "warmup_s": warmup_s, **QUIET}
    settings.update(overrides)
    return SimConfig(**settings)


@dataclass(slots=True)
class World:
    """One test's running world, database, clients and jobs."""

    sim: Simulation
    db: Database
    jobs: IntelJobs
    helius: HeliusClient
    events: list[Any] = field(default_factory=list)
    params: RuntimeParams = field(default_factory=default_params)
    offset_s: float = 0.0

    def now(self) -> datetime:
        """The world's time (plus any offset a test adds to look into the future)."""
        return self.sim.now() + timedelta(seconds=self.offset_s)

    def truth(self) -> dict[str, Any]:
        """The simulator's ground truth as of now."""
        return self.sim.ground_truth()

    def of_type(self, kind: type) -> list[Any]:
        """Published events of one type, in order."""
        return [e for e in self.events if isinstance(e, kind)]


@asynccontextmanager
async def intel_world(
    dsn: str,
    config: SimConfig | None = None,
    *,
    webhook: bool = True,
    tweak: Callable[[RuntimeParams], RuntimeParams] | None = None,
) -> AsyncIterator[World]:
    """Start the world and the jobs on a fresh database; stop everything after."""
    db = Database(dsn, schema=PG_SCHEMA, max_size=4, retry_backoff_s=0.01).open()
    try:
        async with (
            start_simulation(config or still()) as sim,
            httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http,
        ):
            helius, venues = sim_intel_venues(
                sim.endpoints,
                http,
                webhook=(lambda api: WebhookTarget(api=api, url=HOOK_URL, auth_header="Bearer t"))
                if webhook
                else None,
            )
            holder: list[World] = []
            params = tweak(default_params()) if tweak is not None else default_params()

            def publish(event: Any) -> None:
                holder[0].events.append(event)

            def now() -> datetime:
                return holder[0].now()

            jobs = build_jobs(
                db,
                venues,
                params=lambda: holder[0].params,
                now=now,
                publish=publish,
            )
            world = World(sim=sim, db=db, jobs=jobs, helius=helius, params=params)
            holder.append(world)
            yield world
    finally:
        db.close()
