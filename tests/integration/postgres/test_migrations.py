"""Migrations: ordered, idempotent, safe when two processes race, schemas kept apart."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from walltrack.adapters.postgres.migrate import (
    applied_versions,
    load_migrations,
    prepare_schema,
)
from walltrack.adapters.postgres.schema import schema_for
from walltrack.domain.params import PRESETS, SECTIONS
from walltrack.errors import ConfigurationError

pytestmark = pytest.mark.integration


def test_migration_files_are_numbered_in_order() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert len(migrations) >= 3


def test_prepare_twice_applies_once(pg_empty_dsn: str) -> None:
    first = prepare_schema(pg_empty_dsn, "walltrack_paper")
    second = prepare_schema(pg_empty_dsn, "walltrack_paper")

    labels = tuple(m.label for m in load_migrations())
    assert first.applied_now == labels
    assert second.applied_now == ()
    assert second.already_applied == labels
    with psycopg.connect(pg_empty_dsn) as conn:
        assert applied_versions(conn, "walltrack_paper") == labels
        rows = conn.execute("SELECT version FROM walltrack_paper.schema_migrations").fetchall()
        assert sorted(r[0] for r in rows) == list(range(1, len(labels) + 1))


def test_seeds_config_sections_and_five_presets(pg_empty_dsn: str) -> None:
    prepare_schema(pg_empty_dsn, "walltrack_paper")
    with psycopg.connect(pg_empty_dsn) as conn:
        sections = {r[0] for r in conn.execute("SELECT section FROM walltrack_paper.config")}
        presets = {r[0] for r in conn.execute("SELECT name FROM walltrack_paper.exit_strategies")}
    assert sections == set(SECTIONS)
    assert presets == {p.name for p in PRESETS}
    assert len(presets) == 5


def test_concurrent_start_up_is_serialised(pg_empty_dsn: str) -> None:
    barrier = threading.Barrier(4)

    def start() -> tuple[str, ...]:
        barrier.wait()
        return prepare_schema(pg_empty_dsn, "walltrack_paper").applied_now

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: start(), range(4)))

    applied = [r for r in results if r]
    assert len(applied) == 1, results
    with psycopg.connect(pg_empty_dsn) as conn:
        count = conn.execute("SELECT count(*) FROM walltrack_paper.config").fetchone()
    assert count == (len(SECTIONS),)


def test_paper_and_live_never_share_tables(pg_empty_dsn: str) -> None:
    prepare_schema(pg_empty_dsn, schema_for("paper"))
    prepare_schema(pg_empty_dsn, schema_for("live"))
    with psycopg.connect(pg_empty_dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO walltrack_paper.alerts (raised_at, severity, source, code, message)"
            " VALUES (now(), 'info', 'test', 'x', 'paper only')"
        )
        live = conn.execute("SELECT count(*) FROM walltrack_live.alerts").fetchone()
        paper = conn.execute("SELECT count(*) FROM walltrack_paper.alerts").fetchone()
    assert (paper, live) == ((1,), (0,))


def test_backtest_runs_get_their_own_schema(pg_empty_dsn: str) -> None:
    schema = schema_for("backtest", "run_42")
    report = prepare_schema(pg_empty_dsn, schema)
    assert schema == "walltrack_backtest_run_42"
    assert report.current_version == len(load_migrations())
    with pytest.raises(ConfigurationError, match="run id"):
        schema_for("backtest", "Run-42; DROP")


def test_edited_migration_is_refused(pg_empty_dsn: str) -> None:
    prepare_schema(pg_empty_dsn, "walltrack_paper")
    with psycopg.connect(pg_empty_dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE walltrack_paper.schema_migrations SET checksum = 'tampered' WHERE version = 2"
        )
    with pytest.raises(ConfigurationError, match="0002_trading: changed after it was applied"):
        prepare_schema(pg_empty_dsn, "walltrack_paper")


def test_database_newer_than_code_is_refused(pg_empty_dsn: str) -> None:
    prepare_schema(pg_empty_dsn, "walltrack_paper")
    with psycopg.connect(pg_empty_dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO walltrack_paper.schema_migrations (version, name, checksum)"
            " VALUES (999, 'future', 'x')"
        )
    with pytest.raises(ConfigurationError, match="0999"):
        prepare_schema(pg_empty_dsn, "walltrack_paper")
