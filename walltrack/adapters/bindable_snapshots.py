"""The tree's snapshot store when the tree itself starts the database.

Why bindable: TreeServices needs a snapshot store before the tree starts, but PostgreSQL is
only reachable once the StoresSupervisor (the tree's first child) has started its server
and opened the pool; when the stores restart, the pool is replaced. So the tree gets this
store, and the connections actor binds the PostgreSQL snapshot table to it once open
(and unbinds it before closing the pool).

Saves go through one write-behind buffer that lives as long as the process: coalesced
per actor, written within `max_staleness_s`, flushed on passivation and stop (`flush`).
While the stores restart, saves wait in the buffer (the writer retries) and a restarted
actor still loads its newest state from it; a load that must reach the database while
none is bound raises StoreUnavailableError rather than restoring an empty state.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

from walltrack.adapters.postgres.write_behind import BatchSnapshotStore, WriteBehindSnapshotStore
from walltrack.errors import StoreUnavailableError, WallTrackError
from walltrack.logging import get_logger
from walltrack.ports import Snapshot

VENUE = "snapshots"

_log = get_logger("snapshots")


class _BoundTarget:
    """The batch store under the write-behind buffer: whichever table is bound now.

    Calls share the binding: a wallet actor's activation loads its snapshot while the
    writer's batch of hundreds is in flight (one lock around every call queued each
    activation behind a whole batch: up to 1.5 s under load). Only a change of binding
    waits, for the calls in flight, and holds new ones back until it is done.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._target: BatchSnapshotStore | None = None
        self._calls = 0
        self._switching = False

    def set(self, target: BatchSnapshotStore | None) -> None:
        with self._cond:
            self._cond.wait_for(lambda: not self._switching)
            self._switching = True
            self._cond.wait_for(lambda: self._calls == 0)
            self._target = target
            self._switching = False
            self._cond.notify_all()

    @property
    def bound(self) -> bool:
        return self._target is not None

    @contextmanager
    def _use(self) -> Iterator[BatchSnapshotStore]:
        with self._cond:
            self._cond.wait_for(lambda: not self._switching)
            target = self._target
            if target is None:
                raise StoreUnavailableError(
                    VENUE, "no snapshot table is bound (the stores are starting or restarting)"
                )
            self._calls += 1
        try:
            yield target
        finally:
            with self._cond:
                self._calls -= 1
                if self._calls == 0:
                    self._cond.notify_all()

    def save_many(self, snapshots: Sequence[Snapshot], *, durable: bool = False) -> None:
        with self._use() as target:
            target.save_many(snapshots, durable=durable)

    def save_durably(self, snapshot: Snapshot) -> None:
        with self._use() as target:
            target.save_durably(snapshot)

    def load(self, actor_id: str) -> Snapshot | None:
        with self._use() as target:
            return target.load(actor_id)

    def delete(self, actor_id: str) -> None:
        with self._use() as target:
            target.delete(actor_id)


class BindableSnapshotStore:
    """SnapshotStore (write-behind) over the PostgreSQL snapshot table bound at run time."""

    def __init__(
        self,
        *,
        max_staleness_s: float = 1.0,
        retry_backoff_s: float = 0.5,
        solo: Collection[str] = (),
    ) -> None:
        self._target = _BoundTarget()
        self._ever_bound = False
        self._buffer = WriteBehindSnapshotStore(
            self._target,
            max_staleness_s=max_staleness_s,
            retry_backoff_s=retry_backoff_s,
            solo=solo,
        )

    @property
    def bound(self) -> bool:
        """A snapshot table is bound right now."""
        return self._target.bound

    def bind(self, target: BatchSnapshotStore) -> None:
        """Use `target` from now on and write what waited while none was bound."""
        self._target.set(target)
        self._ever_bound = True
        try:
            self._buffer.flush()
        except (WallTrackError, OSError) as error:
            _log.warning("snapshot_flush_failed", error=str(error), when="bind")

    def unbind(self) -> None:
        """Write what is pending (best effort), then stop using the current table."""
        try:
            self._buffer.flush()
        except (WallTrackError, OSError) as error:
            # Kept in the buffer: written to the next table bound (a stores restart).
            _log.warning(
                "snapshot_flush_failed",
                error=str(error),
                when="unbind",
                pending=self._buffer.pending_count(),
            )
        self._target.set(None)

    def save(self, snapshot: Snapshot) -> None:
        """Buffer `snapshot`; written within the staleness bound."""
        if not self._ever_bound:
            raise StoreUnavailableError(
                VENUE,
                f"cannot save {snapshot.actor_id}: the snapshot store is not bound yet "
                "(the StoresSupervisor must start before any actor that keeps state)",
            )
        self._buffer.save(snapshot)

    def load(self, actor_id: str) -> Snapshot | None:
        """The newest snapshot: buffered first, then the bound table."""
        return self._buffer.load(actor_id)

    def delete(self, actor_id: str) -> None:
        """Forget `actor_id`, buffered or stored."""
        self._buffer.delete(actor_id)

    def flush(self, actor_id: str | None = None) -> None:
        """Write what is pending now (one actor's, or everything); raises
        StoreUnavailableError if it cannot."""
        self._buffer.flush(actor_id)

    def pending_count(self) -> int:
        """Snapshots saved but not yet written."""
        return self._buffer.pending_count()

    def close(self) -> None:
        """End of the process: stop the writer; report snapshots that could not be written."""
        try:
            self._buffer.close()
        except (WallTrackError, OSError) as error:
            _log.error(
                "snapshots_unsaved",
                pending=self._buffer.pending_count(),
                error=str(error),
            )
