"""What every long-running command shares: settings, logging, the control token, signals.

Why a private module: `demo` and `run` must start and stop the process the same way, and
cli discovery skips modules whose name starts with an underscore.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from pathlib import Path
from types import FrameType

from supervisors.runtime import TreeRuntime
from walltrack.config import Settings, load_settings
from walltrack.domain.messages.base import Command
from walltrack.domain.tree import TreeSnapshot
from walltrack.logging import configure_logging

TOKEN_FILE = "control-token"  # noqa: S105 - a file name, not a secret


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

    def __init__(self, runtime: TreeRuntime) -> None:
        self._runtime = runtime
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
        """Started and not ended."""
        return self._ready.is_set() and self._runtime.wait(timeout=0) is None


def wait_for_exit(runtime: TreeRuntime, duration_s: float | None) -> int:
    """Run until SIGINT/SIGTERM, the duration, or the tree ends; return the exit code."""
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    deadline = None if duration_s is None else time.monotonic() + duration_s
    try:
        while True:
            code = runtime.wait(timeout=0.2)
            if code is not None:
                return code
            if stop.is_set() or (deadline is not None and time.monotonic() >= deadline):
                break
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return runtime.shutdown()
