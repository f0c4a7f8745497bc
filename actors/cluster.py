"""ClusterActor: live swaps into the graph, cluster context out to the scorer.

Why batched: every tracked buy makes a BOUGHT edge and, with the tracked wallets that
bought the same token shortly before, SYNCED_BUY edges; one graph round trip per swap
would put the graph's latency on the hot path. Edges are buffered (in the snapshot, and
the buys since it requeued by a crash) and written when the batch is full, on the flush
tick or on `FlushGraph`; the upserts are idempotent, so a retried batch is harmless.

It owns the clusters the scorer uses: loaded from a `ClusterSource` at start and on
`ReloadClusters`, and pushed to the scorer. Live amplification (>= 2 members of a cluster
buying a token within 600 s) is published as `ClusterAmplified` once per cluster and token.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from actors.cluster_codec import (
    cluster_from_json,
    cluster_to_json,
    edges_from_json,
    edges_to_json,
)
from actors.cluster_index import ClusterIndex
from actors.first_buys import FirstBuys
from actors.names import SCORER
from actors.pipeline_messages import FlushGraph, GetStats, ReloadClusters
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.loops import tell_every
from walltrack.domain.clustering import (
    FirstBuy,
    SyncedBuy,
    is_amplified,
    members_buying,
    synced_buy_correlation,
)
from walltrack.domain.messages.clusters import ClusterAmplified, ClusterContextUpdated
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.signals import WalletSignal
from walltrack.domain.params import RuntimeParams
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger
from walltrack.pipeline_ports import BuyGraph, ClusterSource

_log = get_logger("cluster_actor")

SNAPSHOT_EVERY_S = 0.5
PRUNE_EVERY_S = 1.0  # event time between two sweeps of tokens gone quiet
SYNCED_PER_BUY = 32
"""A first buy is paired with at most this many latest buyers (the highest correlations):
past that a token is a herd trade, and its pairs would flood the graph with noise."""


class ClusterActor(SupervisedActor):
    """Records live buys in the graph, pushes clusters, announces amplification."""

    snapshot_kind = "cluster"

    def __init__(
        self,
        context: ActorContext,
        graph: BuyGraph,
        source: ClusterSource,
        params: RuntimeParams,
        *,
        scorer: str = SCORER,
        batch_size: int = 500,
        flush_every_s: float | None = 1.0,
    ) -> None:
        super().__init__(context)
        self._graph = graph
        self._source = source
        self._scorer = scorer
        self._batch_size = batch_size
        self._flush_every_s = flush_every_s
        self.params = params
        self.clusters = ClusterIndex()
        self.first_buys = FirstBuys()
        self.ranks: dict[str, int] = {}  # mint -> tracked buyers seen
        self.pending_bought: list[tuple[FirstBuy, int]] = []
        self.pending_synced: list[SyncedBuy] = []
        self.announced: dict[str, datetime] = {}  # "cluster|mint" -> when
        self.stats = {"buys": 0, "synced": 0, "flushes": 0, "amplified": 0, "flush_errors": 0}
        self._restored, self._saved_at = False, float("-inf")
        self._ticker = threading.Event()
        self._since_snapshot: list[WalletSignal] = []
        self._pruned_at: datetime | None = None

    # ----- lifecycle --------------------------------------------------------------------
    def started(self) -> None:
        self.context.bus.subscribe(RuntimeConfigChanged, self.name)
        if not self._restored:
            self.clusters.replace(self._source.load_clusters())
        self._push(tuple(self.clusters), replace_all=True)
        if self._flush_every_s:
            threading.Thread(target=self._tick, name=f"{self.name}-flush", daemon=True).start()

    def on_stop(self) -> None:
        self._ticker.set()
        super().on_stop()

    def snapshot_state(self) -> dict[str, Any]:
        self._since_snapshot.clear()  # this snapshot holds what they did
        return {
            "clusters": [cluster_to_json(c) for c in self.clusters],
            "first_buys": self.first_buys.to_json(),
            "ranks": dict(self.ranks),
            **edges_to_json(self.pending_bought, self.pending_synced),
            "announced": {key: at.isoformat() for key, at in self.announced.items()},
        }

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self._restored = True
        self.clusters.replace(cluster_from_json(c) for c in state["clusters"])
        self.first_buys = FirstBuys.from_json(state["first_buys"])
        self.ranks = {mint: int(n) for mint, n in state["ranks"].items()}
        self.pending_bought, self.pending_synced = edges_from_json(state)
        self.announced = {k: datetime.fromisoformat(at) for k, at in state["announced"].items()}

    # ----- messages ---------------------------------------------------------------------
    def handle(self, message: Any) -> Any:
        match message:
            case WalletSignal():
                self._on_buy(message)
            case FlushGraph():
                self._flush()
            case ReloadClusters():
                self.clusters.replace(self._source.load_clusters())
                self.mark_dirty()
                self._push(tuple(self.clusters), replace_all=True)
            case ClusterContextUpdated():
                for cluster_id in message.removed:
                    self.clusters.drop(cluster_id)
                if message.replace_all:
                    self.clusters.replace(message.clusters)
                else:
                    self.clusters.add(message.clusters)
                self.mark_dirty()
                self._push(
                    message.clusters, replace_all=message.replace_all, removed=message.removed
                )
            case RuntimeConfigChanged(params=params):
                self.params = params
            case GetStats():
                return {
                    **self.stats,
                    "clusters": len(self.clusters),
                    "pending": len(self.pending_bought) + len(self.pending_synced),
                }
        return None

    def _on_buy(self, signal: WalletSignal) -> None:
        params = self.params.clusters
        at, mint, wallet = signal.swap.timestamp, signal.token_mint, signal.wallet
        self._since_snapshot.append(signal)
        if self._pruned_at is None or (at - self._pruned_at).total_seconds() >= PRUNE_EVERY_S:
            self._pruned_at = at
            self._prune(at)
        if self.first_buys.has(mint, wallet):
            return  # not a first buy: no new edge
        window = timedelta(seconds=params.synced_buy_window_s)
        around = self.first_buys.between(mint, at - window, at + window)
        before = [(t, w) for t, w in around if t <= at][-SYNCED_PER_BUY:]
        after = [(t, w) for t, w in around if t > at]  # arrived first, bought later
        for earlier_at, earlier in before:
            self._pair(wallet, earlier, mint, (at - earlier_at).total_seconds())
        for later_at, later in after[:SYNCED_PER_BUY]:
            self._pair(later, wallet, mint, (later_at - at).total_seconds())
        self.ranks[mint] = self.ranks.get(mint, 0) + 1
        # Ranks go by buy time: a buy arriving late (backfill, parallel wallet actors)
        # takes its place and moves the later buyers down one (their edges are rewritten).
        later = self.first_buys.after(mint, at)
        rank = self.ranks[mint] - len(later)
        self.first_buys.add(mint, wallet, at)
        self.pending_bought.append((FirstBuy(wallet=wallet, token_mint=mint, at=at), rank))
        for moved, (later_at, buyer) in enumerate(later, start=rank + 1):
            self.pending_bought.append(
                (FirstBuy(wallet=buyer, token_mint=mint, at=later_at), moved)
            )
        self.stats["buys"] += 1
        self._changed()
        self._check_amplified(signal, at)
        if len(self.pending_bought) + len(self.pending_synced) >= self._batch_size:
            self._flush()

    def _pair(self, later: str, earlier: str, mint: str, delta_s: float) -> None:
        correlation = synced_buy_correlation(delta_s, self.params.clusters)
        if correlation is None:
            return
        self.pending_synced.append(
            SyncedBuy(
                later=later,
                earlier=earlier,
                token_mint=mint,
                delta_s=delta_s,
                correlation=correlation,
            )
        )
        self.stats["synced"] += 1

    def _changed(self) -> None:
        """Snapshot at most every SNAPSHOT_EVERY_S (the first buys are large and hot); the
        buys since are `unfinished`: a crash requeues them (a replayed buy is a no-op)."""
        now = self.context.clock.monotonic()
        if now - self._saved_at >= SNAPSHOT_EVERY_S:
            self._saved_at = now
            self.mark_dirty()

    def unfinished(self) -> list[Any]:
        return list(self._since_snapshot)

    def _check_amplified(self, signal: WalletSignal, at: datetime) -> None:
        cluster = self.clusters.of(signal.wallet)
        if cluster is None:
            return
        cluster_id = cluster.cluster_id
        key = f"{cluster_id}|{signal.token_mint}"
        if key in self.announced:
            return
        params = self.params.clusters
        since = at - timedelta(seconds=params.amplification_window_s)
        buys = [
            FirstBuy(wallet=w, token_mint=signal.token_mint, at=t)
            for t, w in self.first_buys.between(signal.token_mint, since, at)
        ]
        count = members_buying(cluster.members, buys, signal.token_mint, at, params)
        if not is_amplified(count, params):
            return
        buying = frozenset(b.wallet for b in buys if b.wallet in cluster.members)
        self.announced[key] = at
        self.stats["amplified"] += 1
        self.publish(
            ClusterAmplified(
                correlation_id=signal.correlation_id,
                ts_event=at,
                ts_init=self.context.clock.now(),
                cluster_id=cluster_id,
                token_mint=signal.token_mint,
                members_buying=buying,
                window_s=params.amplification_window_s,
            )
        )

    def _flush(self) -> None:
        if not self.pending_bought and not self.pending_synced:
            return
        try:
            # The latest rank of each edge (a late buy re-ranks those after it).
            latest = {(b.wallet, b.token_mint): (b, rank) for b, rank in self.pending_bought}
            self._graph.record_buys(list(latest.values()), self.pending_synced)
        except UpstreamError as error:  # the store's outage: keep the batch, retry next tick
            self.stats["flush_errors"] += 1
            _log.warning("graph_flush_failed", error=type(error).__name__)
            return
        self.pending_bought, self.pending_synced = [], []
        self.stats["flushes"] += 1
        self.mark_dirty()

    def _push(
        self,
        clusters: Any,
        *,
        replace_all: bool,
        removed: frozenset[str] = frozenset(),
    ) -> None:
        now = self.context.clock.now()
        update = ClusterContextUpdated(
            correlation_id=uuid4(),
            ts_event=now,
            ts_init=now,
            clusters=tuple(clusters),
            removed=removed,
            replace_all=replace_all,
        )
        self.tell(self._scorer, update)

    def _prune(self, now: datetime) -> None:
        p = self.params.clusters
        horizon = now - timedelta(seconds=max(p.synced_buy_window_s, p.amplification_window_s))
        self.first_buys.prune(horizon)
        self.announced = {k: at for k, at in self.announced.items() if at >= horizon}

    def _tick(self) -> None:
        interval = self._flush_every_s or 1.0
        tell_every(self.actor_ref, FlushGraph, lambda: interval, self._ticker)
