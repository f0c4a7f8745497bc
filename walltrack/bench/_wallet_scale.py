"""How many tracked wallets the tree holds with virtual wallet actors, and at what RSS.

What is measured (issue 5, item 20, `max_tracked_wallets` and `rss_mb`): a small tree of
the real IngressActor routing to real WalletActors under the wallets' DynamicSupervisor,
with counting stand-ins for the scorer, cluster and exit watcher. The tracked set grows
in steps; at each size, swaps arrive for rotating subsets spread over the whole set
(each wallet of a subset activated from its snapshot or the directory, handles its swap,
signals, then is passivated by a sweep). A size is held when every swap of every round
came out as a signal and the process stays within the RSS budget.

Run in a process of its own (`python -m walltrack.bench._wallet_scale`, one JSON line)
so the RSS is this tree's and its heap never slows the other measurements' collections.
Stand-ins, said plainly: snapshots are kept in memory (PostgreSQL in production, so the
figure is conservative) and the wallet directory answers from a dict.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from actors.ingress import IngressActor
from actors.ingress_sink import IngressSink
from actors.names import CLUSTER, EXIT_WATCHER, INGRESS, SCORER, WALLET_PREFIX, WALLETS
from actors.pipeline_messages import GetStats, TrackWallets
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.bus import EventBus
from actors.runtime.protocol import SweepIdle
from actors.runtime.registry import Registry
from actors.wallet import WalletActor
from supervisors.dynamic import DynamicSpec, dynamic_child
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from supervisors.supervisor import SupervisorSpec
from walltrack.adapters.memory_snapshots import InMemorySnapshotStore
from walltrack.clock import LiveClock
from walltrack.config import LogFormat
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.messages.signals import WalletSignal
from walltrack.domain.params import default_params
from walltrack.domain.records.wallets import WalletProfile, WalletRecord, WalletStatus
from walltrack.domain.swap_types import Side, Swap
from walltrack.logging import configure_logging

SIZES = (100_000, 250_000, 500_000, 1_000_000)
SUBSET = 1_000
ROUNDS_PER_SIZE = 3
RSS_BUDGET_MB = 1_500.0
WAIT_S = 120.0
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_MINT = "So11111111111111111111111111111111111111112"
_AT = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def address(index: int) -> str:
    """A distinct 44-character base58 address for wallet `index`."""
    digits = ""
    value = index + 1
    while value:
        value, rest = divmod(value, 58)
        digits = _BASE58[rest] + digits
    return "W" + digits.rjust(43, "1")


def rss_mb() -> float:
    """This process's resident set (VmRSS) in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class _Directory:
    """The wallets table as the wallet actors read it: one profiled, watched row each."""

    def __init__(self) -> None:
        self._profile = WalletProfile(
            trade_count=40, win_rate=0.7, total_pnl_lamports=30 * 10**9, score=0.8
        )

    def get(self, wallet: str) -> WalletRecord | None:
        return self._record(wallet)

    def set_score(self, wallet: str, score: float) -> WalletRecord:
        return self._record(wallet)

    def _record(self, wallet: str) -> WalletRecord:
        return WalletRecord(
            address=wallet,
            status=WalletStatus.WATCHLISTED,
            status_reason=None,
            status_changed_at=_AT,
            discovered_at=_AT,
            discovered_from_token=None,
            profile=self._profile,
            profiled_at=_AT,
            last_activity_at=_AT,
            created_at=_AT,
            updated_at=_AT,
        )


class _Counter(SupervisedActor):
    """Stands in for the scorer: counts the wallet signals, wakes the bench at a target."""

    def __init__(self, context: ActorContext, counted: _Counted) -> None:
        super().__init__(context)
        self._counted = counted

    def handle(self, message: Any) -> Any:
        if isinstance(message, WalletSignal):
            self._counted.hit()
        return None


class _Ignore(SupervisedActor):
    """Stands in for the cluster actor and the exit watcher."""

    def handle(self, message: Any) -> Any:
        return None


class _Counted:
    def __init__(self) -> None:
        self.count = 0
        self.target = 0
        self.reached = threading.Event()

    def expect(self, target: int) -> None:
        self.target = target
        self.reached.clear()
        if self.count >= target:
            self.reached.set()

    def hit(self) -> None:
        self.count += 1
        if self.count >= self.target:
            self.reached.set()


def _tree(counted: _Counted) -> tuple[TreeRuntime, Registry]:
    registry = Registry()
    services = TreeServices(
        registry=registry,
        bus=EventBus(registry),
        snapshots=InMemorySnapshotStore(),
        clock=LiveClock(),
        seed=7,
    )
    directory = _Directory()
    params = default_params()
    wallets = DynamicSpec(
        template=lambda name: ChildSpec(
            name=name, start=lambda context: WalletActor.start(context, directory, lambda: params)
        ),
        passivate_after_s=0.0,  # every sweep passivates every idle wallet; the bench sweeps
    )
    children = [
        ChildSpec(name=SCORER, start=lambda context: _Counter.start(context, counted)),
        ChildSpec(name=CLUSTER, start=_Ignore.start),
        ChildSpec(name=EXIT_WATCHER, start=_Ignore.start),
        dynamic_child(WALLETS, services, wallets),
        ChildSpec(name=INGRESS, start=lambda context: IngressActor.start(context, tuple)),
    ]
    runtime = TreeRuntime(services, SupervisorSpec(children=children))
    runtime.start()
    return runtime, registry


def _swap(wallet: str, serial: int) -> SwapObserved:
    signature = f"scale{serial}".ljust(88, "z")
    swap = Swap(
        wallet=wallet,
        side=Side.BUY,
        token_mint=_MINT,
        token_amount=1_000_000_000,
        token_decimals=6,
        sol_lamports=2 * 10**9,
        network_fee_lamports=5000,
        venue="PUMP_AMM",
        signature=signature,
        slot=serial,
        timestamp=_AT,
        fee_payer=wallet,
    )
    return SwapObserved(
        correlation_id=uuid4(),
        ts_event=_AT,
        ts_init=_AT,
        wallet=wallet,
        swap=swap,
        signature=signature,
        received_at=_AT,
    )


def _live_wallets(registry: Registry) -> int:
    return sum(1 for slot in registry.slots() if slot.name.startswith(WALLET_PREFIX) and slot.ref)


def _round(registry: Registry, counted: _Counted, tracked: int, round_no: int, serial: int) -> int:
    """Swaps for SUBSET wallets spread over the tracked set; all signalled, then passivated."""
    sink = IngressSink(registry)
    step = max(1, tracked // SUBSET)
    subset = [(round_no * 7919 + i * step) % tracked for i in range(min(SUBSET, tracked))]
    counted.expect(counted.count + len(subset))
    for offset, index in enumerate(subset):
        sink.submit(_swap(address(index), serial + offset))
    if not counted.reached.wait(WAIT_S):
        msg = f"{counted.count} of {counted.target} signals after {WAIT_S} s"
        raise RuntimeError(msg)
    deadline = time.monotonic() + WAIT_S
    while _live_wallets(registry):  # passivation reports arrive asynchronously
        registry.ask(WALLETS, SweepIdle(), timeout=WAIT_S)
        if time.monotonic() > deadline:
            msg = "wallet actors were not passivated in time"
            raise RuntimeError(msg)
    return serial + len(subset)


def measure(
    sizes: tuple[int, ...] = SIZES,
    rounds: int = ROUNDS_PER_SIZE,
    budget_mb: float = RSS_BUDGET_MB,
) -> dict[str, float | int]:
    """The largest size held within `budget_mb`, its RSS, and what the run did to prove it."""
    counted = _Counted()
    runtime, registry = _tree(counted)
    held, held_rss, tracked, serial, activations = 0, 0.0, 0, 0, 0
    started = time.perf_counter()
    try:
        for size in sizes:
            new = tuple(address(i) for i in range(tracked, size))
            registry.tell(INGRESS, TrackWallets(addresses=new))
            stats = registry.ask(INGRESS, GetStats(), timeout=WAIT_S)
            tracked = int(stats["tracked"])
            if tracked != size:
                msg = f"the ingress tracks {tracked} wallets, expected {size}"
                raise RuntimeError(msg)
            for round_no in range(rounds):
                before = serial
                serial = _round(registry, counted, tracked, round_no + size, serial)
                activations += serial - before
            rss = rss_mb()
            if rss > budget_mb:
                break
            held, held_rss = size, rss
    finally:
        runtime.shutdown(timeout=WAIT_S)
    return {
        "max_tracked_wallets": held,
        "rss_mb": round(held_rss, 1),
        "wallet_activations": activations,
        "wallet_scale_s": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Run with the given sizes; print one JSON line."""
    parser = argparse.ArgumentParser(prog="walltrack.bench._wallet_scale")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--rounds", type=int, default=ROUNDS_PER_SIZE)
    args = parser.parse_args(argv)
    with open(os.devnull, "w", encoding="utf-8") as quiet:
        configure_logging("ERROR", LogFormat.JSON, quiet)
        sizes = tuple(int(s) for s in args.sizes.split(","))
        result = measure(sizes, args.rounds)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
