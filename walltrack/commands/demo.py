"""`walltrack demo`: the supervision runtime at work on built-in demo actors.

Why: an operator (or a reviewer) sees the tree start in order, actors crash and come back
with their state, idle wallets passivate and reactivate, and the tree stop in reverse, with
no keys or internet. The StoresSupervisor is the first child (embedded PostgreSQL and
graph servers under WALLTRACK_DATA_DIR unless configured) and snapshots go to PostgreSQL,
so the demo's state also survives a restart of the process.
"""

from __future__ import annotations

import argparse
import random
import threading
from collections.abc import Callable, Sequence

from actors.demo import LEDGER, SCORER, DemoSwap, InjectFault
from actors.runtime.protocol import TrackNames
from actors.runtime.registry import Registry
from supervisors.demo_tree import DEMO_ROUTES, WALLETS, demo_tree
from supervisors.introspection import render_tree
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from supervisors.wiring import StoresPlan
from walltrack.commands._process import run_with_stores, settings_and_logging


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `demo` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="run the supervisor tree on built-in demo actors",
        description="Run the tree on demo actors after the stores: swaps flow through wallet "
        "actors to a scorer and a ledger while faults are injected; the tree is printed as "
        "it changes; state is kept in PostgreSQL under WALLTRACK_DATA_DIR.",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo traffic")
    parser.add_argument("--wallets", type=int, default=200, help="demo wallets to track")
    parser.add_argument("--duration", type=float, default=None, help="seconds (default: Ctrl-C)")
    parser.add_argument("--every", type=float, default=5.0, help="print the tree every N s")
    parser.add_argument("--fault-every", type=float, default=2.0, help="inject a fault every N s")
    parser.set_defaults(handler=_handle)


def _traffic(
    registry: Registry, wallets: list[str], args: argparse.Namespace, stop: threading.Event
) -> None:
    rng = random.Random(args.seed)
    targets = [LEDGER, SCORER, *wallets[:10]]
    next_fault = args.fault_every
    elapsed = 0.0
    step = 0.01
    while not stop.wait(step):
        elapsed += step
        hot = wallets[: max(1, len(wallets) // 10)]  # most wallets stay idle: they passivate
        wallet = rng.choice(hot if rng.random() < 0.9 else wallets)
        registry.tell(wallet, DemoSwap(wallet, rng.randrange(10_000_000, 2_000_000_000)))
        if elapsed >= next_fault:
            next_fault += args.fault_every
            registry.tell(rng.choice(targets), InjectFault.new())


def _printer(runtime: TreeRuntime, every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        print(render_tree(runtime.tree()), flush=True)  # noqa: T201
        totals = runtime.services.registry.ask(LEDGER, "totals", timeout=5)
        print(f"ledger: {totals}\n", flush=True)  # noqa: T201


def _demo_children(services: TreeServices, _plan: StoresPlan) -> Sequence[ChildSpec]:
    return demo_tree(services, passivate_after_s=5.0).children


def _handle(args: argparse.Namespace) -> int:
    settings = settings_and_logging()
    wallets = [f"demo_wallet_{index}" for index in range(args.wallets)]
    stop = threading.Event()

    def on_ready(runtime: TreeRuntime, base: str) -> Callable[[], None]:
        registry = runtime.services.registry
        registry.ask(WALLETS, TrackNames(tuple(wallets)), timeout=30)
        totals = registry.ask(LEDGER, "totals", timeout=10)
        print(  # noqa: T201
            f"  ledger restored from PostgreSQL: {totals}\n"
            f"  tree:    {base}/api/tree\n"
            f"  control: walltrack control pause|resume|reset\n",
            flush=True,
        )
        threads = [
            threading.Thread(target=_traffic, args=(registry, wallets, args, stop), daemon=True),
            threading.Thread(target=_printer, args=(runtime, args.every, stop), daemon=True),
        ]
        for thread in threads:
            thread.start()

        def cleanup() -> None:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
            print(render_tree(runtime.tree()), flush=True)  # noqa: T201

        return cleanup

    return run_with_stores(
        settings,
        title="WallTrack demo running (Ctrl-C to stop)",
        after_stores=_demo_children,
        duration_s=args.duration,
        on_ready=on_ready,
        routes=DEMO_ROUTES,
    )
