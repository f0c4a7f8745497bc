"""Actor snapshots kept in process memory: for tests, benchmarks and the store-less demo.

Why it exists next to the PostgreSQL store: the runtime's restart-with-restore behaviour
must be testable without servers, and both implement the same SnapshotStore port.
"""

from __future__ import annotations

import copy
import threading

from walltrack.ports import Snapshot


class InMemorySnapshotStore:
    """A dict of deep-copied snapshots: a restored actor never shares memory with the dead one."""

    def __init__(self) -> None:
        self._items: dict[str, Snapshot] = {}
        self._lock = threading.Lock()
        self.saves = 0

    def save(self, snapshot: Snapshot) -> None:
        """Keep a private copy of `snapshot`."""
        frozen = Snapshot(
            actor_id=snapshot.actor_id,
            kind=snapshot.kind,
            schema_version=snapshot.schema_version,
            state=copy.deepcopy(dict(snapshot.state)),
            updated_at=snapshot.updated_at,
        )
        with self._lock:
            self._items[snapshot.actor_id] = frozen
            self.saves += 1

    def load(self, actor_id: str) -> Snapshot | None:
        """A copy of the latest snapshot of `actor_id`."""
        with self._lock:
            found = self._items.get(actor_id)
        if found is None:
            return None
        return Snapshot(
            actor_id=found.actor_id,
            kind=found.kind,
            schema_version=found.schema_version,
            state=copy.deepcopy(dict(found.state)),
            updated_at=found.updated_at,
        )

    def delete(self, actor_id: str) -> None:
        """Forget `actor_id`."""
        with self._lock:
            self._items.pop(actor_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
