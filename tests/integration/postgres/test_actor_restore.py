"""A killed actor's successor rebuilds from the latest snapshot (pykka, real PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pykka
import pytest

from tests.integration.pg_fixtures import PG_SCHEMA
from tests.integration.postgres.builders import T0
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.actor_snapshots import PostgresSnapshotStore
from walltrack.adapters.postgres.write_behind import WriteBehindSnapshotStore
from walltrack.clock import ManualClock
from walltrack.ports import Snapshot, SnapshotStore

pytestmark = pytest.mark.integration

WAIT_S = 10


class CountingActor(pykka.ThreadingActor):
    """Counts messages; its state lives in snapshots, never only in memory."""

    def __init__(self, store: SnapshotStore, clock: ManualClock) -> None:
        super().__init__()
        self._store = store
        self._clock = clock
        self.count = 0

    def on_start(self) -> None:
        snapshot = self._store.load("counter:1")
        self.count = int(snapshot.state["count"]) if snapshot else 0

    def on_receive(self, message: Any) -> Any:
        match message:
            case "crash":
                raise RuntimeError("boom")
            case "get":
                return self.count
            case _:
                self.count += 1
                self._clock.advance(0.001)
                self._store.save(
                    Snapshot(
                        actor_id="counter:1",
                        kind="counter",
                        schema_version=1,
                        state={"count": self.count},
                        updated_at=self._clock.now(),
                    )
                )
                return None


def _crash(ref: pykka.ActorRef[Any]) -> None:
    ref.tell("crash")
    assert ref.actor_stopped.wait(WAIT_S)


def test_successor_of_a_killed_actor_restores_its_state(pg_db: Database) -> None:
    clock = ManualClock(T0)
    store = WriteBehindSnapshotStore(PostgresSnapshotStore(pg_db), max_staleness_s=0.05)
    try:
        first = CountingActor.start(store, clock)
        for _ in range(7):
            first.ask("inc", timeout=WAIT_S)
        _crash(first)

        second = CountingActor.start(store, clock)
        assert second.ask("get", timeout=WAIT_S) == 7
        second.ask("inc", timeout=WAIT_S)
        second.stop()
    finally:
        store.close()


def test_restart_of_the_process_reads_the_flushed_snapshot(pg_dsn: str) -> None:
    clock = ManualClock(T0)
    with Database(pg_dsn, schema=PG_SCHEMA) as db:
        store = WriteBehindSnapshotStore(PostgresSnapshotStore(db), max_staleness_s=3600)
        actor = CountingActor.start(store, clock)
        for _ in range(3):
            actor.ask("inc", timeout=WAIT_S)
        actor.stop()
        store.flush()  # what passivation / shutdown does
        store.close()

    with Database(pg_dsn, schema=PG_SCHEMA) as fresh_db:  # a new process: new pool, no cache
        restored = CountingActor.start(PostgresSnapshotStore(fresh_db), clock)
        try:
            assert restored.ask("get", timeout=WAIT_S) == 3
        finally:
            restored.stop()
