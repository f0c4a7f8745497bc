"""The `walltrack` command line: one subcommand per module in `walltrack.commands`.

Why discovery: each subcommand lives in its own module with a `register(subparsers)`
function, so adding a command never edits a shared file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import walltrack.commands
from walltrack.errors import ConfigurationError


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every discovered subcommand."""
    parser = argparse.ArgumentParser(
        prog="walltrack",
        description="Find the Solana wallets that win on memecoins, watch them, copy the best.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(walltrack.commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"walltrack.commands.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except ConfigurationError as error:
        print(f"walltrack: configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
