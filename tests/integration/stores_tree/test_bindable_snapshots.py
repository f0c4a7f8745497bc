"""The tree's snapshot store before, while and after PostgreSQL is bound (real PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
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
