"""The dashboard's read model over the PostgreSQL repositories and the graph.

Why callables instead of open stores: the stores belong to the tree and are reopened when
their supervisor restarts them; fetching them per read hands out the live pool, and a
store that is restarting raises StoreUnavailableError, which the dashboard shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from walltrack.adapters.dashboard import figures
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.graph.stored_clusters import GraphClusterSource
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.dashboard_ports import (
    ClusterLink,
    ClusterView,
    EquityPoint,
    Kpis,
    OpenPositionView,
    WebhookStats,
)
from walltrack.domain.params import RuntimeParams
from walltrack.domain.records import (
    AlertRecord,
    CircuitBreakerEventRecord,
    ConfigChange,
    ExitStrategyRecord,
    PositionRecord,
    SignalDecision,
    SignalRecord,
    TokenRecord,
    WalletRecord,
    WalletStatus,
)

LINK_KINDS = frozenset({"FUNDED_BY", "SYNCED_BUY"})
MAX_LINKS_PER_CLUSTER = 60


class StoreDashboardReads:
    """`DashboardReads` over the tree's stores."""

    def __init__(
        self,
        postgres: Callable[[], PostgresStores],
        graph: Callable[[], GraphRepository] | None = None,
    ) -> None:
        self._postgres = postgres
        self._graph = graph

    def kpis(self, now: datetime) -> Kpis:
        return figures.kpis(self._postgres().db, now)

    def equity_curve(self, *, limit: int = 500) -> tuple[EquityPoint, ...]:
        return figures.equity_curve(self._postgres().db, limit=limit)

    def open_positions(self) -> tuple[OpenPositionView, ...]:
        stores = self._postgres()
        views = []
        for position in stores.positions.live():
            token = stores.tokens.get(position.token_mint)
            views.append(
                OpenPositionView(
                    position=position,
                    symbol=token.symbol if token else None,
                    current_price_sol=token.price_sol if token else None,
                )
            )
        return tuple(views)

    def position(self, position_id: UUID) -> PositionRecord | None:
        return self._postgres().positions.get(position_id)

    def signals(
        self,
        *,
        wallet: str | None = None,
        token: str | None = None,
        decision: SignalDecision | None = None,
        limit: int = 100,
    ) -> tuple[SignalRecord, ...]:
        return tuple(
            self._postgres().signals.recent(
                wallet=wallet, token=token, decision=decision, limit=limit
            )
        )

    def signal(self, signal_id: UUID) -> SignalRecord | None:
        return self._postgres().signals.get(signal_id)

    def wallets(
        self, status: WalletStatus | None = None, *, limit: int = 200
    ) -> tuple[WalletRecord, ...]:
        repository = self._postgres().wallets
        statuses = [status] if status is not None else list(WalletStatus)
        found: list[WalletRecord] = []
        for each in statuses:
            found.extend(repository.by_status(each, limit=limit))
        found.sort(key=lambda w: (-w.profile.score, w.address))
        return tuple(found[:limit])

    def wallet(self, address: str) -> WalletRecord | None:
        return self._postgres().wallets.get(address)

    def wallet_positions(self, address: str, *, limit: int = 20) -> tuple[PositionRecord, ...]:
        return tuple(self._postgres().positions.by_wallet(address, limit=limit))

    def tokens(self, *, limit: int = 200) -> tuple[TokenRecord, ...]:
        return tuple(self._postgres().tokens.recent(limit=limit))

    def token(self, mint: str) -> TokenRecord | None:
        return self._postgres().tokens.get(mint)

    def clusters(self) -> tuple[ClusterView, ...]:
        if self._graph is None:
            return ()
        repository = self._graph()
        params = self._postgres().config.load_params().clusters
        source = GraphClusterSource(repository, self._postgres().wallets, lambda: params)
        views = []
        for cluster in source.load_clusters():
            links = self._links(repository, cluster.leader, frozenset(cluster.members))
            views.append(
                ClusterView(
                    cluster_id=cluster.cluster_id,
                    members=tuple(sorted(cluster.members)),
                    leader=cluster.leader,
                    multiplier=cluster.multiplier,
                    cohesion=cluster.cohesion,
                    links=links,
                )
            )
        return tuple(views)

    @staticmethod
    def _links(
        repository: GraphRepository, leader: str | None, members: frozenset[str]
    ) -> tuple[ClusterLink, ...]:
        """Funding and synced-buy edges among the members, from the leader's neighbourhood."""
        if leader is None:
            return ()
        subgraph = repository.subgraph(leader, max_edges=MAX_LINKS_PER_CLUSTER)
        return tuple(
            sorted(
                (
                    ClusterLink(kind=edge.type, source=edge.source, target=edge.target)
                    for edge in subgraph.edges
                    if edge.type in LINK_KINDS and {edge.source, edge.target} <= members
                ),
                key=lambda link: (link.kind, link.source, link.target),
            )
        )

    def alerts(self, *, limit: int = 50) -> tuple[AlertRecord, ...]:
        return tuple(self._postgres().alerts.recent(limit=limit))

    def breaker_events(
        self, since: datetime, *, limit: int = 100
    ) -> tuple[CircuitBreakerEventRecord, ...]:
        return tuple(self._postgres().circuit_breaker_events.since(since, limit=limit))

    def params(self) -> RuntimeParams:
        return self._postgres().config.load_params()

    def config_history(self, *, limit: int = 50) -> tuple[ConfigChange, ...]:
        return tuple(self._postgres().config.history(limit=limit))

    def exit_strategies(self) -> tuple[ExitStrategyRecord, ...]:
        return tuple(self._postgres().exit_strategies.all())

    def webhook_stats(self, now: datetime) -> WebhookStats:
        return figures.webhook_stats(self._postgres().db, now)
