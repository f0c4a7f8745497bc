"""Hot configuration: LISTEN for committed config changes and hand over validated params.

Why a dedicated connection and thread: LISTEN is a session property, so it cannot use a
pooled connection that goes back to other work; and waiting for notifications blocks, so
it gets its own thread. The config table's trigger NOTIFYs at commit (whoever wrote it:
repository, dashboard, psql). On each notification for our schema the listener re-reads
the whole configuration, validates it, and calls `on_change(params, sections)`; an
invalid stored configuration goes to `on_invalid` and the last valid parameters stay in
force. After a lost connection it reconnects and reloads (sections = {"*"}), since
notifications sent meanwhile are gone.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import psycopg
import structlog
from psycopg import sql
from psycopg.rows import DictRow, dict_row

from walltrack.adapters.postgres.errors import redact
from walltrack.adapters.postgres.repositories.config import read_params
from walltrack.adapters.postgres.schema import check_schema_name
from walltrack.domain.params import RuntimeParams
from walltrack.errors import InvalidParameterError

CHANNEL = "walltrack_config"
APPLICATION_NAME = "walltrack-config-listener"

type OnChange = Callable[[RuntimeParams, frozenset[str]], None]
type OnInvalid = Callable[[InvalidParameterError], None]

_log = structlog.get_logger(__name__)


class ConfigListener:
    """Pushes validated runtime parameters to a callback whenever the config table changes."""

    def __init__(
        self,
        dsn: str,
        *,
        schema: str,
        on_change: OnChange,
        on_invalid: OnInvalid | None = None,
        poll_s: float = 0.25,
        reconnect_backoff_s: float = 0.5,
    ) -> None:
        self._dsn = dsn
        self._schema = check_schema_name(schema)
        self._on_change = on_change
        self._on_invalid = on_invalid
        self._poll_s = poll_s
        self._backoff = reconnect_backoff_s
        self._stop = threading.Event()
        self._conn: psycopg.Connection[DictRow] | None = None
        self._thread: threading.Thread | None = None
        self.reconnects = 0

    def start(self) -> RuntimeParams:
        """Connect and LISTEN before returning (no change is missed after this call);
        returns the current parameters so the caller starts from a consistent state."""
        self._conn = self._connect()
        params = read_params(self._conn)
        self._thread = threading.Thread(
            target=self._run, name="walltrack-config-listener", daemon=True
        )
        self._thread.start()
        return params

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop listening and close the connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        if self._conn is not None:
            self._conn.close()

    def _connect(self) -> psycopg.Connection[DictRow]:
        conn = psycopg.connect(
            self._dsn,
            autocommit=True,
            row_factory=dict_row,
            application_name=APPLICATION_NAME,
        )
        conn.execute(
            sql.SQL("SET search_path TO {}, pg_catalog").format(sql.Identifier(self._schema))
        )
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
        return conn

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                assert self._conn is not None
                sections = self._wait_for_changes(self._conn)
                if sections:
                    self._deliver(self._conn, sections)
            except psycopg.OperationalError as error:
                _log.warning("config_listener_disconnected", error=redact(str(error)))
                self._reconnect()

    def _wait_for_changes(self, conn: psycopg.Connection[DictRow]) -> frozenset[str]:
        """Sections changed in our schema during one poll window (a burst coalesces)."""
        changed: set[str] = set()
        for notify in conn.notifies(timeout=self._poll_s):
            try:
                payload = json.loads(notify.payload)
            except json.JSONDecodeError:
                continue
            if payload.get("schema") == self._schema:
                changed.add(str(payload.get("section")))
        return frozenset(changed)

    def _deliver(self, conn: psycopg.Connection[DictRow], sections: frozenset[str]) -> None:
        try:
            params = read_params(conn)
        except InvalidParameterError as error:
            _log.error("config_invalid", schema=self._schema, error=str(error))
            if self._on_invalid is not None:
                try:
                    self._on_invalid(error)
                except Exception:
                    _log.exception("config_listener_callback_failed", schema=self._schema)
            return
        _log.info("config_changed", schema=self._schema, sections=sorted(sections))
        try:
            self._on_change(params, sections)
        except Exception:  # a failing receiver must not stop the listener
            _log.exception("config_listener_callback_failed", schema=self._schema)

    def _reconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
        while not self._stop.wait(self._backoff):
            try:
                self._conn = self._connect()
            except psycopg.OperationalError as error:
                _log.warning("config_listener_reconnect_failed", error=redact(str(error)))
                continue
            self.reconnects += 1
            _log.info("config_listener_reconnected", schema=self._schema)
            self._deliver(self._conn, frozenset({"*"}))
            return
