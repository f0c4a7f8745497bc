"""The embedded server (socket only, data survives a restart) and the doctor's report."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.integration.pg_fixtures import PG_SCHEMA
from tests.integration.postgres.builders import T0
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.doctor import check_postgres, describe_dsn
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import load_migrations, prepare_schema
from walltrack.adapters.postgres.repositories.wallets import WalletRepository

pytestmark = pytest.mark.integration


def test_embedded_server_is_socket_only_and_keeps_data_across_restarts(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / "data")
    try:
        dsn = server.start()
        host = str(conninfo_to_dict(dsn)["host"])
        assert host.startswith("/")  # a socket directory, not a hostname
        assert server.is_running()
        assert server.healthy()
        with psycopg.connect(dsn) as conn:
            settings = conn.execute(
                "SELECT current_setting('listen_addresses'),"
                " current_setting('unix_socket_permissions')"
            ).fetchone()
        assert settings == ("", "0700")

        prepare_schema(dsn, PG_SCHEMA)
        with Database(dsn, schema=PG_SCHEMA) as db:
            WalletRepository(db).add_discovered("W1", at=T0)
        server.stop()
        assert not server.is_running()
        assert not server.healthy()

        again = EmbeddedPostgres(tmp_path / "data")  # e.g. the next run of WallTrack
        dsn_again = again.start()
        try:
            with Database(dsn_again, schema=PG_SCHEMA) as db:
                wallet = WalletRepository(db).get("W1")
            assert wallet is not None
            assert wallet.discovered_at == T0
            report = check_postgres(dsn_again, schema=PG_SCHEMA)
            assert report.ok
            assert report.target.endswith("/walltrack")
        finally:
            again.stop()
    finally:
        server.stop()


def test_embedded_server_comes_back_after_being_killed(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / "data")
    try:
        dsn = server.start()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (x int)")
            conn.execute("INSERT INTO kept VALUES (42)")
        killed = server.pid
        assert killed is not None
        os.kill(killed, signal.SIGKILL)  # what the StoresSupervisor must recover from

        dsn = server.start()  # the supervisor's restart
        assert server.pid != killed
        assert server.is_running()
        with psycopg.connect(dsn) as conn:
            assert conn.execute("SELECT x FROM kept").fetchall() == [(42,)]
    finally:
        server.stop()


def test_doctor_reports_a_healthy_migrated_store(pg_dsn: str) -> None:
    report = check_postgres(pg_dsn, schema=PG_SCHEMA)
    assert report.ok
    assert report.reachable
    assert report.server_version is not None
    assert report.server_version.startswith("PostgreSQL ")
    assert report.migrations_applied == tuple(m.label for m in load_migrations())
    assert report.migrations_pending == ()
    assert report.round_trip_ms is not None
    assert 0 < report.round_trip_ms < 100
    assert "ok (PostgreSQL" in report.summary()


def test_doctor_reports_pending_migrations(pg_empty_dsn: str) -> None:
    report = check_postgres(pg_empty_dsn, schema="walltrack_live")
    assert report.reachable
    assert not report.ok
    assert report.migrations_applied == ()
    assert report.migrations_pending == tuple(m.label for m in load_migrations())
    assert "NEEDS MIGRATION" in report.summary()


def test_doctor_reports_an_unreachable_store_without_secrets() -> None:
    dsn = "postgresql://walltrack:s3cret@127.0.0.1:1/walltrack"
    report = check_postgres(dsn, schema=PG_SCHEMA, timeout_s=1)
    assert not report.reachable
    assert not report.ok
    assert report.target == "127.0.0.1:1/walltrack"
    assert report.error is not None
    assert "s3cret" not in report.error
    assert "s3cret" not in report.summary()


def test_describe_dsn_handles_socket_hosts() -> None:
    assert describe_dsn("postgresql://postgres@/walltrack?host=%2Ftmp%2Fpg") == "/tmp/pg/walltrack"
    assert describe_dsn("host=db.example port=6543 dbname=postgres password=x") == (
        "db.example:6543/postgres"
    )
