"""`walltrack discover tokens|wallets [--mint M ...]`: run a discovery job now.

`tokens` reads the DexScreener feeds and refreshes the tokens due (or, with `--mint`,
adds those tokens by hand); `wallets` scans tokens back to their launch for early
profitable buyers (the tokens given, else those never scanned) and profiles what it found.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from walltrack.adapters.intel.jobs import IntelJobs
from walltrack.commands._intel import run_job
from walltrack.commands._process import settings_and_logging


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `discover` subcommand."""
    parser = subparsers.add_parser(
        "discover",
        help="discover tokens or wallets now",
        description="Run token or wallet discovery in this process, with a progress bar.",
    )
    parser.add_argument("what", choices=("tokens", "wallets"), help="what to discover")
    parser.add_argument(
        "--mint", action="append", default=[], metavar="M", help="a token mint (repeatable)"
    )
    parser.add_argument(
        "--no-profile", action="store_true", help="wallets: do not profile what was found"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(handler=_handle)


async def _tokens(jobs: IntelJobs, mints: list[str]) -> dict[str, Any]:
    if mints:
        added = [await jobs.tokens.add(mint) for mint in mints]
        return {
            "added": [{"mint": t.mint, "safety": (t.extra or {}).get("safety", {})} for t in added]
        }
    found = await jobs.tokens.discover()
    refreshed = await jobs.tokens.refresh_due()
    return {**found.as_dict(), "refreshed": refreshed.stored}


async def _wallets(jobs: IntelJobs, mints: list[str], profile: bool) -> dict[str, Any]:
    summary = await jobs.wallets.discover(mints or None)
    result: dict[str, Any] = {**summary.as_dict(), "found": list(summary.found)}
    if profile and summary.found:
        result["profiles"] = (await jobs.profiler.run(summary.found)).as_dict()
    return result


def _handle(args: argparse.Namespace) -> int:
    settings = settings_and_logging()
    if args.what == "tokens":
        result = run_job(settings, lambda jobs: _tokens(jobs, args.mint), needs_helius=False)
    else:
        result = run_job(
            settings,
            lambda jobs: _wallets(jobs, args.mint, not args.no_profile),
            needs_helius=True,
        )
    if args.json:
        print(json.dumps(result, default=str))  # noqa: T201
    else:
        for key, value in result.items():
            shown = len(value) if isinstance(value, list) and key == "found" else value
            print(f"{key:16} {shown}")  # noqa: T201
    return 0
