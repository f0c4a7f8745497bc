"""The IntelSupervisor: token discovery, wallet discovery, profiling and decay job actors.

Why its own supervisor (one_for_one): the jobs are independent (each reads and writes the
stores on its own schedule); one crashing, e.g. on a store restart, must not stop the
others, and none of them is on the trading path. Schedules come from the runtime
parameters, read at every tick: token discovery every `tokens.discovery_every_minutes`
(then the due surveillance refreshes), wallet discovery every `discovery.every_minutes`,
re-profiling every `profiling.reprofile_every_hours`, decay every
`decay.check_every_hours`. `supervisors/wiring.py` places it in the process tree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pykka

from actors.intel_clusters import INTEL_CLUSTERS, ClusterRebuildActor
from actors.intel_decay import DecayActor
from actors.intel_job import IntelJobActor, Interval
from actors.intel_messages import INTEL, INTEL_DECAY, INTEL_PROFILING, INTEL_TOKENS, INTEL_WALLETS
from actors.intel_profiling import ProfilingActor
from actors.intel_tokens import TokenDiscoveryActor
from actors.intel_wallets import WalletDiscoveryActor
from actors.runtime.base import ActorContext
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec, Intensity, Strategy
from supervisors.supervisor import SupervisorSpec, supervisor_child
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.intel.cluster_history import ClusterHistory, TransactionHistory
from walltrack.adapters.intel.cluster_rebuild import ClusterRebuild
from walltrack.adapters.intel.cluster_store import ClusterStore
from walltrack.adapters.intel.jobs import IntelJobs, IntelVenues, build_jobs
from walltrack.adapters.intel.venues import Publish
from walltrack.adapters.intel.wallet_discovery import ScanCache
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.params import RuntimeParams
from walltrack.domain.records.wallets import WalletStatus

REBUILD_EVERY_S = 4 * 3600.0
MAX_SEEDS = 5_000
"""Watchlisted wallets a rebuild starts from at most."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IntelPorts:
    """What the job actors need, as factories called when each actor (re)starts.

    `venues` is called once per actor incarnation; without a shared `venue_loop` each
    actor runs its own loop, so the factory must then return clients of their own.
    """

    database: Callable[[], Database]
    venues: Callable[[], IntelVenues]
    params: Callable[[], RuntimeParams]
    venue_loop: asyncio.AbstractEventLoop | None = None
    cache: ScanCache = field(default_factory=ScanCache)
    scan_missing: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class IntelTiming:
    """Whether the schedules run (tests drive the actors by messages) and run limits."""

    scheduled: bool = True
    run_timeout_s: float = 3600.0


def _minutes(value: Callable[[], int]) -> Interval:
    return lambda: value() * 60.0


def intel_children(
    services: TreeServices,
    ports: IntelPorts,
    timing: IntelTiming | None = None,
    extra: Sequence[ChildSpec] = (),
) -> list[ChildSpec]:
    """One child: the IntelSupervisor with its four job actors and `extra` ones (the
    cluster rebuild, which needs the graph and Helius)."""
    timing = timing or IntelTiming()
    params = ports.params

    def build(publish: Publish) -> IntelJobs:
        return build_jobs(
            ports.database(),
            ports.venues(),
            params=params,
            now=services.clock.now,
            publish=publish,
            scan_missing=ports.scan_missing,
            cache=ports.cache,
        )

    def child(name: str, kind: type[IntelJobActor], every: Interval) -> ChildSpec:
        return ChildSpec(
            name=name,
            start=lambda context: kind.start(
                context,
                build,
                every_s=every if timing.scheduled else None,
                loop=ports.venue_loop,
                timeout_s=timing.run_timeout_s,
            ),
        )

    tokens = _minutes(lambda: params().tokens.discovery_every_minutes)
    profiles = _minutes(lambda: params().profiling.reprofile_every_hours * 60)
    wallets = _minutes(lambda: params().discovery.every_minutes)
    decay = _minutes(lambda: params().decay.check_every_hours * 60)
    spec = SupervisorSpec(
        strategy=Strategy.ONE_FOR_ONE,
        intensity=Intensity(max_restarts=10, window_s=60.0),
        children=[
            child(INTEL_TOKENS, TokenDiscoveryActor, tokens),
            child(INTEL_PROFILING, ProfilingActor, profiles),
            child(INTEL_WALLETS, WalletDiscoveryActor, wallets),
            child(INTEL_DECAY, DecayActor, decay),
            *extra,
        ],
    )
    return [supervisor_child(INTEL, services, spec)]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterRebuildPorts:
    """The cluster rebuild's stores and history source, as factories (actor restarts)."""

    graph: Callable[[], GraphRepository]
    wallets: Callable[[], WalletRepository]
    params: Callable[[], RuntimeParams]
    history: TransactionHistory
    venue_loop: asyncio.AbstractEventLoop | None = None


def cluster_rebuild_child(
    services: TreeServices, ports: ClusterRebuildPorts, timing: IntelTiming | None = None
) -> ChildSpec:
    """The ClusterRebuildActor: the watchlist's networks walked, clusters recomputed, and
    the ClusterActor told to reload, every four hours (and on RunClusterRebuild)."""
    timing = timing or IntelTiming()

    def win_rates(members: frozenset[str]) -> Mapping[str, float]:
        wallets = ports.wallets()
        found = {member: wallets.get(member) for member in members}
        return {m: r.profile.win_rate for m, r in found.items() if r is not None}

    def watched() -> list[str]:
        wallets = ports.wallets()
        return [w.address for w in wallets.by_status(WalletStatus.WATCHLISTED, limit=MAX_SEEDS)]

    def start(context: ActorContext) -> pykka.ActorRef[Any]:
        params = ports.params
        rebuild = ClusterRebuild(
            ClusterStore(ports.graph()),
            params=lambda: params().clusters,
            win_rates=win_rates,
            now=services.clock.now,
        )
        return ClusterRebuildActor.start(
            context,
            rebuild,
            watched,
            history=ClusterHistory(ports.history, params().clusters),
            loop=ports.venue_loop,
            every_s=REBUILD_EVERY_S if timing.scheduled else None,
            timeout_s=timing.run_timeout_s,
        )

    return ChildSpec(name=INTEL_CLUSTERS, start=start)
