"""Failures: dropped connections are retried and reported, an unreachable server is a
StoreUnavailableError, and 8 threads writing at once lose nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from structlog.testing import capture_logs

from tests.integration.pg_fixtures import PG_SCHEMA, admin_connect
from tests.integration.postgres.builders import T0, a_position
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.actor_snapshots import PostgresSnapshotStore
from walltrack.adapters.postgres.repositories.alerts import AlertRepository
from walltrack.adapters.postgres.repositories.positions import PositionRepository
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.adapters.postgres.write_behind import WriteBehindSnapshotStore
from walltrack.domain.records import AlertRecord, AlertSeverity
from walltrack.errors import Reaction, StoreUnavailableError
from walltrack.ports import Snapshot

pytestmark = pytest.mark.integration


def _kill_pool_connections(dsn: str) -> int:
    with admin_connect(dsn) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND application_name = %s",
            (f"walltrack:{PG_SCHEMA}",),
        ).fetchall()
    return len(rows)


def test_dropped_connection_is_retried_and_reported(pg_dsn: str) -> None:
    db = Database(pg_dsn, schema=PG_SCHEMA, min_size=1, max_size=1, retry_backoff_s=0.01)
    with db:
        wallets = WalletRepository(db)
        wallets.add_discovered("W1", at=T0)
        assert _kill_pool_connections(pg_dsn) == 1

        with capture_logs() as logs:
            assert wallets.get("W1") is not None  # read: retried on a new connection
        assert _kill_pool_connections(pg_dsn) == 1
        with capture_logs() as write_logs:
            wallets.touch_activity("W1", T0 + timedelta(hours=1))  # write before commit

        stats = db.stats
        assert stats.connection_losses == 2
        assert stats.retried_ok == 2
        events = [e["event"] for e in logs + write_logs]
        assert events == ["pg_connection_lost", "pg_connection_lost"]
        assert logs[0]["log_level"] == "warning"
        loaded = wallets.get("W1")
        assert loaded is not None
        assert loaded.last_activity_at == T0 + timedelta(hours=1)


def test_non_idempotent_write_is_also_retried_when_nothing_was_sent(pg_dsn: str) -> None:
    with Database(pg_dsn, schema=PG_SCHEMA, min_size=1, max_size=1) as db:
        alerts = AlertRepository(db)
        alerts.recent()
        _kill_pool_connections(pg_dsn)
        alerts.raise_alert(
            AlertRecord(
                raised_at=T0,
                severity=AlertSeverity.INFO,
                source="t",
                code="c",
                message="m",
                details={},
            )
        )
        assert len(alerts.recent()) == 1


def test_unreachable_server_is_store_unavailable(pg_dsn: str) -> None:
    dead = "host=127.0.0.1 port=1 user=postgres dbname=x password=hunter2"
    db = Database(dead, schema=PG_SCHEMA, timeout_s=1, connect_timeout_s=1)
    with pytest.raises(StoreUnavailableError) as caught:
        db.open()
    assert caught.value.reaction is Reaction.RETRY
    assert "hunter2" not in str(caught.value)
    assert str(caught.value).startswith("postgres: ")


def test_retries_exhausted_is_store_unavailable(pg_dsn: str) -> None:
    db = Database(pg_dsn, schema=PG_SCHEMA, min_size=1, max_size=1, retries=0)
    with db:
        wallets = WalletRepository(db)
        wallets.get("W1")
        _kill_pool_connections(pg_dsn)
        with pytest.raises(StoreUnavailableError, match="retries exhausted after 1 attempt"):
            wallets.get("W1")
        assert db.stats.unavailable == 1
        assert wallets.get("W1") is None  # the pool recovered by itself


def test_eight_threads_writing_positions_and_snapshots_lose_nothing(pg_db: Database) -> None:
    positions = PositionRepository(pg_db)
    direct = PostgresSnapshotStore(pg_db)
    per_thread = 25
    barrier = threading.Barrier(8)

    with WriteBehindSnapshotStore(direct, max_staleness_s=0.05) as behind:

        def work(thread: int) -> None:
            barrier.wait()
            for i in range(per_thread):
                positions.insert(a_position(token_mint=f"M{thread}-{i}"))
                state = {"thread": thread, "i": i}
                at = T0 + timedelta(seconds=i)
                direct.save(
                    Snapshot(
                        actor_id=f"d{thread}-{i}",
                        kind="k",
                        schema_version=1,
                        state=state,
                        updated_at=at,
                    )
                )
                behind.save(
                    Snapshot(
                        actor_id=f"b{thread}",
                        kind="k",
                        schema_version=1,
                        state=state,
                        updated_at=at,
                    )
                )

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(work, range(8)))

    assert positions.count() == 8 * per_thread
    assert len(direct.load_kind("k")) == 8 * per_thread + 8
    for thread in range(8):
        last = direct.load(f"b{thread}")
        assert last is not None
        assert last.state == {"thread": thread, "i": per_thread - 1}


def test_exhausted_pool_fails_fast_with_store_unavailable(pg_dsn: str) -> None:
    holding = threading.Event()
    release = threading.Event()
    with Database(pg_dsn, schema=PG_SCHEMA, min_size=1, max_size=1, timeout_s=0.3) as db:

        def hold(_conn: object) -> None:
            holding.set()
            assert release.wait(10)

        with ThreadPoolExecutor(1) as pool:
            held = pool.submit(db.read, hold)
            assert holding.wait(10)
            try:
                with pytest.raises(StoreUnavailableError, match="no free connection in the pool"):
                    WalletRepository(db).get("W1")
            finally:
                release.set()
            held.result(10)
        assert db.stats.unavailable == 1
        assert WalletRepository(db).get("W1") is None
