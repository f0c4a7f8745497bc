"""`walltrack config show`: the effective configuration, secrets redacted."""

from __future__ import annotations

import argparse
import json

from walltrack.config import ENV_PREFIX, load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `config` subcommand."""
    parser = subparsers.add_parser(
        "config",
        help="show or check the configuration",
        description="Settings come from WALLTRACK_* environment variables only.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="print the effective settings, secrets redacted")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=_show)


def _show(args: argparse.Namespace) -> int:
    shown = load_settings().redacted()
    if args.json:
        print(json.dumps(shown, indent=2))  # noqa: T201
        return 0
    for name, value in shown.items():
        print(f"{ENV_PREFIX}{name.upper():28} {value}")  # noqa: T201
    return 0
