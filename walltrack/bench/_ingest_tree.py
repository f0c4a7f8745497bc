"""The ingest benchmark's destinations: a counting sink, or the door of a real tree.

Why apart from `_ingest`: the ingest figures are taken twice, once with the receiver
handing each swap to a sink that only counts (the receiver's own cost), once with the
real `IngressSink` telling a real IngressActor that routes to virtual wallet actors (the
hand-off to actors included); both count where each swap arrived, so a round proves
every swap posted got there exactly once.
"""

from __future__ import annotations

import threading
from typing import Any

from actors.ingress import IngressActor
from actors.names import INGRESS, WALLETS
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.bus import EventBus
from actors.runtime.registry import Registry
from supervisors.dynamic import DynamicSpec, dynamic_child
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec
from supervisors.supervisor import SupervisorSpec
from walltrack.adapters.memory_snapshots import InMemorySnapshotStore
from walltrack.clock import LiveClock
from walltrack.domain.messages.ingress import SwapObserved


class Counted:
    """Swaps that arrived; wakes the bench when a target is reached (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self._target = 0
        self._reached = threading.Event()

    def hit(self) -> None:
        """One more swap arrived."""
        with self._lock:
            self.count += 1
            if self.count >= self._target:
                self._reached.set()

    def wait_for(self, target: int, timeout: float) -> bool:
        """True once `target` swaps arrived (within `timeout` seconds)."""
        with self._lock:
            self._target = target
            if self.count >= target:
                return True
            self._reached.clear()
        return self._reached.wait(timeout)


class CountingSink:
    """A SwapSink that only counts: the receiver's own cost, without the actor hand-off."""

    def __init__(self, counted: Counted) -> None:
        self._counted = counted

    def submit(self, message: object) -> None:
        """Count `message`."""
        self._counted.hit()


class _CountingWallet(SupervisedActor):
    """Stands in for a WalletActor: counts the swaps routed to it."""

    def __init__(self, context: ActorContext, counted: Counted) -> None:
        super().__init__(context)
        self._counted = counted

    def handle(self, message: Any) -> Any:
        if type(message) is SwapObserved:
            self._counted.hit()


def ingress_tree(tracked: frozenset[str]) -> tuple[TreeRuntime, Counted]:
    """A started tree: the real IngressActor routing to virtual wallet actors that count.

    What the wallet actors do with a swap is the signal path's cost, not the ingest's
    (`decision_*` measures the whole path).
    """
    counted = Counted()
    registry = Registry()
    services = TreeServices(
        registry=registry,
        bus=EventBus(registry),
        snapshots=InMemorySnapshotStore(),
        clock=LiveClock(),
        seed=7,
    )
    wallets = DynamicSpec(
        template=lambda name: ChildSpec(
            name=name, start=lambda context: _CountingWallet.start(context, counted)
        ),
        passivate_after_s=None,
    )
    children = [
        dynamic_child(WALLETS, services, wallets),
        ChildSpec(name=INGRESS, start=lambda context: IngressActor.start(context, lambda: tracked)),
    ]
    runtime = TreeRuntime(services, SupervisorSpec(children=children))
    runtime.start()
    return runtime, counted
