"""The ClusterActor's graph writes, one batch at a time on a thread of their own.

Why: a batch of BOUGHT and SYNCED_BUY edges is a graph round trip of tens to hundreds of
milliseconds under load; written on the actor's thread, every live buy behind it waited,
and amplification (a cluster buying together) was announced seconds late. The actor
hands a batch over and goes on; the answer comes back as `EdgesWritten`. Edges buffered
meanwhile go in the next batch. A batch in flight stays in the actor's snapshot until
it is confirmed (a crash rewrites it; the upserts are idempotent).
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from walltrack.domain.clustering import FirstBuy, SyncedBuy
from walltrack.domain.ids import random_uuid
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger
from walltrack.pipeline_ports import BuyGraph

_log = get_logger("edge_writer")

type Bought = list[tuple[FirstBuy, int]]


@dataclass(frozen=True, slots=True)
class EdgesWritten:
    """A batch finished: `failed` names the store error when it was not written."""

    batch_id: UUID
    failed: str | None


@dataclass(slots=True)
class EdgeBatch:
    """The edges of one write."""

    batch_id: UUID
    bought: Bought
    synced: list[SyncedBuy]


def latest_ranks(bought: Sequence[tuple[FirstBuy, int]]) -> Bought:
    """One row per (wallet, token), with its latest rank (a late buy re-ranks later ones)."""
    latest = {(buy.wallet, buy.token_mint): (buy, rank) for buy, rank in bought}
    return list(latest.values())


class EdgeWriter:
    """Writes one batch at a time in the background; `wait` for a synchronous flush."""

    def __init__(self, graph: BuyGraph, deliver: Callable[[EdgesWritten], None]) -> None:
        self._graph = graph
        self._deliver = deliver
        self._pool = concurrent.futures.ThreadPoolExecutor(1, "cluster-edges")
        self.in_flight: EdgeBatch | None = None
        self._future: concurrent.futures.Future[str | None] | None = None

    def start(self, bought: Bought, synced: list[SyncedBuy]) -> EdgeBatch:
        """Hand a batch to the writer thread (the previous one must be finished)."""
        if self.in_flight is not None:
            msg = "a graph batch is already being written"
            raise RuntimeError(msg)
        batch = EdgeBatch(random_uuid(), latest_ranks(bought), synced)
        self.in_flight = batch
        future = self._pool.submit(self._write, batch)
        self._future = future
        future.add_done_callback(
            lambda done: self._deliver(EdgesWritten(batch.batch_id, _failure(done)))
        )
        return batch

    def finish(self, written: EdgesWritten) -> EdgeBatch | None:
        """The batch `written` is about (None for a stale answer); it is no longer in flight."""
        batch = self.in_flight
        if batch is None or batch.batch_id != written.batch_id:
            return None
        self.in_flight, self._future = None, None
        return batch

    def wait(self) -> EdgesWritten | None:
        """Block until the batch in flight (if any) is written or refused."""
        batch, future = self.in_flight, self._future
        if batch is None or future is None:
            return None
        return EdgesWritten(batch.batch_id, _failure(future))

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _write(self, batch: EdgeBatch) -> str | None:
        try:
            self._graph.record_buys(batch.bought, batch.synced)
        except UpstreamError as error:  # the store's outage: the actor keeps the batch
            _log.warning("graph_flush_failed", error=type(error).__name__)
            return type(error).__name__
        return None


def _failure(future: concurrent.futures.Future[str | None]) -> str | None:
    try:
        return future.result()
    except Exception as error:  # a bug in the graph adapter: reported, batch kept
        _log.error("graph_flush_crashed", error=type(error).__name__)
        return type(error).__name__
