"""The signal path of the tree: scorer, cluster, the wallets' dynamic supervisor, ingress.

Why a function of injected ports: `supervisors/wiring.py` chooses the stores and venues by
mode and places these children (after the stores and the trading supervisor, per
DESIGN.md §3); tests build the same children on a real PostgreSQL and graph. The ports
are factories, called when each actor starts, so an actor restarted after the stores
reconnected picks up the new connections.

Order matters (children start in order and stop in reverse): the scorer first, so the
cluster actor can push its clusters to it at start; then the wallets supervisor, then the
ingress that routes to the wallets; the backfill last, since it feeds the ingress.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from actors.backfill import BackfillActor
from actors.cluster import ClusterActor
from actors.ingress import IngressActor
from actors.names import BACKFILL, CLUSTER, INGRESS, POSITIONS, SCORER, WALLETS
from actors.scorer import ScorerActor
from actors.wallet import WalletActor
from supervisors.dynamic import DynamicSpec, dynamic_child
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from walltrack.domain.params import RuntimeParams
from walltrack.pipeline_ports import (
    BuyGraph,
    ClusterSource,
    RecentSwaps,
    SignalSink,
    TokenFacts,
    WalletDirectory,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalPorts:
    """What the signal path needs from the outside, each as a factory."""

    wallets: Callable[[], WalletDirectory]
    signals: Callable[[], SignalSink]
    tokens: Callable[[], TokenFacts]
    graph: Callable[[], BuyGraph]
    clusters: Callable[[], ClusterSource]
    tracked: Callable[[], Iterable[str]]
    """Addresses to route (watchlisted wallets); read when the ingress starts."""
    resident: Callable[[], Iterable[str]] | None = None
    """Tracked addresses whose actors stay active (the watchlist proper); at start too."""
    params: Callable[[], RuntimeParams]
    """The parameters in force (e.g. StoreHandles.params); later changes arrive as events."""
    recent_swaps: Callable[[], RecentSwaps] | None = None
    active_wallets: Callable[[], Iterable[str]] | None = None
    """Wallets the backfill polls (default: every tracked wallet)."""
    venue_loop: asyncio.AbstractEventLoop | None = None
    tracked_mirror: set[str] | None = None
    """Kept equal to the ingress's tracked set (the webhook classifies against it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalTiming:
    """Timers of the signal path (None disables a timer: tests drive it by messages)."""

    passivate_after_s: float | None = 300.0
    graph_flush_every_s: float | None = 1.0
    backfill_every_s: float | None = 30.0
    token_ttl_s: float = 60.0
    scorer_snapshot_every_s: float = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalActors:
    """The actor classes (tests substitute subclasses that inject crashes)."""

    wallet: type[WalletActor] = WalletActor
    scorer: type[ScorerActor] = ScorerActor


def signal_children(
    services: TreeServices,
    ports: SignalPorts,
    timing: SignalTiming | None = None,
    *,
    positions: str | None = POSITIONS,
    actors: SignalActors | None = None,
    before_ingress: Sequence[ChildSpec] = (),
) -> list[ChildSpec]:
    """Child specs for scorer, cluster, wallets (dynamic), `before_ingress` (the
    IntelSupervisor, DESIGN.md §3), ingress and, if given, backfill."""
    timing = timing or SignalTiming()
    kinds = actors or SignalActors()
    wallets = DynamicSpec(
        template=lambda name: ChildSpec(
            name=name,
            start=lambda context: kinds.wallet.start(context, ports.wallets(), ports.params),
        ),
        passivate_after_s=timing.passivate_after_s,
    )
    children = [
        ChildSpec(
            name=SCORER,
            start=lambda context: kinds.scorer.start(
                context,
                ports.signals(),
                ports.tokens(),
                ports.params(),
                positions=positions,
                token_ttl_s=timing.token_ttl_s,
                snapshot_every_s=timing.scorer_snapshot_every_s,
            ),
        ),
        ChildSpec(
            name=CLUSTER,
            start=lambda context: ClusterActor.start(
                context,
                ports.graph(),
                ports.clusters(),
                ports.params(),
                flush_every_s=timing.graph_flush_every_s,
            ),
        ),
        dynamic_child(WALLETS, services, wallets),
        *before_ingress,
        ChildSpec(
            name=INGRESS,
            start=lambda context: IngressActor.start(
                context, ports.tracked, mirror=ports.tracked_mirror, resident=ports.resident
            ),
        ),
    ]
    recent = ports.recent_swaps
    if recent is not None:
        children.append(
            ChildSpec(
                name=BACKFILL,
                start=lambda context: BackfillActor.start(
                    context,
                    recent(),
                    ports.active_wallets or ports.tracked,
                    loop=ports.venue_loop,
                    every_s=timing.backfill_every_s,
                ),
            )
        )
    return children
