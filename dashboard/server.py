"""The dashboard's web server: Panel's tornado server on its own thread, bound as configured.

Why a token off loopback: the dashboard can pause trading and change risk limits; on
127.0.0.1 only the operator's machine reaches it, on any other address a login with the
dashboard token is required (Panel's basic auth, the token as password), or it refuses to
start.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import panel as pn

from walltrack.errors import ConfigurationError
from walltrack.logging import get_logger

_log = get_logger("dashboard_server")

TOKEN_VARIABLE = "WALLTRACK_DASHBOARD_TOKEN"  # noqa: S105 - a variable name


def is_loopback(host: str) -> bool:
    """Whether `host` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origins(host: str, port: int) -> list[str]:
    """The websocket origins a browser may open the page from."""
    names = {host, "127.0.0.1", "localhost"} if is_loopback(host) else {host}
    return sorted(f"{name}:{port}" for name in names)


def _check_free(host: str, port: int) -> None:
    """Raise OSError when `host:port` cannot be bound (e.g. another dashboard holds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, port))


CLOSED_SESSION_MS = 1000
"""A closed tab's session is dropped within about 2 s (Bokeh keeps it 15 s, checked every
17 s): until then its periodic push and the hub's wake-ups keep re-rendering it on the
server's one thread, and a dozen such sessions starved the open ones (pages built on first
opening took over 30 s under load)."""


class DashboardServer:
    """start() serves `app` at http://host:port/; stop() shuts the server down."""

    def __init__(
        self,
        app: Callable[[], Any],
        *,
        host: str,
        port: int,
        token: str | None,
        allow_origins: list[str] | None = None,
    ) -> None:
        if not is_loopback(host) and not token:
            raise ConfigurationError(
                TOKEN_VARIABLE, f"serving the dashboard on {host} (not loopback) needs a token"
            )
        self._app = app
        self.host = host
        self.port = port
        self._token = token if not is_loopback(host) else None
        self._origins = allow_origins or origins(host, port)
        self._thread: Any = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """Where the dashboard answers."""
        return f"http://{self.host}:{self.port}/"

    def start(self) -> None:
        """Serve on a daemon thread; returns once the server is listening."""
        with self._lock:
            if self._thread is not None:
                return
            _check_free(self.host, self.port)  # the server binds on its thread: fail here
            auth: dict[str, Any] = {}
            if self._token:
                auth = {"basic_auth": self._token, "cookie_secret": secrets.token_urlsafe(32)}
            serve: Callable[..., Any] = pn.serve
            self._thread = serve(
                {"/": self._app},
                address=self.host,
                port=self.port,
                allow_websocket_origin=self._origins,
                show=False,
                threaded=True,
                title="WallTrack",
                check_unused_sessions_milliseconds=CLOSED_SESSION_MS,
                unused_session_lifetime_milliseconds=CLOSED_SESSION_MS,
                **auth,
            )
        self._wait_listening()
        self._warm()
        _log.info("dashboard_started", url=self.url, login=bool(self._token))

    def _warm(self) -> None:
        """Build one throwaway page now, so the operator's first one finds the server warm."""
        if self._token:
            return  # behind the login: nothing to build without it
        host = "127.0.0.1" if self.host in {"0.0.0.0", "localhost"} else self.host  # noqa: S104
        try:
            httpx.get(f"http://{host}:{self.port}/", timeout=60.0)
        except httpx.HTTPError as error:  # only slower later, never wrong
            _log.warning("dashboard_warm_up_failed", error=type(error).__name__)

    def _wait_listening(self, timeout_s: float = 20.0) -> None:
        """The server thread binds asynchronously: wait until the port accepts."""
        host = "127.0.0.1" if self.host in {"0.0.0.0", "localhost"} else self.host  # noqa: S104
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with socket.create_connection((host, self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server thread (idempotent)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.stop()
            _log.info("dashboard_stopped", url=self.url)
