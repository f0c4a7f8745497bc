"""ClusterActor: live swaps into the graph, cluster context out to the scorer.

Why batched: every tracked buy makes a BOUGHT edge and, with the tracked wallets that
bought the same token shortly before, SYNCED_BUY edges; one graph round trip per swap
would put the graph's latency on the hot path. Edges are buffered (in the snapshot, and
the buys since it requeued by a crash) and written when the batch is full, on the flush
tick or on `FlushGraph`, by a writer thread (actors/edge_writer.py) so that a slow graph
never holds up the live buys; the upserts are idempotent, so a retried batch is harmless.

It owns the clusters the scorer uses: loaded from a `ClusterSource` at start and on
`ReloadClusters`, and pushed to the scorer. Live amplification (>= 2 members of a cluster
buying a token within 600 s) is published as `ClusterAmplified` once per cluster and token.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from actors.buy_edges import record_first_buy
from actors.cluster_codec import (
    cluster_from_json,
    cluster_to_json,
    edges_from_json,
    edges_to_json,
)
from actors.cluster_index import ClusterIndex
from actors.edge_writer import EdgesWritten, EdgeWriter
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
)
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.clusters import ClusterAmplified, ClusterContextUpdated
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.signals import WalletSignal
from walltrack.domain.params import RuntimeParams
from walltrack.pipeline_ports import BuyGraph, ClusterSource

SNAPSHOT_EVERY_S = 0.5
PRUNE_EVERY_S = 1.0  # event time between two sweeps of tokens gone quiet


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
        self._writer = EdgeWriter(graph, lambda written: self.tell(self.name, written))
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
        self._writer.close()  # a batch in flight finishes; the snapshot still holds it
        super().on_stop()

    def snapshot_state(self) -> dict[str, Any]:
        self._since_snapshot.clear()  # this snapshot holds what they did
        return {
            "clusters": [cluster_to_json(c) for c in self.clusters],
            "first_buys": self.first_buys.to_json(),
            "ranks": dict(self.ranks),
            **edges_to_json(*self._unwritten(), self.params.clusters.synced_buy_window_s),
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
            case FlushGraph(background=background):
                self._flush(wait=not background)
            case EdgesWritten():
                self._written(message)
            case ReloadClusters():
                self.clusters.replace(self._source.load_clusters())
                self.mark_dirty()
                self._push(tuple(self.clusters), replace_all=True)
            case ClusterContextUpdated():
                self.clusters.apply(
                    message.clusters, removed=message.removed, replace_all=message.replace_all
                )
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
                    "pending": sum(len(edges) for edges in self._unwritten()),
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
        self.ranks[mint] = self.ranks.get(mint, 0) + 1
        bought, synced = record_first_buy(
            self.first_buys, wallet, mint, at, seen=self.ranks[mint], params=params
        )
        self.pending_bought += bought
        self.pending_synced += synced
        self.stats["synced"] += len(synced)
        self.stats["buys"] += 1
        self._changed()
        self._check_amplified(signal, at)
        if len(self.pending_bought) + len(self.pending_synced) >= self._batch_size:
            self._flush(wait=False)

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

    def _flush(self, *, wait: bool) -> None:
        """Hand the buffered edges to the writer; `wait` (an explicit FlushGraph) also
        waits for the write in flight before and for this one after."""
        if wait:
            self._settle_writer()
        if self._writer.in_flight is None and (self.pending_bought or self.pending_synced):
            self._writer.start(self.pending_bought, self.pending_synced)
            self.pending_bought, self.pending_synced = [], []
        if wait:
            self._settle_writer()

    def _settle_writer(self) -> None:
        written = self._writer.wait()
        if written is not None:
            self._written(written)

    def _written(self, written: EdgesWritten) -> None:
        batch = self._writer.finish(written)
        if batch is None:
            return  # already settled by a synchronous flush
        if written.failed is not None:  # the store's outage: keep the batch, retry next tick
            self.stats["flush_errors"] += 1
            self.pending_bought = batch.bought + self.pending_bought
            self.pending_synced = batch.synced + self.pending_synced
        else:
            self.stats["flushes"] += 1
        self.mark_dirty()

    def _unwritten(self) -> tuple[list[tuple[FirstBuy, int]], list[SyncedBuy]]:
        batch = self._writer.in_flight
        if batch is None:
            return self.pending_bought, self.pending_synced
        return batch.bought + self.pending_bought, batch.synced + self.pending_synced

    def _push(
        self,
        clusters: Any,
        *,
        replace_all: bool,
        removed: frozenset[str] = frozenset(),
    ) -> None:
        now = self.context.clock.now()
        update = ClusterContextUpdated(
            correlation_id=random_uuid(),
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
        tell_every(
            self.actor_ref, lambda: FlushGraph(background=True), lambda: interval, self._ticker
        )
