"""`walltrack demo`: the whole of WallTrack, paper trading against the simulated market.

Why: an operator (or a reviewer) sees the real thing work end to end with no keys and no
internet: the simulator's venues on loopback, embedded PostgreSQL and graph servers, the
simulator's traders profiled from their Helius history and watchlisted, their swaps
arriving as Helius webhooks, scored, copied in paper mode, exited by strategy, under the
circuit breaker; a summary from the tables at the end. WallTrack runs on the simulator's
clock, so `--speed 60` makes a minute of market (and of exit rules) pass every second.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from actors.names import INGRESS
from actors.pipeline_messages import TrackWallets
from supervisors.pipeline_wiring import PipelineOptions, PipelineWiring
from supervisors.runtime import TreeRuntime
from walltrack.adapters.postgres.run_summary import summarise_run
from walltrack.commands._demo_world import (
    DEMO_THRESHOLD,
    apply_demo_threshold,
    demo_settings,
    known_traders,
    seed_watchlist,
    start_world,
)
from walltrack.commands._pipeline import pipeline_parts
from walltrack.commands._process import run_with_stores, settings_and_logging
from walltrack.errors import StoreUnavailableError

TRACK_TIMEOUT_S = 60.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `demo` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="paper-trade the simulated market end to end (no keys, no internet)",
        description="Start the market simulator, then WallTrack in paper mode on embedded "
        "stores under WALLTRACK_DATA_DIR/demo (wiped first), tracking the simulator's "
        "traders; print a summary (signals, positions, realised PnL, breaker events) at the "
        "end. Control it meanwhile with `walltrack control pause|resume|reset`.",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the simulated world")
    parser.add_argument(
        "--speed", type=float, default=60.0, help="simulated seconds per real second"
    )
    parser.add_argument(
        "--duration", type=float, default=None, help="real seconds to run (default: Ctrl-C)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=6 * 3600.0,
        help="simulated seconds of market history before WallTrack starts",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEMO_THRESHOLD,
        help=f"signal score needed to trade (default {DEMO_THRESHOLD}: the simulated tokens "
        "are minutes old; the live default is 0.70)",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    if args.speed <= 0:
        print("walltrack demo: --speed must be positive")  # noqa: T201
        return 2
    base_settings = settings_and_logging()
    print(f"starting the simulated market (seed {args.seed}) ...", flush=True)  # noqa: T201
    sim = start_world(args.seed, args.speed, args.warmup)
    try:
        settings = demo_settings(base_settings, sim)
        clock = sim.simulation.clock
        began = clock.now()
        wired: list[PipelineWiring] = []

        def on_ready(runtime: TreeRuntime, base: str) -> Callable[[], None]:
            handles = wired[0].plan.handles
            apply_demo_threshold(handles.postgres(), args.threshold)
            wallets = known_traders(sim)
            seeded = seed_watchlist(
                settings,
                handles.postgres(),
                wallets,
                params=handles.params(),
                now=clock.now(),
                http_base=base,
            )
            watchlist = TrackWallets(tuple(wallets), resident=True)
            runtime.registry.ask(INGRESS, watchlist, timeout=TRACK_TIMEOUT_S)
            print(  # noqa: T201
                f"  watchlist: {len(seeded)} simulator traders profiled from their Helius "
                f"history (mean win rate "
                f"{sum(w.win_rate for w in seeded) / max(1, len(seeded)):.0%})\n"
                f"  threshold: {args.threshold:g} (runtime config; live default 0.70)\n"
                f"  tree:    {base}/api/tree   metrics: {base}/metrics\n"
                f"  control: walltrack control pause|resume|reset\n",
                flush=True,
            )

            def summary() -> None:
                try:
                    figures = summarise_run(handles.postgres().db, began)
                except StoreUnavailableError as error:
                    print(f"demo summary unavailable: {error}", flush=True)  # noqa: T201
                    return
                print("demo summary:", flush=True)  # noqa: T201
                for line in figures.lines():
                    print(f"  {line}", flush=True)  # noqa: T201

            return summary

        return run_with_stores(
            settings,
            title=f"WallTrack demo: paper trading the simulated market at {args.speed:g}x",
            after_stores=pipeline_parts(
                settings,
                PipelineOptions(
                    pace_s=max(0.05, min(2.0, 15.0 / args.speed)), rate_scale=args.speed
                ),
                on_wired=wired.append,
            ),
            duration_s=args.duration,
            on_ready=on_ready,
            clock=clock,
        )
    finally:
        sim.stop()
