"""Actor snapshots in PostgreSQL: the SnapshotStore port a restarted actor rebuilds from.

Why asynchronous commit for these writes: a snapshot is a cache of actor state that is
rewritten every second or so; losing the last few hundred milliseconds of snapshots in an
OS crash is within the staleness the write-behind store already accepts, while waiting for
a WAL flush on every save would put disk latency on every actor. (Pass
`synchronous_commit=True` to change that.) One exception: `save_durably`, the journal
written before a side effect, always commits synchronously. A stale write can never
overwrite a newer snapshot: the upsert only replaces a row whose `updated_at` is not later.
"""

from __future__ import annotations

from collections.abc import Sequence

from walltrack.adapters.postgres.database import Conn, Database
from walltrack.adapters.postgres.rows import Row, jsonb
from walltrack.adapters.postgres.snapshot_upgrades import SnapshotUpgrades
from walltrack.ports import Snapshot

_INSERT = "INSERT INTO actor_snapshots (actor_id, kind, schema_version, state, updated_at)"
_VALUES = "%(actor_id)s, %(kind)s, %(schema_version)s, %(state)s, %(updated_at)s"
_UNLESS_NEWER = """
ON CONFLICT (actor_id) DO UPDATE SET kind = EXCLUDED.kind,
    schema_version = EXCLUDED.schema_version, state = EXCLUDED.state,
    updated_at = EXCLUDED.updated_at
WHERE actor_snapshots.updated_at <= EXCLUDED.updated_at
"""
_UPSERT = f"{_INSERT} VALUES ({_VALUES}) {_UNLESS_NEWER}"
_ASYNC_COMMIT = "SET LOCAL synchronous_commit TO off"
_GET = "SELECT * FROM actor_snapshots WHERE actor_id = %(actor_id)s"
_BY_KIND = "SELECT * FROM actor_snapshots WHERE kind = %(kind)s ORDER BY actor_id"
_DELETE = "DELETE FROM actor_snapshots WHERE actor_id = %(actor_id)s"


class PostgresSnapshotStore:
    """SnapshotStore on the actor_snapshots table, with schema upgrades on load."""

    def __init__(
        self,
        db: Database,
        *,
        upgrades: SnapshotUpgrades | None = None,
        synchronous_commit: bool = False,
    ) -> None:
        self._db = db
        self._upgrades = upgrades or SnapshotUpgrades()
        self._sync = synchronous_commit

    def save(self, snapshot: Snapshot) -> None:
        """Store `snapshot`, replacing an older one of the same actor."""
        self.save_many((snapshot,))

    def save_durably(self, snapshot: Snapshot) -> None:
        """Store one snapshot in one statement, committed synchronously whatever this
        store's setting: it journals an effect about to run (an order sent), and it is
        on that effect's path (one round trip, where a transaction is three messages)."""
        row = snapshot_params(snapshot)
        self._db.write_one(lambda c: c.execute(_UPSERT, row))

    def save_many(self, snapshots: Sequence[Snapshot], *, durable: bool = False) -> None:
        """Store a batch in one transaction (what the write-behind store flushes); a
        `durable` one is committed synchronously whatever this store's setting."""
        if not snapshots:
            return
        rows = [snapshot_params(s) for s in snapshots]
        synchronous = durable or self._sync

        def work(conn: Conn) -> None:
            if not synchronous:
                conn.execute(_ASYNC_COMMIT)
            if len(rows) == 1:
                conn.execute(_UPSERT, rows[0])
            else:
                with conn.cursor() as cur:
                    cur.executemany(_UPSERT, rows)

        self._db.write(work, pipeline=True)

    def load(self, actor_id: str) -> Snapshot | None:
        """The latest snapshot of `actor_id`, upgraded to the current schema version."""
        row = self._db.read(lambda c: c.execute(_GET, {"actor_id": actor_id}).fetchone())
        return None if row is None else self._upgrades.upgrade(_snapshot(row))

    def load_kind(self, kind: str) -> list[Snapshot]:
        """Every snapshot of one actor kind (e.g. to re-register virtual wallet actors)."""
        rows = self._db.read(lambda c: c.execute(_BY_KIND, {"kind": kind}).fetchall())
        return [self._upgrades.upgrade(_snapshot(r)) for r in rows]

    def delete(self, actor_id: str) -> None:
        """Forget an actor for good."""
        self._db.write(lambda c: c.execute(_DELETE, {"actor_id": actor_id}))


def _snapshot(row: Row) -> Snapshot:
    return Snapshot(
        actor_id=row["actor_id"],
        kind=row["kind"],
        schema_version=int(row["schema_version"]),
        state=row["state"],
        updated_at=row["updated_at"],
    )


def snapshot_params(snapshot: Snapshot) -> dict[str, object]:
    """The upsert's parameters, by name."""
    s = snapshot
    return {
        "actor_id": s.actor_id,
        "kind": s.kind,
        "schema_version": s.schema_version,
        "state": jsonb(dict(s.state), sliced=True),
        "updated_at": s.updated_at,
    }
