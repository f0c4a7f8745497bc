"""Write-behind snapshots: actors save at memory speed, the database sees batches.

Why: an actor may change state many times a second; writing each change would put a
database round trip on its hot path and multiply writes. Instead `save` only records the
latest snapshot per actor (latest wins: intermediate states are never written), and one
background thread writes everything pending in one transaction, at most
`max_staleness_s` (default 1 s) after the oldest unsaved change. `flush` writes now (actor
passivation and stop); `close` flushes everything. `load` sees unsaved snapshots first,
so an actor restarted in the same process never reads a stale row.

If the database is down the batch stays pending (never overwriting newer saves) and is
retried with backoff; failures are counted and logged (`snapshot_flush_failed`).

The timed batches are committed asynchronously: they are a cache the actors may lose up
to `max_staleness_s` of already, and a synchronous commit of them (the scorer's and the
cluster's snapshots are hundreds of kilobytes a second) adds a WAL flush every second for
an entry's own synchronous commit to queue behind. A flush asked for (`flush`, `close`)
and one actor's durable save, the journal of an effect about to run, still commit
synchronously.

`solo` actors' rows are written each in a transaction of its own after the batch: an
actor that saves durably before an effect (the position actor, before an order is sent)
must never wait for the batch's row locks, held until the whole batch commits
(measured: a 290-snapshot batch took 170-250 ms while an entry waited for it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog

from walltrack.errors import WallTrackError
from walltrack.ports import Snapshot

_log = structlog.get_logger(__name__)


class BatchSnapshotStore(Protocol):
    """A SnapshotStore that can also write many snapshots in one go."""

    def save_many(self, snapshots: Sequence[Snapshot], *, durable: bool = False) -> None:
        """Store a batch atomically; `durable`: committed to disk before it returns."""
        ...

    def save_durably(self, snapshot: Snapshot) -> None:
        """Store one snapshot now, committed to disk (it journals an effect about to run)."""
        ...

    def load(self, actor_id: str) -> Snapshot | None:
        """The stored snapshot of `actor_id`."""
        ...

    def delete(self, actor_id: str) -> None:
        """Forget `actor_id`."""
        ...


@dataclass(slots=True)
class WriteBehindStats:
    """What the write-behind store did, for the doctor and the dashboard."""

    saves: int = 0
    coalesced: int = 0
    batches: int = 0
    written: int = 0
    failures: int = 0


class WriteBehindSnapshotStore:
    """SnapshotStore that coalesces saves per actor and writes them in timed batches."""

    def __init__(
        self,
        store: BatchSnapshotStore,
        *,
        max_staleness_s: float = 1.0,
        retry_backoff_s: float = 0.5,
        max_backoff_s: float = 5.0,
        on_batch_written: Callable[[int], None] | None = None,
        solo: Collection[str] = (),
    ) -> None:
        if max_staleness_s <= 0:
            msg = "max_staleness_s must be positive"
            raise ValueError(msg)
        self._store = store
        self._staleness = max_staleness_s
        self._backoff = retry_backoff_s
        self._max_backoff = max_backoff_s
        self._on_batch_written = on_batch_written
        self._solo = frozenset(solo)
        self._cond = threading.Condition()
        self._io_lock = threading.Lock()  # one batch write (or delete) at a time
        self._pending: dict[str, Snapshot] = {}
        self._in_flight: dict[str, Snapshot] = {}
        self._writing_one: dict[str, Snapshot] = {}  # single-actor flushes under way
        self._oldest: float | None = None  # monotonic time of the oldest unsaved change
        self._stopping = False
        self._stats = WriteBehindStats()
        self._thread = threading.Thread(
            target=self._run, name="walltrack-snapshot-writer", daemon=True
        )
        self._thread.start()

    @property
    def stats(self) -> WriteBehindStats:
        """A copy of the counters."""
        with self._cond:
            s = self._stats
            return WriteBehindStats(s.saves, s.coalesced, s.batches, s.written, s.failures)

    def pending_count(self) -> int:
        """Snapshots saved but not yet written."""
        with self._cond:
            return len(self._pending)

    def save(self, snapshot: Snapshot) -> None:
        """Remember `snapshot`; it is written within `max_staleness_s`."""
        with self._cond:
            if self._stopping:
                msg = "snapshot store is closed"
                raise RuntimeError(msg)
            self._stats.saves += 1
            if snapshot.actor_id in self._pending:
                self._stats.coalesced += 1
            self._pending[snapshot.actor_id] = snapshot
            if self._oldest is None:
                self._oldest = time.monotonic()
                self._cond.notify_all()

    def load(self, actor_id: str) -> Snapshot | None:
        """The newest snapshot: unsaved first, then one being written, then the database."""
        with self._cond:
            latest = (
                self._pending.get(actor_id)
                or self._writing_one.get(actor_id)
                or self._in_flight.get(actor_id)
            )
        return latest if latest is not None else self._store.load(actor_id)

    def delete(self, actor_id: str) -> None:
        """Forget `actor_id`, pending or stored (waits for a batch in flight)."""
        with self._io_lock:
            with self._cond:
                self._pending.pop(actor_id, None)
                if not self._pending:
                    self._oldest = None
            self._store.delete(actor_id)

    def flush(self, actor_id: str | None = None) -> None:
        """Write pending snapshots now (one actor's, or all); raises if the store fails.

        One actor's flush is a durable save before a side effect (an order sent), so it
        does not queue behind the batch being written: it writes its own row at once.
        The batch may hold an older save of the same actor; the upsert never lets an
        older row replace a newer one, so only a save not strictly newer waits for it.
        """
        if actor_id is None:
            self._write_pending(durable=True)
        else:
            self._write_one(actor_id)

    def close(self) -> None:
        """Stop the writer thread and write everything still pending."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join()
        self._write_pending(durable=True)

    def __enter__(self) -> WriteBehindSnapshotStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _run(self) -> None:
        backoff = self._backoff
        while True:
            with self._cond:
                while not self._stopping and self._oldest is None:
                    self._cond.wait()
                if self._stopping:
                    return
                while not self._stopping and self._oldest is not None:
                    remaining = self._oldest + self._staleness - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                if self._stopping:
                    return
            try:
                self._write_pending(durable=False)
                backoff = self._backoff
            except (WallTrackError, OSError) as error:
                _log.warning("snapshot_flush_failed", error=str(error), retry_in_s=backoff)
                with self._cond:
                    self._cond.wait_for(lambda: self._stopping, timeout=backoff)
                backoff = min(backoff * 2, self._max_backoff)

    def _write_pending(self, *, durable: bool) -> None:
        """Write every pending snapshot as one batch (one batch at a time); `durable` for
        a flush asked for, not the timed batches (see the module's docstring)."""
        with self._io_lock:
            with self._cond:
                batch, self._pending = self._pending, {}
                oldest = self._oldest
                if not self._pending:
                    self._oldest = None
                self._in_flight = batch
            if not batch:
                return
            try:
                shared = [s for actor, s in batch.items() if actor not in self._solo]
                if shared:  # only solo rows pending: no empty call to the store
                    self._store.save_many(shared, durable=durable)
                for actor in self._solo & batch.keys():
                    self._store.save_many([batch[actor]], durable=durable)
            except BaseException:
                self._restore(batch, oldest)
                raise
            with self._cond:
                self._in_flight = {}
                self._stats.batches += 1
                self._stats.written += len(batch)
                self._cond.notify_all()  # single-actor flushes waiting on this batch
        if self._on_batch_written is not None:
            self._on_batch_written(len(batch))

    def _may_write_one(self, actor_id: str) -> bool:
        """Whether the actor's pending save may be written while the batch is in flight:
        the batch holds no save of it, or an older one (the upsert keeps the newer row
        whichever commits last). Same or earlier time (a clock stepped back): wait."""
        flying = self._in_flight.get(actor_id)
        if flying is None:
            return True
        newer = self._pending.get(actor_id)
        return newer is not None and newer.updated_at > flying.updated_at

    def _write_one(self, actor_id: str) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._may_write_one(actor_id))
            snapshot = self._pending.pop(actor_id, None)
            if snapshot is None:
                return
            if not self._pending:
                self._oldest = None
            self._writing_one[actor_id] = snapshot
        try:
            self._store.save_durably(snapshot)
        except BaseException:
            self._restore({actor_id: snapshot}, time.monotonic(), in_flight=False)
            raise
        finally:
            with self._cond:
                del self._writing_one[actor_id]
        with self._cond:
            self._stats.batches += 1
            self._stats.written += 1

    def _restore(
        self, batch: dict[str, Snapshot], oldest: float | None, *, in_flight: bool = True
    ) -> None:
        """Put a failed write back, never over a newer save of the same actor."""
        with self._cond:
            self._stats.failures += 1
            for actor_id, snapshot in batch.items():
                self._pending.setdefault(actor_id, snapshot)
            if in_flight:
                self._in_flight = {}
            self._cond.notify_all()  # the writer thread and flushes waiting on the batch
            if self._pending:
                now = time.monotonic()
                self._oldest = min(t for t in (oldest, self._oldest, now) if t is not None)
