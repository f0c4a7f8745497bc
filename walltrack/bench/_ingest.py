"""Webhook ingest throughput for `walltrack bench pipeline` (issue 5, item 20).

What is measured: Helius-shaped deliveries posted over loopback by a load generator in a
SEPARATE process (an aiohttp client, so its CPU is not the server's GIL), against
- the real receiver (`make_app` with the webhook): auth -> size limit -> parse ->
  validation -> dedupe (memory, then the store on a worker thread) -> classification of
  every tracked address -> hand-off to the sink -> JSON summary reply;
- a bare aiohttp handler that reads and parses the same body and answers 200,
with the same generator, in the same run, in interleaved rounds (best of each: the machine
is shared, and a burst of someone else's load should not decide the ratio).

Stand-ins, said plainly: the durable store is `InMemoryWebhookEventStore` (payloads not
kept, called in place), so PostgreSQL's round trip and its thread hop are not in the
figure (`decision_*` has them). The headline figures hand each swap to a counting sink;
`ingest_via_actors_*` is the same single-POST load with the real `IngressSink` telling a
real IngressActor that routes to (counting) wallet actors, so the cost of waking actor
threads under the GIL is visible separately. Every transaction is a real-shaped swap
rendered by the simulator (about 4.3 KB each), each POST under signatures never seen
before, with every fee payer tracked, so each one is classified and handed on (each
counted where it arrived, checked after every round).
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from walltrack.bench._ingest_tree import Counted

SIM_SEED = 7
DISTINCT_TXS = 1_000
BATCH = 20
CONNECTIONS = 8
ROUNDS = 5
ROUND_S = 2.0
WARMUP_REQUESTS = 300
MAX_REQUESTS = 60_000
SECRET = "Bearer ingest-bench-secret"  # noqa: S105 - a loopback-only bench value


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one load-generator run achieved inside its timed window."""

    requests: int
    events: int
    elapsed_s: float
    cpu_s: float
    """CPU time of the serving process (every thread) over the whole run, warm-up included."""
    handled: int
    """Transactions posted over the whole run, warm-up included."""

    @property
    def events_per_s(self) -> float:
        """Events (transactions) per second of the timed window."""
        return self.events / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def cpu_us_per_event(self) -> float:
        """The server's CPU per transaction: steadier than throughput on a busy machine."""
        return self.cpu_s / self.handled * 1e6 if self.handled else 0.0


def sim_transactions(count: int = DISTINCT_TXS, seed: int = SIM_SEED) -> list[dict[str, Any]]:
    """`count` swaps of a simulated market, as Helius enhanced transactions."""
    from walltrack.sim.enhanced_tx import EnhancedRenderer  # noqa: PLC0415 - heavy import
    from walltrack.sim.events import SwapEvent  # noqa: PLC0415
    from walltrack.sim.world import World  # noqa: PLC0415

    world = World(seed)
    render = EnhancedRenderer(world.market).render
    txs: list[dict[str, Any]] = []
    done = 0
    while len(txs) < count:
        world.advance(30.0)
        for event in world.market.events_since(done):
            if type(event) is SwapEvent:
                txs.append(render(event))
        done = world.market.next_seq
    return txs[:count]


def _bare_app() -> Any:
    from aiohttp import web  # noqa: PLC0415

    async def handle(request: web.Request) -> web.Response:
        json.loads(await request.read())
        return web.Response(status=200)

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_post("/webhooks/helius", handle)
    return app


def _ingest_app(tracked: frozenset[str], *, through_actors: bool) -> tuple[Any, Any, Counted]:
    from actors.ingress_sink import IngressSink  # noqa: PLC0415
    from walltrack.adapters.webhook.control_api import make_app  # noqa: PLC0415
    from walltrack.adapters.webhook.helius_receiver import WebhookDependencies  # noqa: PLC0415
    from walltrack.adapters.webhook.memory_event_store import (  # noqa: PLC0415
        InMemoryWebhookEventStore,
    )
    from walltrack.bench._ingest_tree import Counted, CountingSink, ingress_tree  # noqa: PLC0415
    from walltrack.clock import LiveClock  # noqa: PLC0415

    runtime: Any = None
    if through_actors:
        runtime, counted = ingress_tree(tracked)
        sink: Any = IngressSink(runtime.services.registry)
    else:
        counted = Counted()
        sink = CountingSink(counted)
    deps = WebhookDependencies(
        authorization=SECRET,
        store=InMemoryWebhookEventStore(keep_payloads=False),
        tracked=tracked,
        sink=sink,
    )
    app = make_app(_NoTree(), LiveClock(), "bench-control-token", webhook=deps)
    return app, runtime, counted


class _NoTree:
    """The bench serves the webhook without a supervisor tree."""

    def tree(self) -> Any:
        from walltrack.domain.tree import TreeSnapshot  # noqa: PLC0415

        return TreeSnapshot(actors=(), quarantined=(), inactive_count=0)

    def control(self, command: object) -> None:
        """Nothing to control."""

    def ready(self) -> bool:
        return True


def _run_round(
    app: Any, templates: Path, batch: int, round_tag: int, duration_s: float
) -> LoadResult:
    """Serve `app` on loopback and load it from a separate process for `duration_s`."""
    from walltrack.adapters.webhook.server import HttpServerThread  # noqa: PLC0415

    server = HttpServerThread(app, "127.0.0.1", 0)
    server.start()
    try:
        url = f"http://127.0.0.1:{server.bound_port}/webhooks/helius"
        command = [
            sys.executable,
            "-m",
            "walltrack.bench._ingest_load",
            url,
            str(templates),
            "--batch",
            str(batch),
            "--round-tag",
            str(round_tag),
            "--duration-s",
            str(duration_s),
            "--connections",
            str(CONNECTIONS),
            "--warmup",
            str(WARMUP_REQUESTS),
            "--max-requests",
            str(MAX_REQUESTS),
        ]
        before = resource.getrusage(resource.RUSAGE_SELF)
        done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            command,
            input=SECRET + "\n",
            capture_output=True,
            text=True,
            timeout=duration_s + 120,
            check=False,
        )
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        server.stop()
    if done.returncode != 0:
        msg = f"the load generator failed: {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["errors"]:
        msg = f"{report['errors']} requests were not answered 200"
        raise RuntimeError(msg)
    requests = int(report["requests"])
    cpu_s = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    handled = int(report["transactions_sent"])
    return LoadResult(requests, requests * batch, float(report["elapsed_s"]), cpu_s, handled)


def _check_every_swap_routed(counted: Counted, result: LoadResult, batch: int) -> None:
    """Each transaction is a tracked wallet's swap: each reached its wallet actor once."""
    sent = result.events + WARMUP_REQUESTS * batch
    if not counted.wait_for(sent, timeout=60) or counted.count != sent:
        msg = f"{counted.count} swaps reached the wallet actors for {sent} transactions"
        raise RuntimeError(msg)


def measure_ingest(rounds: int = ROUNDS, duration_s: float = ROUND_S) -> dict[str, float]:
    """`ingest_events_per_s`, `bare_aiohttp_events_per_s`, `ingest_ratio`,
    `ingest_batched_events_per_s`, the single-POST figure through the ingress actor
    (`ingest_via_actors_*`), and the server's CPU per event (`*_cpu_us_per_event`), over
    `rounds` interleaved rounds.

    Each round measures bare, ingest and ingest-through-actors back to back (in a rotating
    order, so a drift in the machine's load favours none); the reported pair is the round
    with the median ratio, so the two figures and their ratio come from the same moment.
    The other figures are medians of their rounds. The CPU ratio (bare CPU per event over
    ingest CPU per event) is what the throughput ratio would be were the server alone on
    its core: a check of the latter on a machine others are loading.
    """
    seen: list[dict[str, LoadResult]] = []
    batched: list[float] = []
    with tempfile.TemporaryDirectory(prefix="walltrack-ingest-") as directory:
        templates = Path(directory) / "transactions.json"
        tracked = _write_templates(templates)
        kinds = ("bare", "ingest", "actors")
        for index in range(rounds):
            tag = index * 4
            order = kinds[index % 3 :] + kinds[: index % 3]
            single: dict[str, LoadResult] = {}
            for offset, kind in enumerate(order, start=1):
                single[kind] = _measure(
                    kind,
                    1,
                    tracked=tracked,
                    templates=templates,
                    tag=tag + offset,
                    duration_s=duration_s,
                )
            seen.append(single)
            batch = _measure(
                "ingest",
                BATCH,
                tracked=tracked,
                templates=templates,
                tag=tag + 4,
                duration_s=duration_s,
            )
            batched.append(batch.events_per_s)

    def rate(r: dict[str, LoadResult], kind: str) -> float:
        return r[kind].events_per_s

    def cpu(r: dict[str, LoadResult], kind: str) -> float:
        return r[kind].cpu_us_per_event

    seen.sort(key=lambda r: rate(r, "ingest") / rate(r, "bare"))
    median = seen[len(seen) // 2]
    return {
        "ingest_events_per_s": round(rate(median, "ingest"), 1),
        "bare_aiohttp_events_per_s": round(rate(median, "bare"), 1),
        "ingest_ratio": round(rate(median, "ingest") / rate(median, "bare"), 3),
        "ingest_batched_events_per_s": round(statistics.median(batched), 1),
        "ingest_via_actors_events_per_s": round(
            statistics.median(rate(r, "actors") for r in seen), 1
        ),
        "ingest_via_actors_ratio": round(
            statistics.median(rate(r, "actors") / rate(r, "bare") for r in seen), 3
        ),
        "ingest_cpu_us_per_event": round(statistics.median(cpu(r, "ingest") for r in seen), 1),
        "bare_cpu_us_per_event": round(statistics.median(cpu(r, "bare") for r in seen), 1),
        "ingest_via_actors_cpu_us_per_event": round(
            statistics.median(cpu(r, "actors") for r in seen), 1
        ),
        "ingest_cpu_ratio": round(
            statistics.median(cpu(r, "bare") / cpu(r, "ingest") for r in seen), 3
        ),
    }


def _write_templates(path: Path) -> frozenset[str]:
    """Write the simulated transactions for the load generator; their fee payers.

    The transactions (and the simulated world behind them) are dropped before anything is
    measured: the server process must not carry the harness's heap into its collections.
    """
    txs = sim_transactions()
    path.write_text(json.dumps(txs))
    tracked = frozenset(tx["feePayer"] for tx in txs)
    del txs
    gc.collect()
    return tracked


def _measure(
    kind: str, batch: int, *, tracked: frozenset[str], templates: Path, tag: int, duration_s: float
) -> LoadResult:
    """One round against the bare app, the ingest app, or the ingest app with actors."""
    if kind == "bare":
        return _run_round(_bare_app(), templates, batch, tag, duration_s)
    app, runtime, counted = _ingest_app(tracked, through_actors=kind == "actors")
    try:
        result = _run_round(app, templates, batch, tag, duration_s)
        _check_every_swap_routed(counted, result, batch)
    finally:
        if runtime is not None:
            runtime.shutdown(timeout=60)
    return result


if __name__ == "__main__":
    print(json.dumps(measure_ingest(), indent=2))  # noqa: T201 - manual runs
