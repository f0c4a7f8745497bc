"""`walltrack tree`: the supervisor tree of the running process."""

from __future__ import annotations

import argparse
import json

from supervisors.introspection import render_tree
from walltrack.commands._client import call
from walltrack.config import load_settings
from walltrack.domain.tree import tree_from_json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `tree` subcommand."""
    parser = subparsers.add_parser(
        "tree",
        help="show the running supervisor tree",
        description="Each actor's state, restarts, last error, mailbox depth, uptime and "
        "messages handled, and the quarantined messages, from the running process.",
    )
    parser.add_argument("--json", action="store_true", help="print the raw JSON")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    data = call(load_settings(), "GET", "/api/tree")
    if args.json:
        print(json.dumps(data, indent=2))  # noqa: T201
    else:
        print(render_tree(tree_from_json(data)))  # noqa: T201
    return 0
