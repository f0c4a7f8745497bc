"""`walltrack clusters rebuild` on configured stores: the watchlist's networks over Helius."""

from __future__ import annotations

from pathlib import Path

from tests.integration.graph_fixtures import *  # noqa: F403 - the real graph server
from tests.integration.graph_fixtures import GraphTestServer
from tests.integration.pg_fixtures import PG_SCHEMA
from tests.intel.kit import still
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.graph.stored_clusters import GraphClusterSource
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.commands.clusters import rebuild_clusters
from walltrack.config import load_settings
from walltrack.domain.params import default_params
from walltrack.domain.records.wallets import WalletStatus
from walltrack.sim.thread import SimulationThread


def watchlist(dsn: str, addresses: list[str], sim: SimulationThread) -> None:
    at = sim.call(lambda s: s.now())
    db = Database(dsn, schema=PG_SCHEMA).open()
    try:
        wallets = WalletRepository(db)
        for address in addresses:
            wallets.add_discovered(address, at=at)
            wallets.set_status(address, WalletStatus.PROFILED, at=at)
            wallets.set_status(address, WalletStatus.WATCHLISTED, at=at)
    finally:
        db.close()


def test_rebuild_from_the_watchlist_over_helius_stores_the_copy_groups(
    pg_dsn: str,
    graph_server: GraphTestServer,
    graph_database: str,
    graph_repository: GraphRepository,
    tmp_path: Path,
) -> None:
    with SimulationThread(still(seed=4, warmup_s=2 * 3600.0, retention_s=None)) as sim:
        truth = sim.call(lambda s: s.ground_truth())
        groups = [c for c in truth["clusters"] if c["kind"] == "copy_group"]
        watchlist(pg_dsn, [c["leader"] for c in groups], sim)
        ends = sim.endpoints
        settings = load_settings(
            {
                "WALLTRACK_DATA_DIR": str(tmp_path),
                "WALLTRACK_PG_DSN": pg_dsn,
                "WALLTRACK_GRAPH_URI": graph_server.uri,
                "WALLTRACK_GRAPH_USER": graph_server.user,
                "WALLTRACK_GRAPH_PASSWORD": graph_server.password,
                "WALLTRACK_GRAPH_DATABASE": graph_database,
                "WALLTRACK_HELIUS_BASE_URL": ends.helius_base_url,
                "WALLTRACK_HELIUS_API_KEY": ends.helius_api_key,
            }
        )
        report = rebuild_clusters(settings, collect=True)

    assert report.hubs == 0  # only the groups' own funders were walked: none is an exchange
    stored = GraphClusterSource(
        graph_repository, None, lambda: default_params().clusters
    ).load_clusters()
    assert {(c.members, c.leader) for c in stored} == {
        (frozenset(g["members"]), g["leader"]) for g in groups
    }
    again = rebuild_clusters(settings, collect=False)  # no Helius: the graph alone
    assert {c.cluster_id for c in again.clusters} == {c.cluster_id for c in stored}
