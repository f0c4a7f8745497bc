"""The embedded ArcadeDB launcher: credentials, health, persistence, clean and dirty stops."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path
from typing import Any

import pytest

from walltrack.adapters.graph import EmbeddedGraphServer, GraphRepository, embedded
from walltrack.adapters.graph.http_admin import ArcadeAdmin
from walltrack.errors import ConfigurationError

pytestmark = pytest.mark.integration


def _wallets(server: EmbeddedGraphServer) -> list[str]:
    endpoint = server.endpoint
    repository = GraphRepository.open(
        endpoint.uri, endpoint.user, endpoint.password, endpoint.database
    )
    try:
        rows = repository.client.read("MATCH (w:Wallet) RETURN w.address AS a ORDER BY a")
    finally:
        repository.close()
    return [row["a"] for row in rows]


def _write_wallet(server: EmbeddedGraphServer, address: str) -> None:
    endpoint = server.endpoint
    repository = GraphRepository.open(
        endpoint.uri, endpoint.user, endpoint.password, endpoint.database
    )
    try:
        repository.upsert_wallets([address])
    finally:
        repository.close()


def test_start_health_stop_and_data_survives_a_restart(tmp_path: Path) -> None:
    server = EmbeddedGraphServer(tmp_path, database="walltrack")
    endpoint = server.start()
    try:
        password_file = tmp_path / "graph" / "root-password"
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        assert password_file.read_text() == endpoint.password
        assert len(endpoint.password) >= 24
        assert endpoint.password not in repr(endpoint)
        assert endpoint.uri.startswith("bolt://127.0.0.1:")
        assert endpoint.http_url.startswith("http://127.0.0.1:")
        assert (tmp_path / "graph" / "databases" / "walltrack").is_dir()
        assert server.healthy()
        _write_wallet(server, "persisted")
        pid = server.pid
    finally:
        server.stop()
    assert not server.is_running()
    assert not server.healthy()
    assert pid is not None
    assert not Path(f"/proc/{pid}").exists()

    again = EmbeddedGraphServer(tmp_path, database="walltrack")
    second = again.start()
    try:
        assert second.password == endpoint.password
        assert _wallets(again) == ["persisted"]
    finally:
        again.stop()


def test_health_checks_share_one_http_client_until_the_server_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new HTTP client per check builds a TLS context: tens of ms of CPU, every second."""
    built: list[ArcadeAdmin] = []

    class CountedAdmin(ArcadeAdmin):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            built.append(self)

    server = EmbeddedGraphServer(tmp_path)
    server.start()
    monkeypatch.setattr(embedded, "ArcadeAdmin", CountedAdmin)
    try:
        assert [server.healthy() for _ in range(3)] == [True, True, True]
        assert len(built) == 1
    finally:
        server.stop()
    assert not server.healthy()
    server.start()  # a new process (its start-up wait has a client of its own)
    before = len(built)
    try:
        assert [server.healthy() for _ in range(2)] == [True, True]
        assert len(built) == before + 1  # the old client was not kept
    finally:
        server.stop()


def test_a_server_left_by_a_crashed_owner_is_replaced(tmp_path: Path) -> None:
    abandoned = EmbeddedGraphServer(tmp_path)
    abandoned.start()
    _write_wallet(abandoned, "before-crash")
    old_pid = abandoned.pid
    assert old_pid is not None

    successor = EmbeddedGraphServer(tmp_path)  # the owner "crashed": no stop() was called
    successor.start()
    try:
        assert abandoned.wait_for_exit(30) is not None  # the leftover was stopped
        assert successor.pid != old_pid
        assert _wallets(successor) == ["before-crash"]
    finally:
        successor.stop()
        abandoned.stop()


def test_the_supervisor_sees_a_dead_server_and_clients_survive_its_restart(
    tmp_path: Path,
) -> None:
    server = EmbeddedGraphServer(tmp_path)
    endpoint = server.start()
    repository = GraphRepository.open(
        endpoint.uri, endpoint.user, endpoint.password, endpoint.database
    )
    try:
        repository.upsert_wallets(["before-crash"])
        pid = server.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert server.wait_for_exit(30) == -signal.SIGKILL
        assert not server.is_running()
        assert not server.healthy()

        restarted = server.start()  # what the StoresSupervisor does
        assert server.healthy()
        assert restarted == endpoint  # same ports: the open client reconnects by itself
        repository.upsert_wallets(["after-restart"])
        assert _wallets(server) == ["after-restart", "before-crash"]
    finally:
        repository.close()
        server.stop()


def test_a_lost_password_file_for_an_existing_graph_is_a_configuration_error(
    tmp_path: Path,
) -> None:
    users = tmp_path / "graph" / "config" / "server-users.jsonl"
    users.parent.mkdir(parents=True)
    users.write_text("{}\n")

    with pytest.raises(ConfigurationError, match="root-password"):
        EmbeddedGraphServer(tmp_path).start()
