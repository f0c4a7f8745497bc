"""`walltrack control pause|resume|reset|shutdown`: operator commands to the running tree."""

from __future__ import annotations

import argparse

from walltrack.commands._client import call
from walltrack.config import load_settings

ACTIONS = ("pause", "resume", "reset", "shutdown")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `control` subcommand."""
    parser = subparsers.add_parser(
        "control",
        help="pause, resume, reset the circuit breaker, or shut down",
        description="Send a supervisor control message to the running process "
        "(pause/resume new entries, reset the circuit breaker, shut down).",
    )
    parser.add_argument("action", choices=ACTIONS)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    reply = call(load_settings(), "POST", f"/api/control/{args.action}")
    print(f"{reply['accepted']} accepted (correlation {reply['correlation_id']})")  # noqa: T201
    return 0
