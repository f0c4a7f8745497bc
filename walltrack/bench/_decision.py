"""Decision latency for `walltrack bench pipeline`: webhook received -> order submitted.

The whole process as `walltrack run` builds it (supervisors.pipeline_wiring): embedded
PostgreSQL and graph servers in a fresh directory, the circuit breaker, the trading
subtree in paper mode, the signal path, and the Helius receiver on loopback; the venues
are the simulator's (DexScreener for token facts, Jupiter for the paper fills).

A load generator in a separate process posts real-shaped swaps rendered by the simulated
market: a background of its latest swaps by their own wallets, all tracked but without a
record (each one recorded, classified, routed to its wallet actor, scored and skipped,
as Helius only delivers transactions of tracked addresses) at a steady 500 events/s, then
(after 10 s, the wallets it touches being active) probes: one buy per token the
background has traded by then, each by a watchlisted wallet with a strong record, which
is traded.
The watchlist is resident, as the ingress keeps it (its actors run before their first
swap); the background's wallets are virtual, each activated by its first swap.
At 500 events/s the probes of four fresh runs are pooled (TARGET_RUNS). The same again
at 50 events/s, once, gives `decision_light_*`.

Per probe, latency = the instant the entry order is heard submitted minus the webhook
event's `received_at` (stamped by the receiver on arrival, read back from PostgreSQL).
The position actor publishes `OrderSubmitted` as it hands the attempt to the execution
worker, after every write of the entry path (the signal, the position, the order and the
attempt's journal, in one statement); a listener actor in the same process
stamps the instant it hears it, on the same clock, one bus hop later.

Said plainly: the paper venue's modelled latency (3 s by default, before an attempt
runs) is set to zero here, so an entry is submitted in the message that decides it, as
in live mode; the venue's own time is not in the figure.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SIM_SEED = 11
WARMUP_S = 1800.0
PROBES = 60
"""At most: one per token the market traded lately (a position per token)."""
MIN_PROBES = 10
PROBE_EVERY_S = 0.1
WARMUP_LOAD_S = 10.0
"""Background alone first: the wallets it touches are active, as in a steady state."""
BACKGROUND_RATE = 500.0
LIGHT_RATE = 50.0
TARGET_RUNS = 4
"""Runs pooled at the target rate: one gives 15 probes (one per token being traded), whose
"p99" is simply the slowest, so one hiccup of a shared machine decided the figure. Four
give 60, whose p99 (nearest rank) is the second slowest; the slowest is reported too."""
BACKGROUND_TXS = 3_000
CONNECTIONS = 8
SETTLE_S = 120.0
PAPER_BALANCE_LAMPORTS = 100_000 * 10**9
_PARAMS = {
    # Room for every probe's position: the limits are not what is measured here.
    "sizing.max_concurrent_positions": 100_000,
    "sizing.max_cluster_positions": 100_000,
    "sizing.base_fraction": 0.0001,
    # The wallet's record decides (every factor is still computed and stored): the probes'
    # strong records trade, the background's missing ones are scored and skipped.
    "scoring.weights": {"wallet": 0.85, "cluster": 0.05, "token": 0.05, "context": 0.05},
    "scoring.threshold": 0.6,
}
_RECEIVED = """
SELECT p.position_id::text AS position_id, w.received_at
FROM webhook_events w
JOIN signals s ON s.tx_signature = w.signature
JOIN positions p ON p.signal_id = s.signal_id
WHERE w.signature = ANY(%(signatures)s)
"""
_SCORED = """
SELECT count(*) AS scored, count(*) FILTER (WHERE decision = 'trade') AS traded FROM signals
WHERE tx_signature = ANY(%(signatures)s)
"""


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """Latencies of the probes that were traded, and what the run did."""

    latencies_ms: list[float]
    probes: int
    traded: int
    background_events: int
    background_refused: int
    """Background deliveries answered other than 200 (Helius would retry them)."""
    backlog: tuple[str, int]
    """The deepest mailbox seen while loaded, and its depth."""


def probe_wallet(index: int) -> str:
    """A distinct, valid address (a public key) for probe wallet `index`."""
    from solders.pubkey import Pubkey  # noqa: PLC0415

    return str(Pubkey(hashlib.sha256(f"walltrack-probe-{index}".encode()).digest()))


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def measure_decision(
    probes: int = PROBES,
    probe_every_s: float = PROBE_EVERY_S,
    rates: tuple[float, float] = (BACKGROUND_RATE, LIGHT_RATE),
    runs: tuple[int, int] = (TARGET_RUNS, 1),
) -> dict[str, float | int]:
    """`decision_p50_ms`/`decision_p99_ms` under the target background rate (the probes of
    `runs[0]` fresh runs pooled), and the same under a light one (`decision_light_*`: the
    path's own latency, without queueing)."""
    figures: dict[str, float | int] = {}
    for prefix, rate, count in (
        ("decision", rates[0], runs[0]),
        ("decision_light", rates[1], runs[1]),
    ):
        results = [run_decision(probes, probe_every_s, background_rate=rate) for _ in range(count)]
        figures |= pooled_figures(prefix, rate, results)
    return figures


def pooled_figures(prefix: str, rate: float, results: list[DecisionResult]) -> dict[str, float]:
    """The figures of `results` (runs at `rate`), their probes pooled."""
    if not results or not all(result.latencies_ms for result in results):
        traded = ", ".join(f"{r.traded} of {r.probes}" for r in results)
        msg = f"a run traded no probe (scored to trade: {traded or 'no run'})"
        raise RuntimeError(msg)
    latencies = [latency for result in results for latency in result.latencies_ms]
    return {
        f"{prefix}_p50_ms": round(statistics.median(latencies), 2),
        f"{prefix}_p99_ms": round(_percentile(latencies, 99), 2),
        f"{prefix}_max_ms": round(max(latencies), 2),
        f"{prefix}_samples": len(latencies),
        f"{prefix}_runs": len(results),
        f"{prefix}_background_per_s": rate,
        f"{prefix}_background_refused": sum(r.background_refused for r in results),
        f"{prefix}_max_mailbox_depth": max(r.backlog[1] for r in results),
    }


def run_decision(
    probes: int = PROBES,
    probe_every_s: float = PROBE_EVERY_S,
    background_rate: float = BACKGROUND_RATE,
) -> DecisionResult:
    """Start the world and the process, load it, read the probes' latencies back."""
    from walltrack.bench._decision_process import BenchProcess  # noqa: PLC0415
    from walltrack.sim.harness import SimConfig  # noqa: PLC0415
    from walltrack.sim.thread import SimulationThread  # noqa: PLC0415

    secret = secrets.token_urlsafe(24)
    with (
        tempfile.TemporaryDirectory(prefix="walltrack-decision-") as directory,
        SimulationThread(SimConfig(seed=SIM_SEED, speed=1.0, warmup_s=WARMUP_S)) as sim,
    ):
        work = Path(directory)
        warmed = max(1, int(background_rate * WARMUP_LOAD_S / 2))
        background, background_wallets, mints = _background(sim, work / "background.json", warmed)
        probe_txs = _probes(sim, probes, mints, work / "probes.json")
        with BenchProcess(sim, work / "data", secret, PAPER_BALANCE_LAMPORTS) as process:
            process.set_params(_PARAMS)
            process.watch(probe_wallets=[probe_wallet(i) for i in range(len(probe_txs))])
            process.track(background_wallets)
            duration_s = WARMUP_LOAD_S + (len(probe_txs) + 2) * probe_every_s
            sampler = _MailboxSampler(process)
            sampler.start()
            report = _load(
                process.webhook_url,
                secret,
                background,
                work / "probes.json",
                rate=background_rate,
                duration_s=duration_s,
                probe_every_s=probe_every_s,
            )
            sampler.stop()
            signatures = [str(tx["signature"]) for tx in probe_txs]
            latencies, traded = _read_back(process, signatures)
    return DecisionResult(
        latencies_ms=latencies,
        probes=len(probe_txs),
        traded=traded,
        background_events=int(report["requests"]),
        background_refused=int(report["errors"]),
        backlog=sampler.worst,
    )


class _MailboxSampler:
    """Samples mailbox depths every 0.25 s during the load: where a backlog builds."""

    def __init__(self, process: Any) -> None:
        self._process = process
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)
        self.worst: tuple[str, int] = ("", 0)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            for name, depth in self._process.deepest_mailboxes(top=1):
                if depth > self.worst[1]:
                    self.worst = (name, depth)


def _rendered_swaps(
    sim: Any, count: int, *, buys: bool, mints: frozenset[str] = frozenset()
) -> list[tuple[str, dict[str, Any]]]:
    """The simulated market's latest `count` swaps, or its latest buy of `count` of `mints`.

    One buy per token for the probes: a position per token is the sizing rule, so a
    second probe on a held token would be skipped, not timed. Only tokens the background
    trades: a token being traded has its facts in the scorer's cache, as in a steady
    state (a token never seen costs a venue call of up to 1.5 s, which is not the
    decision path being measured).
    """
    from walltrack.sim.enhanced_tx import EnhancedRenderer  # noqa: PLC0415
    from walltrack.sim.events import SwapEvent  # noqa: PLC0415

    def latest(simulation: Any) -> list[tuple[str, dict[str, Any]]]:
        market = simulation.world.market
        render = EnhancedRenderer(market).render
        swaps = [e for e in market.events_since(0) if type(e) is SwapEvent]
        if buys:
            newest_per_mint = {e.mint: e for e in swaps if e.is_buy and e.mint in mints}
            swaps = sorted(newest_per_mint.values(), key=lambda e: e.seq)
        return [(e.wallet, render(e)) for e in swaps[-count:]]

    rendered: list[tuple[str, dict[str, Any]]] = sim.call(latest)
    if len(rendered) < (MIN_PROBES if buys else count):
        msg = f"the simulated market made {len(rendered)} usable swaps, {count} wanted"
        raise RuntimeError(msg)
    return rendered


def _background(sim: Any, path: Path, warmed: int) -> tuple[Path, list[str], frozenset[str]]:
    """The market's own latest swaps, by their own wallets: tracked, with no record.

    Returns the file, the wallets and the tokens bought by its first `warmed` swaps: those
    posted well before the probes (the load replays the file in order), so the scorer has
    fetched their facts when a probe comes (it fetches them for a buy). At 50 events/s a
    quarter of the probes otherwise found their token not seen yet and waited for it.
    """
    from walltrack.domain.swap_types import WSOL_MINT  # noqa: PLC0415

    rendered = _rendered_swaps(sim, BACKGROUND_TXS, buys=False)
    txs = [tx for _, tx in rendered]
    path.write_text(json.dumps(txs))
    mints = frozenset(
        str(transfer["mint"])
        for tx in txs[:warmed]
        for transfer in tx.get("tokenTransfers") or ()
        if transfer.get("toUserAccount") == tx.get("feePayer") and transfer["mint"] != WSOL_MINT
    )
    return path, sorted({wallet for wallet, _ in rendered}), mints


def _probes(sim: Any, count: int, mints: frozenset[str], path: Path) -> list[dict[str, Any]]:
    """The market's latest buys of `mints`, each made by a probe wallet, not its buyer."""
    rendered = _rendered_swaps(sim, count, buys=True, mints=mints)
    txs = [
        json.loads(json.dumps(tx).replace(buyer, probe_wallet(index)))
        for index, (buyer, tx) in enumerate(rendered)
    ]
    path.write_text(json.dumps(txs))
    return txs


def _load(
    url: str,
    secret: str,
    background: Path,
    probes: Path,
    *,
    rate: float,
    duration_s: float,
    probe_every_s: float,
) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "walltrack.bench._ingest_load", url, str(background),
        "--rate", str(rate), "--duration-s", str(duration_s),
        "--connections", str(CONNECTIONS), "--round-tag", "77",
        "--probes", str(probes), "--probe-every-s", str(probe_every_s),
        "--probe-delay-s", str(WARMUP_LOAD_S),
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        command,
        input=secret + "\n",
        capture_output=True,
        text=True,
        timeout=duration_s + 120,
        check=False,
    )
    if done.returncode != 0:
        msg = f"the load generator failed: {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if report["probe_errors"]:
        msg = f"{report['probe_errors']} probes were not answered 200: {report}"
        raise RuntimeError(msg)
    return report


def _read_back(process: Any, signatures: list[str]) -> tuple[list[float], int]:
    """Wait until every probe is scored and every traded one has its entry submitted (or
    the position actor skipped it); the latencies in ms and how many were traded."""
    deadline = time.monotonic() + SETTLE_S
    params = {"signatures": signatures}
    while True:
        counts = process.query(_SCORED, params)[0]
        traded = int(counts["traded"])
        submitted = process.entries_submitted()
        latencies = [
            (submitted[row["position_id"]] - row["received_at"]).total_seconds() * 1000
            for row in process.query(_RECEIVED, params)
            if row["position_id"] in submitted
        ]
        skipped = sum(process.entries_skipped().values())
        settled = int(counts["scored"]) == len(signatures) and len(latencies) + skipped >= traded
        if settled or time.monotonic() > deadline:
            return latencies, traded
        time.sleep(0.2)  # a bench waiting on a database, not a test synchronising
