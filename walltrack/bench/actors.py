"""`walltrack bench actors`: the supervision runtime against bare pykka, in one run.

Why ratios: the machine is shared and noisy, so throughput is compared with plain pykka
measured in the same process a moment earlier, not with an absolute number.
"""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from typing import Any

import pykka

from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.bus import EventBus
from actors.runtime.protocol import Ping, SweepIdle, TrackNames
from actors.runtime.registry import Registry
from supervisors.dynamic import DynamicSpec, StartChildren, dynamic_child
from supervisors.runtime import TreeRuntime
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec, Intensity, StartFn
from supervisors.supervisor import SupervisorSpec
from walltrack.adapters.memory_snapshots import InMemorySnapshotStore
from walltrack.bench import Metrics
from walltrack.clock import LiveClock
from walltrack.config import LogFormat
from walltrack.domain.tree import ActorState
from walltrack.logging import configure_logging

PIPELINE_MESSAGES = 60_000
ROUNDS = 5
RESTARTS = 300
WALLETS = 5_000
ACTIVATIONS = 1_000


class _Done:
    """Counts messages and fires an event at the target count."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.count = 0
        self.event = threading.Event()

    def hit(self) -> None:
        self.count += 1
        if self.count >= self.target:
            self.event.set()


class _BareStage(pykka.ThreadingActor):
    use_daemon_thread = True

    def __init__(self, forward: pykka.ActorRef[Any] | None, done: _Done | None) -> None:
        super().__init__()
        self._forward = forward
        self._done = done

    def on_receive(self, message: Any) -> Any:
        if self._forward is not None:
            self._forward.tell(message)
        elif self._done is not None:
            self._done.hit()


class _Stage(SupervisedActor):
    def __init__(self, context: ActorContext, forward: str | None, done: _Done | None) -> None:
        super().__init__(context)
        self._forward = forward
        self._done = done

    def handle(self, message: Any) -> Any:
        if self._forward is not None:
            self.tell(self._forward, message)
        elif self._done is not None:
            self._done.hit()


class _TransientFault:
    """Crashes the first actor that handles it; its redelivery then succeeds."""

    def __init__(self) -> None:
        self.armed = True


class _Wallet(SupervisedActor):
    """Wallet-like: a little state, snapshotted, crashes on demand, signals on demand."""

    snapshot_kind = "bench_wallet"

    def __init__(self, context: ActorContext) -> None:
        super().__init__(context)
        self.seen = 0

    def handle(self, message: Any) -> Any:
        if isinstance(message, _TransientFault) and message.armed:
            message.armed = False
            raise RuntimeError("injected crash")
        if isinstance(message, threading.Event):
            message.set()
            return None
        self.seen += 1
        self.mark_dirty()
        return None

    def snapshot_state(self) -> dict[str, Any]:
        return {"seen": self.seen, "tokens": ["So11111111111111111111111111111111111111112"]}

    def restore_state(self, state: Any, version: int) -> None:
        self.seen = int(state["seen"])


def _services() -> TreeServices:
    registry = Registry()
    return TreeServices(
        registry=registry,
        bus=EventBus(registry),
        snapshots=InMemorySnapshotStore(),
        clock=LiveClock(),
        seed=7,
    )


def _bare_pykka_rate() -> float:
    done = _Done(PIPELINE_MESSAGES)
    sink = _BareStage.start(None, done)
    head = _BareStage.start(sink, None)
    started = time.perf_counter()
    for index in range(PIPELINE_MESSAGES):
        head.tell(index)
    done.event.wait(120)
    elapsed = time.perf_counter() - started
    head.stop()
    sink.stop()
    return PIPELINE_MESSAGES / elapsed


def _pipeline_rate() -> float:
    services = _services()
    done = _Done(PIPELINE_MESSAGES)
    names = ("stage1", "stage2", "stage3")
    forwards = ("stage2", "stage3", None)

    def stage(forward: str | None) -> StartFn:
        return lambda context: _Stage.start(context, forward, done if forward is None else None)

    children = [
        ChildSpec(name=name, start=stage(forward))
        for name, forward in zip(names, forwards, strict=True)
    ]
    runtime = TreeRuntime(services, SupervisorSpec(children=children))
    runtime.start()
    registry = services.registry
    started = time.perf_counter()
    for index in range(PIPELINE_MESSAGES):
        registry.tell("stage1", index)
    done.event.wait(120)
    elapsed = time.perf_counter() - started
    runtime.shutdown()
    return PIPELINE_MESSAGES / elapsed


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def _restart_latencies_ms() -> list[float]:
    services = _services()
    names = [f"w{index}" for index in range(RESTARTS)]
    children = [ChildSpec(name=name, start=_Wallet.start) for name in names]
    spec = SupervisorSpec(
        children=children, intensity=Intensity(max_restarts=RESTARTS * 2, window_s=60)
    )
    runtime = TreeRuntime(services, spec)
    runtime.start()
    registry = services.registry
    for name in names:
        registry.tell(name, "state")  # something to snapshot and restore
    latencies = []
    for name in names:
        handled = threading.Event()
        started = time.perf_counter()
        registry.tell(name, _TransientFault())
        registry.tell(name, handled)
        handled.wait(10)
        latencies.append((time.perf_counter() - started) * 1000)
    runtime.shutdown()
    return latencies


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _wallet_supervisor_runtime(passivate_after_s: float | None) -> tuple[TreeRuntime, Registry]:
    services = _services()
    wallets = DynamicSpec(
        template=lambda name: ChildSpec(name=name, start=_Wallet.start),
        passivate_after_s=passivate_after_s,
        sweep_every_s=3600,
    )
    runtime = TreeRuntime(
        services, SupervisorSpec(children=[dynamic_child("wallets", services, wallets)])
    )
    runtime.start()
    return runtime, services.registry


def _spawn_and_stop() -> tuple[float, float, float]:
    runtime, registry = _wallet_supervisor_runtime(None)
    specs = [ChildSpec(name=f"wallet{i}", start=_Wallet.start) for i in range(WALLETS)]
    rss_before = _rss_kb()
    started = time.perf_counter()
    registry.ask("wallets", StartChildren(specs), timeout=120)
    spawn_s = time.perf_counter() - started
    rss_per_actor = (_rss_kb() - rss_before) / WALLETS
    started = time.perf_counter()
    runtime.shutdown(timeout=120)
    stop_s = time.perf_counter() - started
    return spawn_s, stop_s, rss_per_actor


def _activation_latencies_ms() -> list[float]:
    runtime, registry = _wallet_supervisor_runtime(0.0)
    names = tuple(f"wallet{i}" for i in range(ACTIVATIONS))
    registry.ask("wallets", TrackNames(names), timeout=60)
    for name in names:  # activate once so each has a snapshot, then passivate all
        registry.tell(name, "state")
    registry.ask(names[-1], "state", timeout=60)
    registry.ask("wallets", SweepIdle(), timeout=60)
    while any(registry.get(name).state is not ActorState.INACTIVE for name in names):
        registry.ask("wallets", Ping(), timeout=60)  # let the passivation reports arrive
    latencies = []
    for name in names:
        handled = threading.Event()
        started = time.perf_counter()
        registry.tell(name, handled)
        handled.wait(10)
        latencies.append((time.perf_counter() - started) * 1000)
    runtime.shutdown(timeout=120)
    return latencies


def run() -> Metrics:
    """Measure throughput, restart and activation latency, and spawn/stop at scale."""
    # Crash reports are still formatted (their cost is part of a restart), but discarded.
    with open(os.devnull, "w", encoding="utf-8") as sink:
        configure_logging("ERROR", LogFormat.JSON, sink)
        return _measure()


def _measure() -> Metrics:
    # Interleaved rounds, best of each: a burst of load from another process then hits
    # both sides alike instead of deciding the ratio.
    _bare_pykka_rate()  # warm-up: imports, allocator, CPU frequency
    _pipeline_rate()
    bare_rates, pipeline_rates = [], []
    for _ in range(ROUNDS):
        bare_rates.append(_bare_pykka_rate())
        pipeline_rates.append(_pipeline_rate())
    bare, pipeline = max(bare_rates), max(pipeline_rates)
    restarts = _restart_latencies_ms()
    spawn_s, stop_s, rss_per_actor = _spawn_and_stop()
    activations = _activation_latencies_ms()
    return {
        "pipeline_msgs_per_s": round(pipeline),
        "bare_pykka_msgs_per_s": round(bare),
        "pipeline_ratio": round(pipeline / bare, 3),
        "restart_p50_ms": round(statistics.median(restarts), 3),
        "restart_p99_ms": round(_percentile(restarts, 99), 3),
        "spawn_5000_s": round(spawn_s, 3),
        "stop_5000_s": round(stop_s, 3),
        "rss_per_actor_kb": round(rss_per_actor, 1),
        "activate_p50_ms": round(statistics.median(activations), 3),
        "activate_p99_ms": round(_percentile(activations, 99), 3),
    }
