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
kept), so PostgreSQL's round trip is not in the figure, but the thread hop that the real
store costs is; the sink counts messages instead of telling the ingress actor. Every
transaction is a real-shaped swap rendered by the simulator (about 4.3 KB each), each POST
under signatures never seen before, with every fee payer tracked, so each one is
classified and handed on (checked after every round).
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    @property
    def events_per_s(self) -> float:
        """Events (transactions) per second of the timed window."""
        return self.events / self.elapsed_s if self.elapsed_s > 0 else 0.0


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


class _CountingSink:
    """A SwapSink that only counts (the ingress actor is not part of this figure)."""

    def __init__(self) -> None:
        self.count = 0

    def submit(self, message: object) -> None:
        self.count += 1


def _ingest_app(tracked: frozenset[str]) -> tuple[Any, _CountingSink]:
    from walltrack.adapters.webhook.control_api import make_app  # noqa: PLC0415
    from walltrack.adapters.webhook.helius_receiver import WebhookDependencies  # noqa: PLC0415
    from walltrack.adapters.webhook.memory_event_store import (  # noqa: PLC0415
        InMemoryWebhookEventStore,
    )
    from walltrack.clock import LiveClock  # noqa: PLC0415

    sink = _CountingSink()
    deps = WebhookDependencies(
        authorization=SECRET,
        store=InMemoryWebhookEventStore(keep_payloads=False),
        tracked=tracked,
        sink=sink,
    )
    return make_app(_NoTree(), LiveClock(), "bench-control-token", webhook=deps), sink


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
            sys.executable, "-m", "walltrack.bench._ingest_load", url, str(templates),
            "--batch", str(batch), "--round-tag", str(round_tag),
            "--duration-s", str(duration_s), "--connections", str(CONNECTIONS),
            "--warmup", str(WARMUP_REQUESTS), "--max-requests", str(MAX_REQUESTS),
        ]  # fmt: skip
        done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            command,
            input=SECRET + "\n",
            capture_output=True,
            text=True,
            timeout=duration_s + 120,
            check=False,
        )
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
    return LoadResult(requests, requests * batch, float(report["elapsed_s"]))


def _check_every_swap_handed_on(sink: _CountingSink, result: LoadResult, batch: int) -> None:
    """Each transaction is a tracked wallet's swap: the sink saw each exactly once."""
    sent = result.events + WARMUP_REQUESTS * batch
    if sink.count != sent:
        msg = f"{sink.count} swaps handed on for {sent} transactions"
        raise RuntimeError(msg)


def measure_ingest(rounds: int = ROUNDS, duration_s: float = ROUND_S) -> dict[str, float]:
    """`ingest_events_per_s`, `bare_aiohttp_events_per_s`, `ingest_ratio`,
    `ingest_batched_events_per_s` over `rounds` interleaved rounds.

    Each round measures bare and ingest back to back (in alternating order, so a drift in
    the machine's load favours neither); the reported pair is the round with the median
    ratio, so the two figures and their ratio come from the same moment. The batched
    figure is the median of its rounds.
    """
    pairs: list[tuple[float, float]] = []
    batched: list[float] = []
    with tempfile.TemporaryDirectory(prefix="walltrack-ingest-") as directory:
        templates = Path(directory) / "transactions.json"
        tracked = _write_templates(templates)
        for index in range(rounds):
            tag = index * 3
            order = ("bare", "ingest") if index % 2 == 0 else ("ingest", "bare")
            single: dict[str, float] = {}
            for offset, kind in enumerate(order, start=1):
                single[kind] = _measure(
                    kind,
                    1,
                    tracked=tracked,
                    templates=templates,
                    tag=tag + offset,
                    duration_s=duration_s,
                )
            pairs.append((single["ingest"], single["bare"]))
            batched.append(
                _measure(
                    "ingest",
                    BATCH,
                    tracked=tracked,
                    templates=templates,
                    tag=tag + 3,
                    duration_s=duration_s,
                )
            )
    pairs.sort(key=lambda pair: pair[0] / pair[1])
    ingest, bare = pairs[len(pairs) // 2]
    return {
        "ingest_events_per_s": round(ingest, 1),
        "bare_aiohttp_events_per_s": round(bare, 1),
        "ingest_ratio": round(ingest / bare, 3),
        "ingest_batched_events_per_s": round(statistics.median(batched), 1),
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
) -> float:
    """Events per second of one round against the bare or the ingest app."""
    if kind == "bare":
        return _run_round(_bare_app(), templates, batch, tag, duration_s).events_per_s
    app, sink = _ingest_app(tracked)
    result = _run_round(app, templates, batch, tag, duration_s)
    _check_every_swap_handed_on(sink, result, batch)
    return result.events_per_s


if __name__ == "__main__":
    print(json.dumps(measure_ingest(), indent=2))  # noqa: T201 - manual runs
