"""Actor snapshots: save/load, stale-write guard, schema upgrades, write-behind batching."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.postgres.builders import PLUS_5, T0
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.actor_snapshots import PostgresSnapshotStore
from walltrack.adapters.postgres.snapshot_upgrades import SnapshotUpgrades
from walltrack.adapters.postgres.write_behind import WriteBehindSnapshotStore
from walltrack.errors import SnapshotUpgradeError
from walltrack.ports import Snapshot, SnapshotStore

pytestmark = pytest.mark.integration

WAIT_S = 10


def snap(actor_id: str = "wallet:W1", version: int = 1, seconds: int = 0, **state: Any) -> Snapshot:
    return Snapshot(
        actor_id=actor_id,
        kind="wallet",
        schema_version=version,
        state=state or {"balance_lamports": 10**18, "price": "0.000000123", "n": [1, 2]},
        updated_at=T0 + timedelta(seconds=seconds),
    )


def test_save_load_replace_delete(pg_db: Database) -> None:
    store: SnapshotStore = PostgresSnapshotStore(pg_db)
    assert store.load("wallet:W1") is None
    first = snap()
    store.save(first)
    assert store.load("wallet:W1") == first
    newer = snap(seconds=5, n=3)
    store.save(newer)
    assert store.load("wallet:W1") == newer
    store.delete("wallet:W1")
    assert store.load("wallet:W1") is None


def test_a_stale_snapshot_never_overwrites_a_newer_one(pg_db: Database) -> None:
    store = PostgresSnapshotStore(pg_db, synchronous_commit=True)
    newer = snap(seconds=10, n=2)
    store.save(newer)
    store.save(snap(seconds=1, n=1))
    assert store.load("wallet:W1") == newer


def test_a_durable_save_replaces_an_older_row_never_a_newer_one(pg_db: Database) -> None:
    store = PostgresSnapshotStore(pg_db)  # asynchronous batches; the durable save is not
    newer = snap(seconds=10, n=2)
    store.save_durably(snap(seconds=5, n=1))
    store.save_durably(newer)
    store.save_durably(snap(seconds=1, n=0))
    assert store.load("wallet:W1") == newer


def test_timestamps_come_back_in_utc_and_equal(pg_db: Database) -> None:
    store = PostgresSnapshotStore(pg_db)
    local = Snapshot(
        actor_id="a", kind="k", schema_version=1, state={}, updated_at=T0.astimezone(PLUS_5)
    )
    store.save(local)
    loaded = store.load("a")
    assert loaded is not None
    assert loaded.updated_at == T0
    assert loaded.updated_at.utcoffset() == timedelta(0)


def _v1_to_v2(state: Mapping[str, Any]) -> dict[str, Any]:
    return {"balance_lamports": int(state["balance_sol"] * 10**9), "trades": []}


def _v2_to_v3(state: Mapping[str, Any]) -> dict[str, Any]:
    return {**state, "trade_count": len(state["trades"])}


def test_old_snapshots_are_upgraded_on_load(pg_db: Database) -> None:
    upgrades = SnapshotUpgrades()
    upgrades.register("wallet", 1, _v1_to_v2)
    upgrades.step("wallet", 2)(_v2_to_v3)
    assert upgrades.current_version("wallet") == 3

    PostgresSnapshotStore(pg_db).save(snap(version=1, balance_sol=2))
    store = PostgresSnapshotStore(pg_db, upgrades=upgrades)
    loaded = store.load("wallet:W1")

    assert loaded is not None
    assert loaded.schema_version == 3
    assert loaded.state == {"balance_lamports": 2_000_000_000, "trades": [], "trade_count": 0}
    assert store.load_kind("wallet") == [loaded]


def test_missing_step_or_future_version_is_refused(pg_db: Database) -> None:
    upgrades = SnapshotUpgrades()
    upgrades.register("wallet", 2, _v2_to_v3)
    plain = PostgresSnapshotStore(pg_db)
    plain.save(snap(actor_id="old", version=1))
    plain.save(snap(actor_id="future", version=9))
    store = PostgresSnapshotStore(pg_db, upgrades=upgrades)
    with pytest.raises(SnapshotUpgradeError, match="v1: no upgrade registered to v2"):
        store.load("old")
    with pytest.raises(SnapshotUpgradeError, match="newer than this release"):
        store.load("future")


def test_write_behind_coalesces_and_flushes(pg_db: Database) -> None:
    backing = PostgresSnapshotStore(pg_db)
    with WriteBehindSnapshotStore(backing, max_staleness_s=3600) as store:
        for i in range(100):
            store.save(snap(seconds=i, n=i))
        store.save(snap(actor_id="wallet:W2"))
        assert backing.load("wallet:W1") is None  # nothing written yet
        assert store.load("wallet:W1") == snap(seconds=99, n=99)  # but readable

        store.flush("wallet:W1")  # passivation of one actor
        assert backing.load("wallet:W1") == snap(seconds=99, n=99)
        assert backing.load("wallet:W2") is None
        assert store.pending_count() == 1
    assert backing.load("wallet:W2") == snap(actor_id="wallet:W2")  # close() flushed the rest
    stats = store.stats
    assert (stats.saves, stats.coalesced, stats.written) == (101, 99, 2)


class GatedBatches:
    """The real table; the first write holding `held` waits until the test opens the gate."""

    def __init__(self, backing: PostgresSnapshotStore, held: str) -> None:
        self.backing = backing
        self.held = held
        self.gate = threading.Event()
        self.blocked = threading.Event()
        self.written: list[tuple[str, int]] = []  # (actor, its state's n) in commit order

    def save_many(self, snapshots: Sequence[Snapshot], *, durable: bool = False) -> None:
        if not self.blocked.is_set() and any(s.actor_id == self.held for s in snapshots):
            self.blocked.set()  # the first write holding `held` only
            assert self.gate.wait(WAIT_S)
        self.backing.save_many(snapshots, durable=durable)
        self.written += [(s.actor_id, s.state["n"]) for s in snapshots]

    def save_durably(self, snapshot: Snapshot) -> None:
        self.backing.save_durably(snapshot)
        self.written.append((snapshot.actor_id, snapshot.state["n"]))

    def load(self, actor_id: str) -> Snapshot | None:
        return self.backing.load(actor_id)

    def delete(self, actor_id: str) -> None:
        self.backing.delete(actor_id)


def test_one_actors_flush_passes_a_batch_in_flight(pg_db: Database) -> None:
    gated = GatedBatches(PostgresSnapshotStore(pg_db), held="positions")
    with WriteBehindSnapshotStore(gated, max_staleness_s=3600) as store:
        store.save(snap(actor_id="positions", seconds=1, n=1))
        batch = threading.Thread(target=store.flush)  # the writer's batch, held mid-write
        batch.start()
        assert gated.blocked.wait(WAIT_S)
        store.save(snap(actor_id="scorer", seconds=1, n=1))
        store.flush("scorer")  # a durable save of another actor: not behind the batch
        store.save(snap(actor_id="positions", seconds=2, n=2))
        store.flush("positions")  # newer than its save in the batch: not behind it either
        assert gated.written == [("scorer", 1), ("positions", 2)]
        gated.gate.set()
        batch.join(WAIT_S)
        assert gated.written[-1] == ("positions", 1)  # the older save landed last...
    assert gated.backing.load("positions") == snap(actor_id="positions", seconds=2, n=2)


def test_a_save_not_newer_than_the_one_in_flight_waits_for_it(pg_db: Database) -> None:
    gated = GatedBatches(PostgresSnapshotStore(pg_db), held="positions")
    with WriteBehindSnapshotStore(gated, max_staleness_s=3600) as store:
        store.save(snap(actor_id="positions", seconds=5, n=1))
        batch = threading.Thread(target=store.flush)
        batch.start()
        assert gated.blocked.wait(WAIT_S)
        store.save(snap(actor_id="positions", seconds=5, n=2))  # the clock did not move
        own = threading.Thread(target=store.flush, args=("positions",))
        own.start()
        gated.gate.set()
        batch.join(WAIT_S)
        own.join(WAIT_S)
        assert gated.written == [("positions", 1), ("positions", 2)]
    assert gated.backing.load("positions") == snap(actor_id="positions", seconds=5, n=2)


class RecordedBatches(GatedBatches):
    """The real table, with each `save_many` call's actors recorded (never held)."""

    def __init__(self, backing: PostgresSnapshotStore) -> None:
        super().__init__(backing, held="")
        self.batches: list[list[str]] = []
        self.durable: list[bool] = []
        self.timed = threading.Event()

    def save_many(self, snapshots: Sequence[Snapshot], *, durable: bool = False) -> None:
        self.batches.append([s.actor_id for s in snapshots])
        self.durable.append(durable)
        self.backing.save_many(snapshots, durable=durable)
        if threading.current_thread().name == "walltrack-snapshot-writer":
            self.timed.set()


def test_a_solo_actors_row_is_written_in_a_transaction_of_its_own(pg_db: Database) -> None:
    recorded = RecordedBatches(PostgresSnapshotStore(pg_db))
    actors = ("wallet:W1", "positions", "scorer")
    with WriteBehindSnapshotStore(recorded, max_staleness_s=3600, solo=("positions",)) as store:
        for actor in actors:
            store.save(snap(actor_id=actor, n=1))
        store.flush()
    # The shared batch's row locks are held until it commits; the solo row never waits.
    assert recorded.batches == [["wallet:W1", "scorer"], ["positions"]]
    assert [recorded.backing.load(a) for a in actors] == [snap(actor_id=a, n=1) for a in actors]


def test_timed_batches_commit_asynchronously_and_asked_flushes_durably(pg_db: Database) -> None:
    recorded = RecordedBatches(PostgresSnapshotStore(pg_db))
    with WriteBehindSnapshotStore(recorded, max_staleness_s=0.05) as timed:
        timed.save(snap(n=1))
        assert recorded.timed.wait(WAIT_S)  # the writer thread's batch: a cache, lossy by 1 s
    with WriteBehindSnapshotStore(recorded, max_staleness_s=3600) as asked:
        asked.save(snap(n=2))
        asked.flush()  # asked for (the stores rebound, a test settling): committed to disk
        asked.save(snap(n=3))
    # closed with a save pending: the last write of a process, committed to disk
    assert recorded.durable == [False, True, True]
    assert recorded.backing.load("wallet:W1") == snap(n=3)


def test_write_behind_writes_within_the_staleness_bound(pg_db: Database) -> None:
    backing = PostgresSnapshotStore(pg_db)
    written = threading.Event()
    store = WriteBehindSnapshotStore(
        backing, max_staleness_s=0.2, on_batch_written=lambda _n: written.set()
    )
    try:
        store.save(snap(n=1))
        store.save(snap(actor_id="wallet:W2", n=2))
        assert written.wait(WAIT_S)
        assert backing.load("wallet:W1") == snap(n=1)
        assert backing.load("wallet:W2") == snap(actor_id="wallet:W2", n=2)
        assert store.stats.batches == 1
    finally:
        store.close()


def test_delete_drops_pending_and_stored(pg_db: Database) -> None:
    backing = PostgresSnapshotStore(pg_db)
    backing.save(snap())
    with WriteBehindSnapshotStore(backing, max_staleness_s=3600) as store:
        store.save(snap(seconds=1))
        store.delete("wallet:W1")
        assert store.load("wallet:W1") is None
    assert backing.load("wallet:W1") is None
