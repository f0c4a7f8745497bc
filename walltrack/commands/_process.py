"""What every long-running command shares: settings, logging, the control token, signals,
and the store-backed tree with its HTTP control API.

Why a private module: `demo` and `run` must start and stop the process the same way, and
cli discovery skips modules whose name starts with an underscore.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from supervisors.dashboard_wiring import start_dashboard
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from supervisors.wiring import StoresPlan, plan_stores, root_spec, tree_services
from walltrack.adapters.webhook.control_api import make_app
from walltrack.adapters.webhook.helius_receiver import WebhookDependencies
from walltrack.adapters.webhook.server import HttpServerThread
from walltrack.config import Settings, load_settings
from walltrack.domain.messages.base import Command
from walltrack.domain.tree import TreeSnapshot
from walltrack.logging import configure_logging
from walltrack.ports import Clock, MetricsSource

TOKEN_FILE = "control-token"  # noqa: S105 - a file name, not a secret
EXIT_START_FAILED = 1
QUIET_LOGGERS = ("httpx", "httpcore")


def settings_and_logging() -> Settings:
    """Validated settings (a bad one stops here, naming its variable) and logging."""
    settings = load_settings()
    secret_values = [
        value.get_secret_value()
        for value in (
            settings.pg_dsn,
            settings.graph_password,
            settings.helius_api_key,
            settings.helius_webhook_secret,
            settings.helius_webhook_hmac_secret,
            settings.jupiter_api_key,
            settings.birdeye_api_key,
            settings.keypair,
            settings.dashboard_token,
            settings.control_token,
        )
        if value is not None
    ]
    configure_logging(settings.log_level, settings.log_format, secrets=secret_values)
    for chatty in QUIET_LOGGERS:  # one INFO line per HTTP request (health probes included)
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    return settings


def control_token(settings: Settings) -> str:
    """The control API's bearer token: from the environment, else generated once per data dir."""
    if settings.control_token is not None:
        return settings.control_token.get_secret_value()
    path = settings.data_dir / TOKEN_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token)
    return token


def read_control_token(settings: Settings) -> str | None:
    """The token a client command should send (environment first, then the data dir)."""
    if settings.control_token is not None:
        return settings.control_token.get_secret_value()
    path: Path = settings.data_dir / TOKEN_FILE
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


class RuntimeControl:
    """The TreeControl port over a TreeRuntime, for the HTTP API and the dashboard."""

    def __init__(self, runtime: TreeRuntime, stores_up: Callable[[], bool] | None = None) -> None:
        self._runtime = runtime
        self._stores_up = stores_up
        self._ready = threading.Event()

    def mark_ready(self) -> None:
        """Everything started."""
        self._ready.set()

    def tree(self) -> TreeSnapshot:
        """The tree now."""
        return self._runtime.tree()

    def control(self, command: Command) -> None:
        """Route a command through the root."""
        self._runtime.control(command)

    def ready(self) -> bool:
        """Started, not ended, and the stores connected now (not while they restart)."""
        return (
            self._ready.is_set()
            and self._runtime.wait(timeout=0) is None
            and (self._stores_up is None or self._stores_up())
        )


class ExitSignals:
    """SIGINT/SIGTERM ask for an orderly stop instead of interrupting whatever runs.

    Why: a Ctrl-C while the stores start must not leave a half-started tree with server
    processes behind; the request is noted and honoured once the start finished. A second
    Ctrl-C interrupts at once (the embedded servers are then stopped by the safety net).
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._previous: dict[int, Any] = {}

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.requested.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested.set()

    def __enter__(self) -> ExitSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *_: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()


def wait_for_stop(
    runtime: TreeRuntime, duration_s: float | None, requested: threading.Event
) -> int | None:
    """Run until `requested` (SIGINT/SIGTERM), the duration, or the tree ends on its own.

    The tree's exit code when it ended by itself; None when asked to stop (the caller
    then finishes its own work, e.g. a summary from the stores, and stops the tree).
    """
    deadline = None if duration_s is None else time.monotonic() + duration_s
    while True:
        code = runtime.wait(timeout=0.2)
        if code is not None:
            return code
        if requested.is_set() or (deadline is not None and time.monotonic() >= deadline):
            return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessParts:
    """What a command runs after the stores, and its hooks around the tree's life."""

    children: Sequence[ChildSpec]
    routes: Mapping[type[Command], str] = field(default_factory=dict)
    webhook: WebhookDependencies | None = None
    venue_metrics: MetricsSource | None = None
    on_started: Callable[[], None] | None = None
    """Once every child proved ready (e.g. replay webhooks, start the trading pacer)."""
    on_stopping: Callable[[], None] | None = None
    """Before the tree stops (e.g. refuse webhooks: Helius retries them later)."""
    on_closed: Callable[[], None] | None = None
    """After the tree stopped (e.g. release the venue clients)."""


type AfterStores = Callable[[TreeServices, StoresPlan], ProcessParts]
type OnReady = Callable[[TreeRuntime, str], Callable[[], None] | None]


def _say(text: str) -> None:
    print(text, flush=True)  # noqa: T201


def _close(
    parts: ProcessParts, plan: StoresPlan, stop_dashboard: Callable[[], None] | None = None
) -> None:
    if stop_dashboard is not None:
        stop_dashboard()
    if parts.on_closed is not None:
        parts.on_closed()
    plan.close()


def run_with_stores(
    settings: Settings,
    *,
    title: str,
    after_stores: AfterStores,
    duration_s: float | None,
    on_ready: OnReady | None = None,
    clock: Clock | None = None,
) -> int:
    """Run a tree whose first child is the StoresSupervisor, with the HTTP control API.

    Order: HTTP (so /health answers and /ready says 503 while the stores start), the
    tree, readiness, then wait; on the way out the tree stops in reverse order (the
    embedded servers last), the HTTP server stops, the last snapshots are written.
    """
    plan = plan_stores(settings)
    services = tree_services(settings, plan, clock=clock)
    parts = after_stores(services, plan)
    root = root_spec(settings, plan, services, parts.children)
    runtime = TreeRuntime(services, root, parts.routes, root_start_timeout_s=plan.start_budget_s)
    control = RuntimeControl(runtime, stores_up=lambda: plan.handles.is_connected)
    token = control_token(settings)
    app = make_app(
        control,
        services.clock,
        token,
        webhook=parts.webhook,
        venue_metrics=parts.venue_metrics,
    )
    http = HttpServerThread(app, settings.webhook_host, settings.webhook_port)
    _say(title)
    for line in plan.describe():
        _say(f"  {line}")
    cleanup: Callable[[], None] | None = None
    with ExitSignals() as signals:
        try:
            http.start()
        except OSError as error:
            _say(
                f"walltrack: cannot serve HTTP on {settings.webhook_host}:{settings.webhook_port}:"
                f" {error}"
            )
            _close(parts, plan)
            return EXIT_START_FAILED
        base = f"http://{settings.webhook_host}:{http.bound_port}"
        # Up before the tree, like /health: its feed hears the tree start (the halt state).
        stop_dashboard = start_dashboard(
            settings, services, plan.handles, control, parts.venue_metrics, say=_say
        )
        try:
            began = time.monotonic()
            try:
                runtime.start()
            except Exception as error:  # the stores did not come up: say why, exit non-zero
                reason = plan.handles.problem or f"{type(error).__name__}: {error}"
                _say(f"walltrack: the tree did not start: {reason}")
                return EXIT_START_FAILED
            if parts.on_started is not None:
                parts.on_started()
            control.mark_ready()
            _say(
                f"  ready in {time.monotonic() - began:.1f} s: {base}  "
                f"(/health, /ready, /api/tree, /api/control/*; token in "
                f"{settings.data_dir.resolve() / TOKEN_FILE} unless WALLTRACK_CONTROL_TOKEN)"
            )
            if on_ready is not None:
                cleanup = on_ready(runtime, base)
            ended = wait_for_stop(runtime, duration_s, signals.requested)
            stop_dashboard()  # before the tree stops
            last, cleanup = cleanup, None
            if last is not None:  # the stores are still up: a summary can read them
                last()
            if parts.on_stopping is not None:
                parts.on_stopping()
            code = ended if ended is not None else runtime.shutdown()
        finally:
            if cleanup is not None:
                cleanup()
            runtime.shutdown()  # a no-op once stopped; stops what a failed start left
            http.stop()
            _close(parts, plan, stop_dashboard)
    _say(f"stopped (exit code {code}); data kept in {settings.data_dir.resolve()}")
    return code
