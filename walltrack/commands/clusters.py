"""`walltrack clusters rebuild`: walk the watchlist's funding networks and recompute clusters.

Why a command as well as the job actor: the operator starts a rebuild by hand after adding
wallets, or runs it with no WallTrack process up. It uses the same plain code as the job
(adapters/intel/cluster_rebuild.py) on the configured stores: the WALLTRACK_* DSN and URI,
or the embedded servers of the running WallTrack, or embedded servers started for the run.
Without a Helius key it only recomputes from what the graph already holds. A running
process picks the new clusters up when its own rebuild job next tells the ClusterActor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from supervisors.embedded_servers import live_endpoint
from supervisors.wiring import schema_of
from walltrack.adapters.graph.embedded import EmbeddedGraphServer
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.intel.cluster_history import ClusterHistory
from walltrack.adapters.intel.cluster_rebuild import ClusterRebuild, RebuildReport
from walltrack.adapters.intel.cluster_store import ClusterStore
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import prepare_schema
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.config import Settings, load_settings
from walltrack.domain.params import default_params
from walltrack.domain.params.clusters import ClusterParams
from walltrack.domain.records.wallets import WalletStatus
from walltrack.logging import configure_logging

MAX_SEEDS = 5000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `clusters` subcommand."""
    parser = subparsers.add_parser(
        "clusters",
        help="wallet clusters in the graph",
        description="Rebuild the wallet clusters: FUNDED_BY from SOL transfers, synced buys, "
        "co-occurrence; groups, cohesion, leaders, multipliers.",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    rebuild = actions.add_parser("rebuild", help="collect around the watchlist and recompute")
    rebuild.add_argument(
        "--no-collect", action="store_true", help="recompute from the graph only (no Helius)"
    )
    rebuild.add_argument("--json", action="store_true", help="print one JSON object")
    rebuild.set_defaults(handler=_handle_rebuild)


def _graph(settings: Settings, stack: ExitStack) -> GraphRepository:
    if settings.graph_uri is not None:
        secret = settings.graph_password
        uri, user = settings.graph_uri, settings.graph_user
        password = secret.get_secret_value() if secret is not None else ""
        database = settings.graph_database
    elif (running := live_endpoint(settings.data_dir, "graph")) is not None:
        uri, user = str(running["uri"]), str(running["user"])
        password = Path(running["password_file"]).read_text(encoding="utf-8").strip()
        database = str(running["database"])
    else:
        server = EmbeddedGraphServer(settings.data_dir, database=settings.graph_database)
        stack.callback(server.stop)
        endpoint = server.start()
        uri, user, password = endpoint.uri, endpoint.user, endpoint.password
        database = endpoint.database
    repository = GraphRepository.open(uri, user, password, database)
    stack.callback(repository.close)
    return repository


def _database(settings: Settings, stack: ExitStack) -> Database:
    schema = schema_of(settings)
    if settings.pg_dsn is not None:
        dsn = settings.pg_dsn.get_secret_value()
    elif (running := live_endpoint(settings.data_dir, "postgres")) is not None:
        dsn = str(running["dsn"])
    else:
        server = EmbeddedPostgres(settings.data_dir)
        stack.callback(server.stop)
        dsn = server.start()
    prepare_schema(dsn, schema)
    db = Database(dsn, schema=schema).open()
    stack.callback(db.close)
    return db


def rebuild_clusters(settings: Settings, *, collect: bool) -> RebuildReport:
    """One rebuild on the configured stores (and Helius, when collecting)."""
    with ExitStack() as stack:
        repository = _graph(settings, stack)
        wallets = WalletRepository(_database(settings, stack))

        def rates(members: frozenset[str]) -> Mapping[str, float]:
            found = {m: wallets.get(m) for m in members}
            return {m: r.profile.win_rate for m, r in found.items() if r is not None}

        params = default_params().clusters
        rebuild = ClusterRebuild(
            ClusterStore(repository),
            params=lambda: params,
            win_rates=rates,
            now=lambda: datetime.now(UTC),
        )
        key = settings.helius_api_key
        started = datetime.now(UTC)
        if collect and key is not None:
            seeds = [
                w.address for w in wallets.by_status(WalletStatus.WATCHLISTED, limit=MAX_SEEDS)
            ]
            asyncio.run(_collect(rebuild, settings, key.get_secret_value(), seeds, params))
        collect_s = (datetime.now(UTC) - started).total_seconds()
        return rebuild.recompute(collect_s=collect_s)


async def _collect(
    rebuild: ClusterRebuild,
    settings: Settings,
    api_key: str,
    seeds: list[str],
    params: ClusterParams,
) -> None:
    helius = HeliusClient(api_key=api_key, base_url=settings.helius_base_url)
    try:
        await rebuild.collect(ClusterHistory(helius, params), seeds)
    finally:
        await helius.aclose()


def _handle_rebuild(args: argparse.Namespace) -> int:
    settings = load_settings()
    secrets = [
        v.get_secret_value()
        for v in (settings.pg_dsn, settings.graph_password, settings.helius_api_key)
        if v
    ]
    configure_logging("WARNING", settings.log_format, sys.stderr, secrets=secrets)
    report = rebuild_clusters(settings, collect=not args.no_collect)
    summary = report.as_dict()
    if args.json:
        print(json.dumps({"clusters": summary}))  # noqa: T201
    else:
        for key, value in summary.items():
            print(f"{key:20} {value}")  # noqa: T201
    sys.stdout.flush()
    return 0
