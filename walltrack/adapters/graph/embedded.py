"""The zero-setup graph: the ArcadeDB server from the `arcadedb-embedded` wheel, over Bolt.

Why a child process and not JPype in-process: the server must speak Bolt so the same
`neo4j` driver code runs against it and against a real Neo4j, a crash of the JVM must not
take WallTrack down with it, and the StoresSupervisor must be able to restart it.

Layout under `<data_dir>/graph`: `databases/` (the data, kept across restarts),
`config/` (server users), `root-password` (generated once, mode 0600, read by the server
from the file so it never appears on a command line), `server.log`, `server.pid`.
Both ports bind 127.0.0.1 only; port 0 picks a free one.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Final, Self

from walltrack.adapters.graph.arcade_runtime import (
    ArcadeDistribution,
    ClassDataCache,
    default_cache_dir,
)
from walltrack.adapters.graph.http_admin import ArcadeAdmin, check_database_name
from walltrack.errors import ConfigurationError, StoreUnavailableError

VENUE: Final = "graph"
ROOT_USER: Final = "root"
HOST: Final = "127.0.0.1"
_POLL_S: Final = 0.05
_JVM_OPTIONS: Final = (
    "-Xms64m",
    "-XX:+UseSerialGC",  # one small heap, two cores: the simplest collector starts fastest
    # The quick compiler only. With C2 the JIT's own threads took 57% of a core in the
    # decision bench at 500 events/s (the server at 84% of a core, its Bolt work 16%),
    # and still half the server's CPU after 150,000 edges: CPU taken from the trading
    # process on a 2-core VPS. C1 code is slower at its peak, which the live pipeline
    # does not need: the server then used 25% of a core for the same edges.
    "-XX:TieredStopAtLevel=1",
    "-Dfile.encoding=UTF-8",
    "-Djava.awt.headless=true",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphEndpoint:
    """How to reach a running graph server; the password never shows in a repr."""

    uri: str
    http_url: str
    user: str
    password: str = field(repr=False)
    database: str


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


class EmbeddedGraphServer:
    """Starts, health-checks and stops one ArcadeDB server with its Bolt plugin."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database: str = "walltrack",
        bolt_port: int = 0,
        http_port: int = 0,
        heap_mb: int = 512,
        start_timeout_s: float = 60.0,
        class_cache_dir: Path | None = None,
        use_class_cache: bool = True,
    ) -> None:
        self.root = Path(data_dir) / "graph"
        self.database = check_database_name(database)
        self._wanted_ports = (bolt_port, http_port)
        self._heap_mb = heap_mb
        self._start_timeout_s = start_timeout_s
        self._cache_dir = class_cache_dir or default_cache_dir()
        self._use_class_cache = use_class_cache
        self._process: subprocess.Popen[bytes] | None = None
        self._endpoint: GraphEndpoint | None = None
        self._class_cache: ClassDataCache | None = None
        self._probe: ArcadeAdmin | None = None
        """Kept from one health check to the next: a new HTTP client builds a TLS context
        (20-30 ms of CPU holding the GIL: a stall of every actor, once a second)."""

    @property
    def password_file(self) -> Path:
        """Where the generated root password is kept."""
        return self.root / "root-password"

    @property
    def log_file(self) -> Path:
        """The server's console output."""
        return self.root / "server.log"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self._process and self._process.poll() is None else None

    @property
    def endpoint(self) -> GraphEndpoint:
        """Connection details of the running server."""
        if self._endpoint is None:
            raise StoreUnavailableError(VENUE, "the embedded graph server is not started")
        return self._endpoint

    def is_running(self) -> bool:
        """True while the server process is alive (the supervisor's liveness check)."""
        return self._process is not None and self._process.poll() is None

    def wait_for_exit(self, timeout_s: float) -> int | None:
        """Block until the server process ends; its exit code, or None if still running."""
        if self._process is None:
            return None
        try:
            return self._process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            return None

    def healthy(self) -> bool:
        """Alive, and answering its readiness probe."""
        endpoint = self._endpoint
        if not self.is_running() or endpoint is None:
            return False
        if self._probe is None:
            self._probe = ArcadeAdmin(endpoint.http_url, ROOT_USER, endpoint.password)
        return self._probe.ready()

    def _drop_probe(self) -> None:
        """Close the health client: a new process may listen on other ports."""
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.close()

    def start(self) -> GraphEndpoint:
        """Start the server and return once Bolt and HTTP answer and the database exists.

        A restart (after `stop` or a crash) keeps the ports of the previous run, so the
        drivers that already point at it reconnect on their own; only if those ports
        were picked at random and are now taken does it move to new ones.
        """
        if self.is_running():
            return self.endpoint
        distribution = ArcadeDistribution.locate()
        self.root.mkdir(parents=True, exist_ok=True)
        self._stop_leftover()
        password = self._root_password()
        previous = self._endpoint
        ports = (_port_of(previous.uri), _port_of(previous.http_url)) if previous else (0, 0)
        try:
            return self._launch(distribution, password, ports)
        except StoreUnavailableError:
            if previous is None or any(self._wanted_ports):
                raise
            return self._launch(distribution, password, (0, 0))  # old ports taken

    def _launch(
        self, distribution: ArcadeDistribution, password: str, ports: tuple[int, int]
    ) -> GraphEndpoint:
        self._drop_probe()
        bolt_port = self._wanted_ports[0] or ports[0] or free_port()
        http_port = self._wanted_ports[1] or ports[1] or free_port()
        self._class_cache = (
            ClassDataCache(distribution, self._cache_dir) if self._use_class_cache else None
        )
        argv = [
            str(distribution.java),
            f"-Xmx{self._heap_mb}m",
            *_JVM_OPTIONS,
            *(self._class_cache.jvm_options() if self._class_cache else []),
            # 'development' mode, because 'production' replaces every error message sent
            # to clients by "check the server log" (no clear constraint errors), with the
            # two production safeguards that matter here set explicitly:
            "-Darcadedb.server.mode=development",
            "-Darcadedb.txWalFlush=1",  # flush the WAL on every commit
            "-Darcadedb.opencypher.loadCsv.allowFileUrls=false",  # no LOAD CSV from files
            f"-Darcadedb.server.rootPath={self.root}",
            f"-Darcadedb.server.databaseDirectory={self.root / 'databases'}",
            f"-Darcadedb.server.rootPasswordPath={self.password_file}",
            "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            f"-Darcadedb.server.defaultDatabases={self.database}[{ROOT_USER}]",
            f"-Darcadedb.server.httpIncomingHost={HOST}",
            f"-Darcadedb.server.httpIncomingPort={http_port}",
            f"-Darcadedb.bolt.host={HOST}",
            f"-Darcadedb.bolt.port={bolt_port}",
            "-cp",
            distribution.class_path,
            "com.arcadedb.server.ArcadeDBServer",
        ]
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,  # Ctrl-C reaches us; we stop it in order
            )
        (self.root / "server.pid").write_text(str(self._process.pid))
        self._endpoint = GraphEndpoint(
            uri=f"bolt://{HOST}:{bolt_port}",
            http_url=f"http://{HOST}:{http_port}",
            user=ROOT_USER,
            password=password,
            database=self.database,
        )
        try:
            self._wait_healthy(bolt_port)
        except BaseException:
            self.stop()
            raise
        if self._class_cache is not None:
            self._class_cache.build_in_background()
        return self._endpoint

    def wait_for_class_cache(self, timeout_s: float = 60.0) -> bool:
        """Block until the background class archive is written; True when it exists."""
        return self._class_cache.wait(timeout_s) if self._class_cache else False

    def stop(self, timeout_s: float = 20.0) -> None:
        """Ask the server to shut down (SIGTERM: it flushes and closes the databases)."""
        process, self._process = self._process, None
        self._drop_probe()
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout_s)
        (self.root / "server.pid").unlink(missing_ok=True)
        if self._class_cache is not None:
            self._class_cache.discard_recording()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- internals ----------------------------------------------------------------------

    def _root_password(self) -> str:
        """The root password: generated on first start, then read back (mode 0600)."""
        path = self.password_file
        if path.exists():
            if sys.platform != "win32" and path.stat().st_mode & 0o077:
                path.chmod(0o600)
            return path.read_text().strip()
        if (self.root / "config" / "server-users.jsonl").exists():
            raise ConfigurationError(
                "WALLTRACK_DATA_DIR",
                f"{path} is missing but the graph in {self.root} already has a root user; "
                "restore the file or remove the graph directory",
            )
        password = secrets.token_urlsafe(24)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(password)
        return password

    def _wait_healthy(self, bolt_port: int) -> None:
        endpoint = self.endpoint
        deadline = time.monotonic() + self._start_timeout_s
        with ArcadeAdmin(endpoint.http_url, ROOT_USER, endpoint.password) as admin:
            while time.monotonic() < deadline:
                process = self._process
                if process is None or process.poll() is not None:
                    code = process.returncode if process else None
                    raise StoreUnavailableError(
                        VENUE, f"embedded ArcadeDB exited with code {code}; see {self.log_file}"
                    )
                ready = _port_open(bolt_port) and admin.ready()
                if ready and self.database in admin.databases():
                    return
                time.sleep(_POLL_S)
        raise StoreUnavailableError(
            VENUE,
            f"embedded ArcadeDB not healthy after {self._start_timeout_s:.0f} s; "
            f"see {self.log_file}",
        )

    def _stop_leftover(self) -> None:
        """Stop a server a crashed WallTrack left running on this same directory."""
        pid_file = self.root / "server.pid"
        if not pid_file.exists():
            return
        try:
            pid = int(pid_file.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (ValueError, OSError):
            pid_file.unlink(missing_ok=True)
            return
        if f"-Darcadedb.server.rootPath={self.root}".encode() not in cmdline:
            pid_file.unlink(missing_ok=True)
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(_POLL_S)
        pid_file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its parent counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
