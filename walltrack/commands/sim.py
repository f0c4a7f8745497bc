"""`walltrack sim --seed N --speed X`: run the offline Solana world alone.

Why a command: any client (curl, a script, a second WallTrack process) can then use the
fake venues; the endpoints are printed first, the world runs until Ctrl-C or --duration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sim` subcommand."""
    parser = subparsers.add_parser(
        "sim",
        help="run the simulated Solana memecoin world and its fake venues",
        description="Run the seeded market simulator and serve Helius, Solana RPC, Jupiter, "
        "DexScreener and Birdeye on loopback; prints their base URLs.",
    )
    parser.add_argument("--seed", type=int, default=1, help="world seed (default 1)")
    parser.add_argument(
        "--speed",
        default="60",
        help="simulated seconds per real second, or 'max' for as fast as possible (default 60)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="stop after this many real seconds (default: until Ctrl-C)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.0,
        help="simulated seconds to run before serving (history on start)",
    )
    parser.add_argument("--webhook-url", default=None, help="register a webhook to this URL")
    parser.add_argument(
        "--webhook-auth", default=None, help="Authorization header value sent with each delivery"
    )
    parser.add_argument(
        "--webhook-addresses",
        default="smart",
        help="comma-separated addresses, or 'smart' (smart wallets and "
        "cluster leaders, the default) or 'all' (every labelled wallet)",
    )
    parser.add_argument(
        "--ground-truth", type=Path, default=None, help="write the ground truth JSON here on exit"
    )
    parser.add_argument("--json", action="store_true", help="print the endpoints as JSON")
    parser.set_defaults(handler=_handle)


def _speed(text: str) -> float | None:
    if text.lower() in ("max", "fast", "0"):
        return None
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("--speed must be positive or 'max'")
    return value


def _handle(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


async def _serve(args: argparse.Namespace) -> None:
    from walltrack.sim.harness import (  # noqa: PLC0415 - keep `walltrack --help` fast
        SimConfig,
        start_simulation,
    )

    config = SimConfig(seed=args.seed, speed=_speed(args.speed), warmup_s=args.warmup)
    async with start_simulation(config) as sim:
        endpoints = sim.endpoints
        if args.webhook_url:
            truth = sim.ground_truth()
            addresses = _addresses(args.webhook_addresses, truth)
            sim.add_webhook(args.webhook_url, auth_header=args.webhook_auth, addresses=addresses)
        if args.json:
            print(json.dumps(endpoints.as_dict()))  # noqa: T201
        else:
            for name, value in endpoints.as_dict().items():
                print(f"{name:12} {value if isinstance(value, str) else ','.join(value)}")  # noqa: T201
            print(f"seed {args.seed}, speed {args.speed}; Ctrl-C to stop")  # noqa: T201
        sys.stdout.flush()
        try:
            if args.duration is None:
                await asyncio.Event().wait()
            else:
                await asyncio.sleep(args.duration)
        finally:
            if args.ground_truth is not None:
                sim.write_ground_truth(args.ground_truth)


def _addresses(spec: str, truth: dict[str, Any]) -> list[str]:
    if spec not in ("smart", "all"):
        return [a for a in spec.split(",") if a]
    smart = [w["address"] for w in truth["smart_wallets"]]
    leaders = [c["leader"] for c in truth["clusters"] if c["kind"] == "copy_group"]
    if spec == "smart":
        return [*smart, *leaders]
    members = [m for c in truth["clusters"] for m in c["members"]]
    bots = [b["address"] for b in truth["bots"]]
    farmers = [f["address"] for f in truth["copy_farmers"]]
    return sorted({*smart, *members, *bots, *farmers})
