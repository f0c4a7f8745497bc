"""A `walltrack demo` subprocess for the dashboard bench: free ports, its own data, a token.

Why a subprocess: the bench measures the dashboard of the process an operator runs (the
whole pipeline on the simulated market), and its CPU with sessions open, apart from the
bench's own browser driving.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

READY_TIMEOUT_S = 240.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DemoProcess:
    """`with DemoProcess() as demo:` a running demo; demo.url, demo.control(), demo.cpu_s()."""

    def __init__(self, duration_s: float = 900.0) -> None:
        self._duration_s = duration_s
        self._dir = tempfile.TemporaryDirectory(prefix="walltrack-bench-dashboard-")
        self.dashboard_port = free_port()
        self.http_port = free_port()
        self._token = secrets.token_urlsafe(24)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The dashboard."""
        return f"http://127.0.0.1:{self.dashboard_port}/"

    def __enter__(self) -> DemoProcess:
        env = {
            **os.environ,
            "WALLTRACK_DATA_DIR": self._dir.name,
            "WALLTRACK_DASHBOARD_PORT": str(self.dashboard_port),
            "WALLTRACK_WEBHOOK_PORT": str(self.http_port),
            "WALLTRACK_CONTROL_TOKEN": self._token,
            "WALLTRACK_LOG_LEVEL": "WARNING",
        }
        command = [
            sys.executable,
            "-m",
            "walltrack.cli",
            "demo",
            "--duration",
            str(self._duration_s),
        ]
        log = (Path(self._dir.name) / "demo.log").open("wb")
        self._process = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        """Until /ready answers 200 (the tree is up; the dashboard was up before it)."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                log = (Path(self._dir.name) / "demo.log").read_text(errors="replace")
                raise RuntimeError(f"the demo exited early:\n{log[-2000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.http_port}/ready").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError("the demo did not become ready")

    def control(self, action: str) -> None:
        """POST /api/control/<action> (pause, resume)."""
        response = httpx.post(
            f"http://127.0.0.1:{self.http_port}/api/control/{action}",
            headers={"Authorization": f"Bearer {self._token}"},
        )
        response.raise_for_status()

    def cpu_s(self) -> float:
        """User + system CPU seconds the demo process used so far."""
        assert self._process is not None
        fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._dir.cleanup()
