"""`walltrack doctor`, PostgreSQL part: is the store reachable, which version, which
migrations, how long a round trip takes. Never raises: a report says what is wrong."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import psycopg
from psycopg.conninfo import conninfo_to_dict

from walltrack.adapters.postgres.errors import redact
from walltrack.adapters.postgres.migrate import applied_versions, load_migrations


@dataclass(frozen=True, slots=True, kw_only=True)
class PgDoctorReport:
    """One line of the doctor's output for PostgreSQL."""

    target: str
    reachable: bool
    server_version: str | None = None
    schema: str
    migrations_applied: tuple[str, ...] = ()
    migrations_pending: tuple[str, ...] = ()
    round_trip_ms: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Reachable and fully migrated."""
        return self.reachable and not self.migrations_pending and self.error is None

    def summary(self) -> str:
        """A human line: `postgres ok (PostgreSQL 15.x, 3/3 migrations, 0.21 ms)`."""
        if not self.reachable:
            return f"postgres {self.target}: UNREACHABLE ({self.error})"
        total = len(self.migrations_applied) + len(self.migrations_pending)
        state = "ok" if self.ok else "NEEDS MIGRATION"
        return (
            f"postgres {self.target}: {state} ({self.server_version}, schema {self.schema}, "
            f"{len(self.migrations_applied)}/{total} migrations, {self.round_trip_ms} ms)"
        )


def describe_dsn(dsn: str) -> str:
    """Where a DSN points, without credentials: `host:port/db` or `socket dir/db`."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "<unparsable DSN>"
    host = str(params.get("host") or "localhost")
    port = params.get("port") or 5432
    database = params.get("dbname") or params.get("user") or "postgres"
    if host.startswith("/"):
        return f"{host}/{database}"
    return f"{host}:{port}/{database}"


def check_postgres(
    dsn: str, *, schema: str, samples: int = 5, timeout_s: int = 3
) -> PgDoctorReport:
    """Connect, read the version and migration ledger, time `samples` round trips."""
    target = describe_dsn(dsn)
    known = tuple(m.label for m in load_migrations())
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=timeout_s) as conn:
            version_row = conn.execute("SHOW server_version").fetchone()
            applied = applied_versions(conn, schema)
            timings = []
            for _ in range(max(1, samples)):
                started = time.perf_counter()
                conn.execute("SELECT 1").fetchone()
                timings.append((time.perf_counter() - started) * 1000)
    except (psycopg.Error, OSError) as error:
        lines = str(error).strip().splitlines()
        message = redact(f"{type(error).__name__}: {lines[0] if lines else ''}")
        return PgDoctorReport(target=target, reachable=False, schema=schema, error=message)
    return PgDoctorReport(
        target=target,
        reachable=True,
        server_version=f"PostgreSQL {version_row[0]}" if version_row else None,
        schema=schema,
        migrations_applied=applied,
        migrations_pending=tuple(label for label in known if label not in applied),
        round_trip_ms=round(statistics.median(timings), 3),
    )
