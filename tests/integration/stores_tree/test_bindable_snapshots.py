"""The tree's snapshot store before, while and after PostgreSQL is bound (real PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import pytest

from tests.integration.stores_tree.kit import snapshot_row
from walltrack.adapters.bindable_snapshots import BindableSnapshotStore
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.actor_snapshots import PostgresSnapshotStore
from walltrack.errors import StoreUnavailableError
from walltrack.ports import Snapshot

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _snapshot(actor_id: str, count: int) -> Snapshot:
    return Snapshot(
        actor_id=actor_id, kind="counter", schema_version=1, state={"count": count}, updated_at=T0
    )


@pytest.fixture
def store() -> Iterator[BindableSnapshotStore]:
    bindable = BindableSnapshotStore(max_staleness_s=60, retry_backoff_s=0.01)
    try:
        yield bindable
    finally:
        bindable.close()


def test_before_the_first_binding_nothing_is_saved_or_restored_silently(
    store: BindableSnapshotStore,
) -> None:
    with pytest.raises(StoreUnavailableError, match="not bound yet"):
        store.save(_snapshot("a", 1))
    # Never "no snapshot": an unreachable store must not restore an empty state.
    with pytest.raises(StoreUnavailableError, match="no snapshot table is bound"):
        store.load("a")


def test_saves_wait_in_the_buffer_across_a_rebinding_and_are_written_to_the_new_table(
    store: BindableSnapshotStore, pg_db: Database, pg_dsn: str
) -> None:
    store.bind(PostgresSnapshotStore(pg_db, synchronous_commit=True))
    store.save(_snapshot("a", 1))
    store.flush()
    assert snapshot_row(pg_dsn, "a") == {"count": 1}

    store.unbind()  # the stores restart
    store.save(_snapshot("a", 2))
    assert store.load("a") == _snapshot("a", 2)  # a restarted actor still gets its newest state
    with pytest.raises(StoreUnavailableError):
        store.flush()  # a durable save cannot be promised now
    assert store.pending_count() == 1
    assert snapshot_row(pg_dsn, "a") == {"count": 1}

    store.bind(PostgresSnapshotStore(pg_db, synchronous_commit=True))  # back: written at once
    assert store.pending_count() == 0
    assert snapshot_row(pg_dsn, "a") == {"count": 2}
    store.delete("a")
    assert store.load("a") is None


class _HeldBatches(PostgresSnapshotStore):
    """The PostgreSQL table, with each batch write held until the test releases it."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, synchronous_commit=True)
        self.writing = threading.Event()
        self.release = threading.Event()

    def save_many(self, snapshots: Sequence[Snapshot], *, durable: bool = False) -> None:
        self.writing.set()
        assert self.release.wait(30)
        super().save_many(snapshots, durable=durable)


def test_a_load_is_not_queued_behind_a_batch_being_written(
    store: BindableSnapshotStore, pg_db: Database, pg_dsn: str
) -> None:
    table = _HeldBatches(pg_db)
    table.release.set()
    store.bind(table)
    store.save(_snapshot("stored", 7))
    store.flush()
    table.release.clear()
    store.save(_snapshot("busy", 1))
    flushing = threading.Thread(target=store.flush)
    flushing.start()
    assert table.writing.wait(30)
    try:
        # An activation reads its snapshot while hundreds of others are being written.
        assert store.load("stored") == _snapshot("stored", 7)
    finally:
        table.release.set()
        flushing.join(30)
    assert snapshot_row(pg_dsn, "busy") == {"count": 1}


def test_unbinding_waits_for_the_batch_in_flight_and_then_refuses_loads(
    store: BindableSnapshotStore, pg_db: Database, pg_dsn: str
) -> None:
    table = _HeldBatches(pg_db)
    store.bind(table)  # the bind's flush has nothing to write: not held
    store.save(_snapshot("late", 3))
    flushing = threading.Thread(target=store.flush)
    flushing.start()
    assert table.writing.wait(30)
    unbinding = threading.Thread(target=store.unbind)
    unbinding.start()
    unbinding.join(0.2)
    assert unbinding.is_alive()  # the table stays bound while its batch is written
    table.release.set()
    unbinding.join(30)
    flushing.join(30)
    assert snapshot_row(pg_dsn, "late") == {"count": 3}
    with pytest.raises(StoreUnavailableError, match="no snapshot table is bound"):
        store.load("late-or-not")
