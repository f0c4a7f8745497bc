"""`walltrack profile WALLET [--pin]`: profile one wallet now and place it on the watchlist.

An unknown wallet is added by hand first (pinned with `--pin`: watched whatever its
metrics); the profile, the lifecycle verdict and the criteria it failed are printed.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from walltrack.adapters.intel.jobs import IntelJobs
from walltrack.commands._intel import run_job
from walltrack.commands._process import settings_and_logging

LAMPORTS_PER_SOL = 1_000_000_000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `profile` subcommand."""
    parser = subparsers.add_parser(
        "profile",
        help="profile a wallet now",
        description="Profile one wallet from its history and apply the watchlist criteria.",
    )
    parser.add_argument("wallet", help="the wallet's address")
    parser.add_argument("--pin", action="store_true", help="add it pinned (always watched)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=_handle)


async def _profile(jobs: IntelJobs, wallet: str, pin: bool) -> dict[str, Any]:
    if pin:
        jobs.watchlist.add_manual(wallet, pin=True)
    await jobs.profiler.run((wallet,))
    record = jobs.profiler.watchlist_record(wallet)
    intel = jobs.store.intel_of(wallet)
    p = record.profile
    return {
        "wallet": wallet,
        "status": record.status.value,
        "reason": record.status_reason,
        "failed_criteria": list(intel.failed_criteria) if intel is not None else [],
        "pinned": bool(intel is not None and intel.pinned),
        "trades": p.trade_count,
        "win_rate": round(p.win_rate, 4),
        "pnl_sol": str(p.total_pnl_lamports / LAMPORTS_PER_SOL),
        "timing_percentile": p.timing_percentile,
        "copy_pnl_lamports": p.copy_pnl_lamports,
        "confidence": p.confidence.value,
        "flash_flipper": p.is_flash_flipper,
        "bot": p.is_bot,
        "decay": p.decay_status.value,
        "score": round(p.score, 4),
    }


def _handle(args: argparse.Namespace) -> int:
    settings = settings_and_logging()
    result = run_job(
        settings, lambda jobs: _profile(jobs, args.wallet, args.pin), needs_helius=True
    )
    if args.json:
        print(json.dumps(result, default=str))  # noqa: T201
    else:
        for key, value in result.items():
            print(f"{key:18} {value}")  # noqa: T201
    return 0
