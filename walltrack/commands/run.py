"""`walltrack run`: the WallTrack process — stores first, then the tree, then HTTP.

Why the stores come first: every actor that keeps state restores it from PostgreSQL and
reads the graph, so the StoresSupervisor (embedded servers unless WALLTRACK_PG_DSN /
WALLTRACK_GRAPH_URI are set, then the connections and the config listener) is the root's
first child and everything else starts only once it proved ready: then the circuit
breaker and the trading supervisor, then the signal path (supervisors/pipeline_wiring.py).
Helius posts to /webhooks/helius once WALLTRACK_HELIUS_WEBHOOK_SECRET is set.
"""

from __future__ import annotations

import argparse

from walltrack.commands._pipeline import pipeline_parts
from walltrack.commands._process import run_with_stores, settings_and_logging


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `run` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="run WallTrack (paper mode unless WALLTRACK_MODE=live)",
        description="Start the stores (embedded PostgreSQL and graph servers under "
        "WALLTRACK_DATA_DIR unless WALLTRACK_PG_DSN / WALLTRACK_GRAPH_URI are set), the "
        "supervisor tree and the HTTP API (/webhooks/helius, /health, /ready, /metrics, "
        "/api/tree, /api/control/*) on WALLTRACK_WEBHOOK_HOST:WALLTRACK_WEBHOOK_PORT. "
        "Stops in order on Ctrl-C or SIGTERM.",
    )
    parser.add_argument(
        "--duration", type=float, default=None, help="stop after N seconds (default: run)"
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    settings = settings_and_logging()
    return run_with_stores(
        settings,
        title=f"WallTrack running in {settings.mode.value} mode (Ctrl-C to stop)",
        after_stores=pipeline_parts(settings),
        duration_s=args.duration,
    )
