"""The whole trading process on the stores: venues, trading subtree, signal path, webhook.

Why one place: `walltrack run`, `walltrack demo`, the end-to-end tests and the pipeline
benchmark must run the same tree the same way. Order of the root's children (DESIGN.md
§3; they start in order and stop in reverse): the StoresSupervisor, then the circuit
breaker and the trading supervisor (a signal must find the position actor ready), then
the signal path (scorer, cluster, wallets, ingress, backfill). Venue clients share one
asyncio loop (the trading runner's) and one metrics registry (/metrics).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from actors.ingress_sink import IngressSink
from supervisors.intel_tree import (
    ClusterRebuildPorts,
    IntelPorts,
    IntelTiming,
    cluster_rebuild_child,
    intel_children,
)
from supervisors.services import TreeServices
from supervisors.signal_ports import signal_ports
from supervisors.signal_tree import SignalActors, SignalTiming, signal_children
from supervisors.specs import ChildSpec
from supervisors.trading_tree import TRADING_ROUTES, TradingActors
from supervisors.trading_wiring import (
    PAPER_STARTING_LAMPORTS,
    TradingSources,
    TradingVenues,
    TradingWiring,
    wire_trading,
)
from supervisors.venue_clients import VenueClients, open_venue_clients, scaled
from supervisors.wiring import StoresPlan
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.execution.paper import PAPER_LATENCY_S
from walltrack.adapters.intel.jobs import IntelVenues
from walltrack.adapters.intel.venues import WebhookTarget
from walltrack.adapters.jupiter import DEFAULT_JUPITER_RATE_LIMIT
from walltrack.adapters.postgres.repositories.webhook_events import WebhookEventRepository
from walltrack.adapters.postgres.webhook_event_store import PostgresWebhookEventStore
from walltrack.adapters.resilience.metrics import MetricsRegistry
from walltrack.adapters.webhook.event_replay import ProcessedMarker, replay_unprocessed
from walltrack.adapters.webhook.helius_receiver import WebhookDependencies
from walltrack.config import Settings
from walltrack.domain.messages.base import Command
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.errors import StoreUnavailableError
from walltrack.logging import get_logger

_log = get_logger("pipeline")


class _GatedEventStore:
    """Refuses deliveries (503, Helius retries) until the tree is ready and replay is done.

    Why: an event recorded while the ingress does not exist yet would be classified
    against an empty tracked set and marked processed, its swaps silently lost.
    """

    blocks = True

    def __init__(self, inner: PostgresWebhookEventStore, open_: threading.Event) -> None:
        self._inner = inner
        self._open = open_

    @property
    def accepting(self) -> bool:
        """False while the tree starts or stops: a refusal then is expected, not an outage."""
        return self._open.is_set()

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        self._check_open()
        return self._inner.record_new(signature, payload, received_at)

    def record_many(self, events: Sequence[tuple[str, Mapping[str, Any], datetime]]) -> list[bool]:
        self._check_open()
        return self._inner.record_many(events)

    def recent_signatures(self, limit: int) -> list[str]:
        self._check_open()
        return self._inner.recent_signatures(limit)

    def _check_open(self) -> None:
        if not self._open.is_set():
            raise StoreUnavailableError("webhook", "the tree is starting or stopping")


@dataclass(frozen=True, slots=True, kw_only=True)
class PipelineOptions:
    """What differs between production, the demo and tests."""

    pace_s: float = 2.0
    """How often the trading actors tick and held tokens' prices are polled."""
    paper_starting_lamports: int = PAPER_STARTING_LAMPORTS
    paper_latency_s: float = PAPER_LATENCY_S
    """The paper venue's modelled delay before an attempt runs (live mode has none)."""
    timing: SignalTiming | None = None
    """The signal path's timers (default: production, passivation from the settings)."""
    rate_scale: float = 1.0
    """Venue quotas times this (the demo: its speed; see venue_clients.scaled)."""
    signal_actors: SignalActors | None = None
    trading_actors: TradingActors | None = None
    """Actor classes (tests substitute subclasses that inject crashes)."""
    intel_timing: IntelTiming | None = None
    """Whether the intel jobs run on their schedules (tests and the demo drive them)."""


@dataclass(slots=True, kw_only=True)
class PipelineWiring:
    """The process's pipeline: its children, routes, webhook, and start/close hooks."""

    settings: Settings
    plan: StoresPlan
    services: TreeServices
    trading: TradingWiring
    venues: VenueClients
    tracked: set[str]
    marker: ProcessedMarker
    options: PipelineOptions
    accepting: threading.Event = field(default_factory=threading.Event)

    @property
    def routes(self) -> Mapping[type[Command], str]:
        """Operator commands and their owners (pause, resume, reset: the circuit breaker)."""
        return TRADING_ROUTES

    @property
    def metrics(self) -> MetricsRegistry:
        """Every venue's metrics, for /metrics."""
        return self.venues.metrics

    def children(self) -> list[ChildSpec]:
        """After the stores: the trading children, then the signal path."""
        handles = self.plan.handles
        timing = self.options.timing or SignalTiming(
            passivate_after_s=self.settings.passivate_after_s
        )
        ports = signal_ports(
            handles,
            token_venue=self.venues.dexscreener,
            prices=self.venues.prices,
            venue_loop=self.venues.loop,
            recent_swaps=self.venues.recent_swaps,
            tracked_mirror=self.tracked,
        )
        options = self.options
        return [
            *self.trading.children(self.services, options.trading_actors),
            *signal_children(
                self.services,
                ports,
                timing,
                actors=options.signal_actors,
                before_ingress=self._intel(),
            ),
        ]

    def _intel(self) -> list[ChildSpec]:
        """The IntelSupervisor; none without a Helius API key (its history source)."""
        helius = self.venues.helius
        if helius is None:
            _log.warning("intel_disabled", reason="WALLTRACK_HELIUS_API_KEY is not set")
            return []
        url, secret = self.settings.webhook_public_url, self.settings.helius_webhook_secret
        target = (
            None
            if url is None
            else WebhookTarget(
                api=helius,
                url=url,
                auth_header=None if secret is None else secret.get_secret_value(),
            )
        )
        venues = IntelVenues(
            feeds=self.venues.dexscreener,
            history=helius,
            rpc=self.venues.rpc,
            prices=self.venues.prices,
            webhook=target,
        )
        handles = self.plan.handles
        ports = IntelPorts(
            database=lambda: handles.postgres().db,
            venues=lambda: venues,
            params=handles.params,
            venue_loop=self.venues.loop,
        )
        timing = self.options.intel_timing or IntelTiming()
        rebuild = ClusterRebuildPorts(
            graph=handles.graph,
            wallets=lambda: handles.postgres().wallets,
            params=handles.params,
            history=helius,
            venue_loop=self.venues.loop,
        )
        clusters = cluster_rebuild_child(self.services, rebuild, timing)
        return intel_children(self.services, ports, timing, extra=[clusters])

    def webhook(self) -> WebhookDependencies | None:
        """The Helius receiver's dependencies; None without WALLTRACK_HELIUS_WEBHOOK_SECRET."""
        secret = self.settings.helius_webhook_secret
        if secret is None:
            return None
        hmac_secret = self.settings.helius_webhook_hmac_secret
        return WebhookDependencies(
            authorization=secret.get_secret_value(),
            store=_GatedEventStore(PostgresWebhookEventStore(self._webhook_events), self.accepting),
            tracked=self.tracked,
            sink=IngressSink(self.services.registry),
            hmac_secret=None if hmac_secret is None else hmac_secret.get_secret_value(),
            handed_on=self.marker,
        )

    def start(self, *, pace: bool = True) -> int:
        """Once the tree is ready: replay what a crash cut off, then trade. Events replayed.

        Without `pace` nobody ticks the trading actors or polls prices (tests do it).
        """
        sink = IngressSink(self.services.registry)
        replayed = replay_unprocessed(
            self._webhook_events(), self.tracked, sink, self.services.clock
        )
        self.marker.start()
        self.accepting.set()
        if pace:
            self.trading.start()
        return replayed

    def stop_accepting(self) -> None:
        """Refuse webhook deliveries from now on (503: Helius retries them later)."""
        self.accepting.clear()

    def close(self) -> None:
        """After the tree stopped: last marks, venue clients, the trading threads."""
        self.accepting.clear()
        self.marker.close()
        self.venues.close()
        self.trading.close()

    def _webhook_events(self) -> WebhookEventRepository:
        return self.plan.handles.postgres().webhook_events


def wire_pipeline(
    settings: Settings,
    plan: StoresPlan,
    services: TreeServices,
    options: PipelineOptions | None = None,
) -> PipelineWiring:
    """The pipeline of `settings.mode` on the stores of `plan`."""
    options = options or PipelineOptions()
    handles = plan.handles
    runner = AsyncRunner()
    metrics = MetricsRegistry()
    venues = open_venue_clients(settings, runner, metrics, rate_scale=options.rate_scale)

    def strategies() -> Mapping[str, ExitStrategy]:
        return {r.strategy.name: r.strategy for r in handles.postgres().exit_strategies.all()}

    jupiter_key = settings.jupiter_api_key
    keypair = settings.keypair
    trading = wire_trading(
        services,
        lambda: handles.postgres().db,
        TradingVenues(
            jupiter_base_url=settings.jupiter_base_url,
            jupiter_api_key=None if jupiter_key is None else jupiter_key.get_secret_value(),
            jupiter_rate_limit=scaled(DEFAULT_JUPITER_RATE_LIMIT, options.rate_scale),
            rpc_urls=settings.rpc_urls,
            keypair_secret=None if keypair is None else keypair.get_secret_value(),
        ),
        mode=settings.mode.value,
        paper_starting_lamports=options.paper_starting_lamports,
        paper_latency_s=options.paper_latency_s,
        pace_s=options.pace_s,
        sources=TradingSources(
            runner=runner, metrics=metrics, params=handles.params, strategies=strategies
        ),
    )
    return PipelineWiring(
        settings=settings,
        plan=plan,
        services=services,
        trading=trading,
        venues=venues,
        tracked=set(),
        marker=ProcessedMarker(lambda: handles.postgres().webhook_events, services.clock),
        options=options,
    )
