"""`walltrack doctor`: is each store reachable, which version, migrated, how fast.

Why it may start servers: with no WALLTRACK_PG_DSN / WALLTRACK_GRAPH_URI the stores are
the embedded servers under WALLTRACK_DATA_DIR. If a WallTrack process runs them now, the
doctor checks those very servers (their endpoints are recorded under `<data_dir>/run`);
otherwise it starts them for the check and stops them again, and says so.
Exit code 0 when every store is healthy, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from supervisors.embedded_servers import live_endpoint
from supervisors.wiring import schema_of
from walltrack.adapters.graph import queries
from walltrack.adapters.graph.client import GraphClient
from walltrack.adapters.graph.doctor import GraphDoctorReport, graph_doctor_report
from walltrack.adapters.graph.embedded import EmbeddedGraphServer
from walltrack.adapters.graph.schema import ensure_schema
from walltrack.adapters.postgres.doctor import PgDoctorReport, check_postgres
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import prepare_schema
from walltrack.config import Settings, load_settings
from walltrack.errors import WallTrackError
from walltrack.logging import configure_logging

EXIT_HEALTHY = 0
EXIT_UNHEALTHY = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `doctor` subcommand."""
    parser = subparsers.add_parser(
        "doctor",
        help="check the stores: reachable, version, migrations, latency",
        description="Check PostgreSQL and the graph: reachable, server version, migrations "
        "applied / constraints present, round-trip latency. Exit code 1 if a store fails.",
    )
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="apply pending migrations and create missing graph constraints first",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_handle)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreCheck:
    """One store's verdict, as printed."""

    store: str
    ok: bool
    source: str
    line: str
    details: dict[str, Any]


def _postgres(settings: Settings, schema: str, migrate: bool, stack: ExitStack) -> StoreCheck:
    if settings.pg_dsn is not None:
        dsn, source = settings.pg_dsn.get_secret_value(), "WALLTRACK_PG_DSN"
    elif (running := live_endpoint(settings.data_dir, "postgres")) is not None:
        dsn, source = str(running["dsn"]), "embedded, of the running WallTrack"
    else:
        server = EmbeddedPostgres(settings.data_dir)
        stack.callback(server.stop)
        source = f"embedded, started for this check ({server.pgdata.resolve()})"
        try:
            dsn = server.start()
        except WallTrackError as error:
            return _failed("postgres", source, str(error))
    if migrate:
        try:
            prepare_schema(dsn, schema)
        except WallTrackError as error:
            return _failed("postgres", source, f"migration failed: {error}")
    report = check_postgres(dsn, schema=schema)
    return StoreCheck(
        store="postgres",
        ok=report.ok,
        source=source,
        line=_postgres_line(report),
        details=asdict(report),
    )


def _postgres_line(report: PgDoctorReport) -> str:
    if not report.reachable:
        return f"UNREACHABLE at {report.target}: {report.error}"
    total = len(report.migrations_applied) + len(report.migrations_pending)
    pending = (
        f", pending: {', '.join(report.migrations_pending)} (run with --migrate)"
        if report.migrations_pending
        else ""
    )
    return (
        f"{'ok' if report.ok else 'NEEDS MIGRATION'}: {report.server_version} at "
        f"{report.target}, schema {report.schema}, migrations {len(report.migrations_applied)}"
        f"/{total} applied{pending}, round trip {report.round_trip_ms} ms"
    )


def _graph_client(settings: Settings, stack: ExitStack) -> tuple[GraphClient, str]:
    if settings.graph_uri is not None:
        password = settings.graph_password
        client = GraphClient.connect(
            settings.graph_uri,
            settings.graph_user,
            password.get_secret_value() if password is not None else "",
            settings.graph_database,
        )
        return stack.enter_context(client), f"WALLTRACK_GRAPH_URI {settings.graph_uri}"
    running = live_endpoint(settings.data_dir, "graph")
    if running is not None:
        secret = Path(running["password_file"]).read_text(encoding="utf-8").strip()
        client = GraphClient.connect(
            str(running["uri"]), str(running["user"]), secret, str(running["database"])
        )
        return stack.enter_context(client), f"embedded, of the running WallTrack {running['uri']}"
    server = EmbeddedGraphServer(settings.data_dir, database=settings.graph_database)
    stack.callback(server.stop)
    endpoint = server.start()
    client = GraphClient.connect(endpoint.uri, endpoint.user, endpoint.password, endpoint.database)
    return stack.enter_context(client), f"embedded, started for this check ({server.root})"


def _graph(settings: Settings, migrate: bool, stack: ExitStack) -> StoreCheck:
    try:
        client, source = _graph_client(settings, stack)
        if migrate:
            ensure_schema(client)
    except WallTrackError as error:
        return _failed("graph", "graph server", str(error))
    report = graph_doctor_report(client)
    return StoreCheck(
        store="graph",
        ok=report.healthy,
        source=source,
        line=_graph_line(report),
        details=asdict(report),
    )


def _graph_line(report: GraphDoctorReport) -> str:
    if not report.reachable:
        return f"UNREACHABLE (database {report.database}): {report.problem}"
    constraints = len(queries.CONSTRAINT_NAMES)
    indexes = len(queries.INDEX_NAMES)
    missing = [*report.missing_constraints, *report.missing_indexes]
    state = "ok" if report.healthy else f"MISSING {', '.join(missing)} (run with --migrate)"
    return (
        f"{state}: {report.version}, database {report.database}, constraints "
        f"{constraints - len(report.missing_constraints)}/{constraints} and indexes "
        f"{indexes - len(report.missing_indexes)}/{indexes} present, "
        f"round trip {report.round_trip_ms} ms"
    )


def _failed(store: str, source: str, problem: str) -> StoreCheck:
    return StoreCheck(
        store=store,
        ok=False,
        source=source,
        line=f"UNREACHABLE: {problem}",
        details={"reachable": False, "error": problem},
    )


def _handle(args: argparse.Namespace) -> int:
    settings = load_settings()
    # The report goes to stdout; log lines (server start/stop) to stderr, warnings only.
    secrets = [v.get_secret_value() for v in (settings.pg_dsn, settings.graph_password) if v]
    configure_logging("WARNING", settings.log_format, sys.stderr, secrets=secrets)
    schema = schema_of(settings)
    with ExitStack() as stack:
        checks = [
            _postgres(settings, schema, args.migrate, stack),
            _graph(settings, args.migrate, stack),
        ]
    healthy = all(check.ok for check in checks)
    if args.json:
        document = {
            "ok": healthy,
            "mode": settings.mode.value,
            "stores": {c.store: {"ok": c.ok, "source": c.source, **c.details} for c in checks},
        }
        print(json.dumps(document, default=str))  # noqa: T201
    else:
        print(f"WallTrack doctor ({settings.mode.value} mode, schema {schema})")  # noqa: T201
        for check in checks:
            print(f"  {check.store:9} {check.line}")  # noqa: T201
            print(f"  {'':9} via {check.source}")  # noqa: T201
        print("healthy" if healthy else "UNHEALTHY")  # noqa: T201
    return EXIT_HEALTHY if healthy else EXIT_UNHEALTHY
