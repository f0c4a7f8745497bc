"""`walltrack bench NAME [--json]`: run one benchmark and print its figures."""

from __future__ import annotations

import argparse
import json
import sys

from walltrack.bench import available_benches, run_bench


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `bench` subcommand."""
    parser = subparsers.add_parser(
        "bench",
        help="run a benchmark",
        description="Run a benchmark; targets are in the README.",
    )
    parser.add_argument("name", choices=available_benches(), help="which benchmark")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    metrics = run_bench(args.name)
    if args.json:
        print(json.dumps({"bench": args.name, "metrics": metrics}))  # noqa: T201
    else:
        for key, value in metrics.items():
            print(f"{key:28} {value}")  # noqa: T201
    sys.stdout.flush()
    return 0
