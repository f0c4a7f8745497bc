"""`walltrack demo`: the supervision runtime at work on built-in demo actors.

Why: an operator (or a reviewer) sees the tree start in order, actors crash and come back
with their state, idle wallets passivate and reactivate, and the tree stop in reverse, with
no keys, stores or internet.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading

from actors.demo import LEDGER, SCORER, DemoSwap, InjectFault
from actors.runtime.bus import EventBus
from actors.runtime.protocol import TrackNames
from actors.runtime.registry import Registry
from supervisors.demo_tree import WALLETS, demo_tree
from supervisors.introspection import render_tree
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from walltrack.adapters.memory_snapshots import InMemorySnapshotStore
from walltrack.adapters.webhook.control_api import make_app
from walltrack.adapters.webhook.server import HttpServerThread
from walltrack.clock import LiveClock
from walltrack.commands._process import (
    RuntimeControl,
    control_token,
    settings_and_logging,
    wait_for_exit,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `demo` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="run the supervisor tree on built-in demo actors",
        description="Run the tree on demo actors: swaps flow through wallet actors to a "
        "scorer and a ledger while faults are injected; the tree is printed as it changes.",
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


def _handle(args: argparse.Namespace) -> int:
    settings = settings_and_logging()
    registry = Registry()
    services = TreeServices(
        registry=registry,
        bus=EventBus(registry),
        snapshots=InMemorySnapshotStore(),
        clock=LiveClock(),
        poison_threshold=settings.poison_threshold,
    )
    runtime = TreeRuntime(services, demo_tree(services, passivate_after_s=5.0))
    runtime.start()
    control = RuntimeControl(runtime)
    token = control_token(settings)
    http = HttpServerThread(
        make_app(control, services.clock, token), settings.webhook_host, settings.webhook_port
    )
    http.start()
    control.mark_ready()
    wallets = [f"demo_wallet_{index}" for index in range(args.wallets)]
    registry.ask(WALLETS, TrackNames(tuple(wallets)), timeout=30)
    base = f"http://{settings.webhook_host}:{http.bound_port}"
    print(  # noqa: T201
        f"WallTrack demo running (Ctrl-C to stop)\n  tree:    {base}/api/tree\n"
        f"  control: walltrack control pause|resume|reset  (token in {settings.data_dir})\n",
        flush=True,
    )
    stop = threading.Event()
    threads = [
        threading.Thread(target=_traffic, args=(registry, wallets, args, stop), daemon=True),
        threading.Thread(target=_printer, args=(runtime, args.every, stop), daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        code = wait_for_exit(runtime, args.duration)
    finally:
        stop.set()
        http.stop()
    print(render_tree(runtime.tree()), file=sys.stdout, flush=True)  # noqa: T201
    return code
