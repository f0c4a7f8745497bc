"""`walltrack run` and `walltrack doctor` as an operator runs them: real processes.

The run smoke test starts the process on embedded stores in a temporary data directory
and a free port, waits for /health and /ready over HTTP (polling with a deadline: an
external process coming up), checks the doctor beside it, shuts it down through the
control API and expects exit code 0 with both servers stopped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from supervisors.embedded_servers import live_endpoint
from supervisors.stores_tree import STORES, server_name
from tests.integration.graph_fixtures import GraphTestServer
from tests.integration.stores_tree.kit import free_port
from walltrack.adapters.postgres.migrate import load_migrations

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
TOKEN = "test-control-token-0123456789"
START_DEADLINE_S = 120.0


def _env(**variables: str) -> dict[str, str]:
    """This process's environment without any WALLTRACK_ setting, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("WALLTRACK_")}
    env.update({f"WALLTRACK_{name.upper()}": value for name, value in variables.items()})
    return env


def _walltrack(*args: str) -> list[str]:
    return [sys.executable, "-m", "walltrack.cli", *args]


def _poll(url: str, deadline: float, *, status: int = 200) -> httpx.Response:
    """GET `url` until it answers `status`: the process is external, so poll it."""
    last: object = None
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == status:
                return response
            last = response.status_code
        except httpx.TransportError as error:
            last = error
        time.sleep(0.1)  # sleep-ok: polling another process's port until the deadline
    pytest.fail(f"{url} did not answer {status} in time (last: {last!r})")


@pytest.fixture
def run_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    data_dir = tmp_path / "data"
    port = free_port()
    env = _env(
        data_dir=str(data_dir),
        webhook_port=str(port),
        control_token=TOKEN,
        log_format="json",
    )
    process = subprocess.Popen(
        _walltrack("run"),
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}", data_dir
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(60)


def test_run_help_names_the_store_settings() -> None:
    result = subprocess.run(
        _walltrack("run", "--help"),
        check=False,
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for text in ("WALLTRACK_PG_DSN", "WALLTRACK_GRAPH_URI", "--duration", "/health"):
        assert text in result.stdout


def test_run_serves_health_and_ready_then_stops_cleanly_on_control_shutdown(
    run_process: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, base, data_dir = run_process
    deadline = time.monotonic() + START_DEADLINE_S
    assert _poll(f"{base}/health", deadline).json() == {"status": "ok"}
    assert _poll(f"{base}/ready", deadline).json() == {"status": "ready"}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    tree = httpx.get(f"{base}/api/tree", headers=auth, timeout=5).json()
    names = {actor["name"] for actor in tree["actors"]}
    assert {STORES, server_name("postgres"), server_name("graph")} <= names
    pg_endpoint = live_endpoint(data_dir, "postgres")
    graph_endpoint = live_endpoint(data_dir, "graph")
    assert pg_endpoint is not None
    assert graph_endpoint is not None

    # The doctor beside a running process checks that process's servers, leaves them up.
    doctor = subprocess.run(
        _walltrack("doctor", "--json"),
        check=False,
        cwd=REPO,
        env=_env(data_dir=str(data_dir)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    report = json.loads(doctor.stdout)
    assert report["ok"] is True
    for store in ("postgres", "graph"):
        assert report["stores"][store]["source"].startswith("embedded, of the running WallTrack")
    assert httpx.get(f"{base}/ready", timeout=5).status_code == 200

    accepted = httpx.post(f"{base}/api/control/shutdown", headers=auth, timeout=5)
    assert accepted.status_code == 202
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert f"data directory: {data_dir.resolve()}" in output
    assert "stopped (exit code 0)" in output
    assert live_endpoint(data_dir, "postgres") is None
    assert live_endpoint(data_dir, "graph") is None
    for pid in (pg_endpoint["pid"], graph_endpoint["pid"]):
        assert not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid)


def _state(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return "zombie" if stat.rpartition(")")[2].split()[0] in ("Z", "X") else "running"


def test_doctor_reports_healthy_configured_stores(
    tmp_path: Path,
    pg_dsn: str,
    graph_server: GraphTestServer,
    graph_database: str,
    graph_client: object,
) -> None:
    env = _env(
        data_dir=str(tmp_path),
        pg_dsn=pg_dsn,
        graph_uri=graph_server.uri,
        graph_user=graph_server.user,
        graph_password=graph_server.password,
        graph_database=graph_database,
    )
    result = subprocess.run(
        _walltrack("doctor"),
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "WallTrack doctor (paper mode, schema walltrack_paper)"
    postgres = next(line for line in lines if line.strip().startswith("postgres"))
    assert "ok: PostgreSQL " in postgres
    shipped = len(load_migrations())
    assert f"migrations {shipped}/{shipped} applied" in postgres
    assert "round trip " in postgres
    graph = next(line for line in lines if line.strip().startswith("graph"))
    assert "ok: " in graph
    assert f"database {graph_database}" in graph
    assert "constraints 3/3 and indexes 1/1 present" in graph
    assert "via WALLTRACK_PG_DSN" in result.stdout
    assert lines[-1] == "healthy"
    assert graph_server.password not in result.stdout + result.stderr


def test_doctor_fails_when_a_store_is_unreachable(
    tmp_path: Path, graph_server: GraphTestServer, graph_database: str, graph_client: object
) -> None:
    env = _env(
        data_dir=str(tmp_path),
        pg_dsn="postgresql://walltrack:s3cret@127.0.0.1:1/walltrack",
        graph_uri=graph_server.uri,
        graph_user=graph_server.user,
        graph_password=graph_server.password,
        graph_database=graph_database,
    )
    result = subprocess.run(
        _walltrack("doctor"),
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "postgres  UNREACHABLE at 127.0.0.1:1/walltrack" in result.stdout
    assert result.stdout.splitlines()[-1] == "UNHEALTHY"
    assert "s3cret" not in result.stdout + result.stderr


def test_ctrl_c_as_soon_as_http_answers_still_stops_everything_in_order(
    run_process: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, base, data_dir = run_process
    _poll(f"{base}/health", time.monotonic() + START_DEADLINE_S)  # the stores may be starting

    process.send_signal(signal.SIGINT)

    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert "stopped (exit code 0)" in output
    assert live_endpoint(data_dir, "postgres") is None
    assert live_endpoint(data_dir, "graph") is None
    assert not (data_dir / "graph" / "server.pid").exists()


def test_run_exits_non_zero_and_stops_its_servers_when_a_store_cannot_be_reached(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    env = _env(
        data_dir=str(data_dir),
        webhook_port=str(free_port()),
        control_token=TOKEN,
        pg_dsn="postgresql://walltrack:s3cret@127.0.0.1:1/walltrack",
    )
    result = subprocess.run(
        _walltrack("run"),
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 1, result.stdout
    assert (
        "walltrack: the tree did not start: StoreUnavailableError: postgres: "
        "OperationalError: connection failed" in result.stdout
    )
    assert "s3cret" not in result.stdout + result.stderr
    assert live_endpoint(data_dir, "graph") is None  # the embedded graph server was stopped
    assert not (data_dir / "graph" / "server.pid").exists()
