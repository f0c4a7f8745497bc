"""Versioned SQL migrations, applied at start-up, once, in order, under one schema.

Why: every process (actors, webhook app, CLI, tests) calls `prepare_schema` on start;
it must be idempotent and safe when two processes start together. All pending
migrations and the seed data run in ONE transaction holding an advisory lock keyed on the
schema, so a second process waits, then finds everything applied. A migration edited after
it was applied is refused (checksum), as is a database newer than the code.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg
from psycopg import sql

from walltrack.adapters.postgres.schema import check_schema_name
from walltrack.adapters.postgres.seed import seed_defaults
from walltrack.errors import ConfigurationError

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_PACKAGE = "walltrack.adapters.postgres.migrations"

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """One SQL file: `0002_trading.sql` is version 2, name `trading`."""

    version: int
    name: str
    sql: str
    checksum: str

    @property
    def label(self) -> str:
        """`0002_trading`."""
        return f"{self.version:04d}_{self.name}"


@dataclass(frozen=True, slots=True, kw_only=True)
class MigrationReport:
    """What `prepare_schema` found and did."""

    schema: str
    applied_now: tuple[str, ...]
    already_applied: tuple[str, ...]

    @property
    def current_version(self) -> int:
        """Highest version now in the schema."""
        labels = self.applied_now + self.already_applied
        return max((int(label[:4]) for label in labels), default=0)


def load_migrations() -> tuple[Migration, ...]:
    """The migration files shipped with this release, in version order (1, 2, 3 ...)."""
    found: list[Migration] = []
    for entry in resources.files(_PACKAGE).iterdir():
        match = _FILE.match(entry.name)
        if match is None:
            continue
        text = entry.read_text(encoding="utf-8")
        found.append(
            Migration(
                version=int(match.group(1)),
                name=match.group(2),
                sql=text,
                checksum=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if [m.version for m in found] != expected:
        msg = f"migration versions must be 1..n without gaps, got {[m.version for m in found]}"
        raise RuntimeError(msg)
    return tuple(found)


def apply_migrations(conn: psycopg.Connection[Any], schema: str) -> MigrationReport:
    """Apply pending migrations and seed defaults under `schema`, atomically.

    `conn` must not be inside a transaction; it is used for one transaction here.
    """
    check_schema_name(schema)
    migrations = load_migrations()
    done: list[str] = []
    applied_now: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"walltrack:{schema}",))
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
        conn.execute(_CREATE_LEDGER)
        cursor = conn.execute("SELECT version, name, checksum FROM schema_migrations")
        ledger = {int(r[0]): (str(r[1]), str(r[2])) for r in cursor.fetchall()}
        known = {m.version for m in migrations}
        newer = sorted(v for v in ledger if v not in known)
        if newer:
            raise ConfigurationError(
                f"database schema {schema}",
                f"has migration {newer[0]:04d} that this release does not know; upgrade WallTrack",
            )
        for migration in migrations:
            if migration.version in ledger:
                if ledger[migration.version][1] != migration.checksum:
                    raise ConfigurationError(
                        f"migration {migration.label}",
                        "changed after it was applied (checksum mismatch)",
                    )
                done.append(migration.label)
                continue
            conn.execute(migration.sql.encode())
            conn.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                (migration.version, migration.name, migration.checksum),
            )
            applied_now.append(migration.label)
        seed_defaults(conn)
    return MigrationReport(
        schema=schema, applied_now=tuple(applied_now), already_applied=tuple(done)
    )


def prepare_schema(dsn: str, schema: str) -> MigrationReport:
    """Connect, migrate and seed `schema`; what every process calls at start-up."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return apply_migrations(conn, schema)


def applied_versions(conn: psycopg.Connection[Any], schema: str) -> tuple[str, ...]:
    """Labels of the migrations recorded in `schema` (empty when it was never migrated)."""
    check_schema_name(schema)
    exists = conn.execute("SELECT to_regclass(%s)", (f"{schema}.schema_migrations",)).fetchone()
    if exists is None or exists[0] is None:
        return ()
    query = sql.SQL("SELECT version, name FROM {}.schema_migrations ORDER BY version").format(
        sql.Identifier(schema)
    )
    return tuple(f"{int(r[0]):04d}_{r[1]}" for r in conn.execute(query).fetchall())
