"""`walltrack eval --seed N [--json]`: score discovery, profiling and clustering on a world.

Why a command: the quality of the watchlist is WallTrack's edge; this measures it on a
fresh simulated world against the truth the world was built from (walltrack/eval/run.py
says what runs and how each metric is defined). Output: `{"bench": "eval", "metrics":
{...}}`, the same shape as the benchmarks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from walltrack.eval.run import run_intelligence, score
from walltrack.eval.world import EvalStores, eval_world, private_stores, still_world
from walltrack.logging import configure_logging
from walltrack.sim.thread import SimulationThread

DEFAULT_WARMUP_S = 3600.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eval` subcommand."""
    parser = subparsers.add_parser(
        "eval",
        help="score wallet discovery, profiling and clustering against a simulated world",
        description="Build a fresh simulated world, run discovery, profiling and the cluster "
        "rebuild on private embedded stores, and score them against the world's ground truth.",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the simulated world")
    parser.add_argument(
        "--warmup",
        type=float,
        default=DEFAULT_WARMUP_S,
        help="simulated seconds of market history to evaluate on",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_handle)


def evaluate(seed: int, warmup_s: float = DEFAULT_WARMUP_S) -> dict[str, Any]:
    """The metrics of one evaluation."""

    async def main(sim: SimulationThread, stores: EvalStores) -> dict[str, Any]:
        async with eval_world(sim, stores) as world:
            found = await run_intelligence(world)
            return score(world.truth(), found)

    with private_stores() as stores, SimulationThread(still_world(seed, warmup_s)) as sim:
        return asyncio.run(main(sim, stores))


def _handle(args: argparse.Namespace) -> int:
    configure_logging("WARNING", stream=sys.stderr)
    metrics = evaluate(args.seed, args.warmup)
    if args.json:
        print(json.dumps({"bench": "eval", "metrics": metrics}))  # noqa: T201
    else:
        for key, value in metrics.items():
            print(f"{key:24} {value}")  # noqa: T201
    sys.stdout.flush()
    return 0
