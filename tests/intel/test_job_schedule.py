"""A job actor ticks itself on the interval its parameters give, read again at each tick,
and reports each scheduled run's progress on the bus."""

from __future__ import annotations

import threading
from typing import Any

from actors.intel_decay import DecayActor
from actors.intel_messages import INTEL_DECAY
from actors.runtime.bus import EventBus
from actors.runtime.registry import Registry
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from tests.integration.pg_fixtures import PG_SCHEMA
from tests.runtime.kit import running_tree
from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.intel.jobs import IntelJobs, IntelVenues, build_jobs
from walltrack.adapters.intel.venues import Publish
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.clock import LiveClock
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.params import default_params

NOWHERE = "http://127.0.0.1:9"  # never called: nothing is watched, so no history is read


def test_scheduled_runs_follow_the_interval(pg_dsn: str) -> None:
    stores = PostgresStores.open(pg_dsn, schema=PG_SCHEMA, migrate=False)
    venues = IntelVenues(
        feeds=DexScreenerClient(base_url=NOWHERE),
        history=HeliusClient(api_key="unused", base_url=NOWHERE),
        rpc=SolanaRpcClient([NOWHERE]),
    )
    registry = Registry()
    clock = LiveClock()
    services = TreeServices(
        registry=registry, bus=EventBus(registry), snapshots=stores.snapshots, clock=clock
    )
    finished: list[IntelJobProgressed] = []
    two_runs = threading.Event()
    asked: list[float] = []

    def listen(event: Any) -> None:
        if isinstance(event, IntelJobProgressed) and event.finished:
            finished.append(event)
            if len(finished) >= 2:
                two_runs.set()

    def every_s() -> float:
        asked.append(0.0)
        return 0.0  # as often as allowed (once a second)

    def build(publish: Publish) -> IntelJobs:
        return build_jobs(stores.db, venues, params=default_params, now=clock.now, publish=publish)

    services.bus.listen(listen)
    child = ChildSpec(
        name=INTEL_DECAY,
        start=lambda context: DecayActor.start(context, build, every_s=every_s),
    )
    try:
        with running_tree([child], services=services):
            assert two_runs.wait(timeout=30)
    finally:
        stores.close()
    assert [e.job for e in finished[:2]] == ["decay", "decay"]
    assert dict(finished[0].summary)["checked"] == 0
    assert len(asked) >= 2  # the interval is read again before every tick
