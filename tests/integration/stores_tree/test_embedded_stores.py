"""The StoresSupervisor with its embedded servers, in a temporary data directory.

A killed server process makes its actor crash; the supervisor starts the server again
(rest_for_one: the connections and the config listener follow) and the data is still
there. A full stop and start of the tree keeps everything too.
"""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from actors.runtime.store_handles import StoreHandles
from supervisors.embedded_servers import (
    EmbeddedGraphProcess,
    EmbeddedPostgresProcess,
    live_endpoint,
)
from supervisors.stores_tree import CONNECTIONS, RUNTIME_CONFIG, STORES, server_name
from tests.integration.stores_tree.kit import KEEPER, settings_for, stores_tree
from tests.runtime.kit import Add, Fault, Get
from walltrack.domain.messages.stores import StoresConnected, StoreServerLost, StoreServerStarted

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _server[S](servers: tuple[object, ...], kind: type[S]) -> S:
    return next(server for server in servers if isinstance(server, kind))


def _wallet_in_graph(handles: StoreHandles, address: str) -> bool:
    rows = handles.graph().client.read(
        "MATCH (w:Wallet {address: $a}) RETURN w.address AS a", {"a": address}
    )
    return [row["a"] for row in rows] == [address]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_killed_postgres_is_restarted_by_its_supervisor_and_the_data_survives(
    tmp_path: Path,
) -> None:
    with stores_tree(settings_for(tmp_path)) as tree:
        names = [actor.name for actor in tree.runtime.tree().actors]
        assert names[:7] == [
            "root",
            STORES,
            server_name("postgres"),
            server_name("graph"),
            CONNECTIONS,
            RUNTIME_CONFIG,
            KEEPER,
        ]
        first = tree.events.wait_for(StoreServerStarted, store="postgres", incarnation=1)
        assert first.location == str((tmp_path / "pg").resolve())
        handles = tree.plan.handles
        handles.postgres().wallets.add_discovered("W1", at=T0)
        tree.tell(KEEPER, Add(5))
        assert tree.ask(KEEPER, Get()) == [5]
        tree.plan.snapshots.flush()
        postgres = _server(tree.plan.servers, EmbeddedPostgresProcess)
        killed = postgres.pid
        assert killed is not None

        os.kill(killed, signal.SIGKILL)

        lost = tree.events.wait_for(StoreServerLost, store="postgres")
        assert "exited" in lost.detail
        tree.events.wait_for(StoreServerStarted, store="postgres", incarnation=2)
        tree.events.wait_for(StoresConnected, incarnation=2)
        assert postgres.pid not in (None, killed)
        wallet = handles.postgres().wallets.get("W1")
        assert wallet is not None
        assert wallet.discovered_at == T0
        server = tree.runtime.tree().by_name(server_name("postgres"))
        assert server is not None
        assert server.restarts == 1

        # The keeper kept running through the stores' restart; a crash now restores
        # it from the new server.
        tree.tell(KEEPER, Fault())
        assert tree.ask(KEEPER, Get()) == [5]


def test_killed_graph_server_is_restarted_and_its_data_survives(tmp_path: Path) -> None:
    with stores_tree(settings_for(tmp_path)) as tree:
        handles = tree.plan.handles
        handles.graph().upsert_wallets(["G1"])
        graph = _server(tree.plan.servers, EmbeddedGraphProcess)
        killed = graph.pid
        assert killed is not None

        os.kill(killed, signal.SIGKILL)

        tree.events.wait_for(StoreServerLost, store="graph")
        tree.events.wait_for(StoreServerStarted, store="graph", incarnation=2)
        tree.events.wait_for(StoresConnected, incarnation=2)
        assert graph.pid not in (None, killed)
        assert _wallet_in_graph(handles, "G1")
        # PostgreSQL started before the graph server: rest_for_one left it alone.
        assert tree.events.of(StoreServerStarted)[0].store == "postgres"
        assert len([e for e in tree.events.of(StoreServerStarted) if e.store == "postgres"]) == 1


def test_everything_survives_a_full_stop_and_start_of_the_tree(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    with stores_tree(settings) as tree:
        tree.plan.handles.postgres().wallets.add_discovered("W2", at=T0)
        tree.plan.handles.graph().upsert_wallets(["G2"])
        for value in (1, 2):
            tree.tell(KEEPER, Add(value))
        assert tree.ask(KEEPER, Get()) == [1, 2]
        pids = [server.pid for server in tree.plan.servers]
        assert live_endpoint(tmp_path, "postgres") is not None
        assert live_endpoint(tmp_path, "graph") is not None
    # Stopped in order: no server process left, no endpoint recorded.
    assert all(pid is not None and not _alive(pid) for pid in pids)
    assert live_endpoint(tmp_path, "postgres") is None
    assert live_endpoint(tmp_path, "graph") is None

    with stores_tree(settings) as again:  # the next run of WallTrack on the same data
        assert again.ask(KEEPER, Get()) == [1, 2]
        wallet = again.plan.handles.postgres().wallets.get("W2")
        assert wallet is not None
        assert _wallet_in_graph(again.plan.handles, "G2")
