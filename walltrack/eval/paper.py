"""Paper PnL of following a watchlist: `walltrack demo`'s run with the wallets chosen here.

Why the demo's own parts: `paper_pnl_sol` is defined as what the demo makes following the
discovered watchlist and `oracle_pnl_sol` as the same run following the true smart
wallets. Both runs rebuild the same seeded world (same history up to the warmup, the
same market after it), run the whole paper pipeline for the same simulated time, and read
the realised PnL of the positions closed from the tables.
"""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from actors.names import INGRESS
from actors.pipeline_messages import TrackWallets
from supervisors.pipeline_wiring import PipelineOptions, PipelineWiring
from supervisors.runtime import TreeRuntime
from walltrack.adapters.postgres.run_summary import RunSummary, summarise_run
from walltrack.commands._demo_world import (
    DEMO_THRESHOLD,
    apply_demo_threshold,
    demo_settings,
    seed_watchlist,
    start_world,
)
from walltrack.commands._pipeline import pipeline_parts
from walltrack.commands._process import run_with_stores
from walltrack.config import load_settings

LAMPORTS_PER_SOL = Decimal(1_000_000_000)
SKIP_REASONS = """
SELECT coalesce(skip_reason, 'traded') AS reason, count(*) AS n, avg(score) AS mean_score
FROM signals WHERE observed_at >= %(since)s GROUP BY 1 ORDER BY 2 DESC
"""
TRACK_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def paper_run(
    seed: int,
    wallets: Sequence[str],
    *,
    warmup_s: float,
    duration_s: float,
    speed: float,
    reasons: dict[str, tuple[int, float]] | None = None,
) -> RunSummary | None:
    """Run the paper pipeline on `seed`'s world following `wallets`; its summary.

    `reasons`, when given, receives the signals' decisions (skip reasons and "traded"),
    each with its count and mean score.
    """
    reasons = {} if reasons is None else reasons
    with tempfile.TemporaryDirectory(prefix="walltrack-eval-paper-") as scratch:
        base = load_settings({}).model_copy(
            update={
                "data_dir": Path(scratch),
                "webhook_port": _free_port(),
                "dashboard_port": _free_port(),
            }
        )
        sim = start_world(seed, speed, warmup_s)
        try:
            settings = demo_settings(base, sim)
            clock = sim.simulation.clock
            began = clock.now()
            wired: list[PipelineWiring] = []
            summaries: list[RunSummary] = []

            def on_ready(runtime: TreeRuntime, http_base: str) -> Callable[[], None]:
                handles = wired[0].plan.handles
                apply_demo_threshold(handles.postgres(), DEMO_THRESHOLD)
                seed_watchlist(
                    settings,
                    handles.postgres(),
                    list(wallets),
                    params=handles.params(),
                    now=clock.now(),
                    http_base=http_base,
                )
                runtime.registry.ask(INGRESS, TrackWallets(tuple(wallets)), timeout=TRACK_TIMEOUT_S)

                def summary() -> None:
                    db = handles.postgres().db
                    summaries.append(summarise_run(db, began))
                    rows = db.read(lambda c: c.execute(SKIP_REASONS, {"since": began}).fetchall())
                    reasons.update(
                        {str(r["reason"]): (int(r["n"]), float(r["mean_score"])) for r in rows}
                    )

                return summary

            run_with_stores(
                settings,
                title=f"eval paper run: {len(wallets)} wallets",
                after_stores=pipeline_parts(
                    settings,
                    PipelineOptions(pace_s=max(0.05, min(2.0, 15.0 / speed)), rate_scale=speed),
                    on_wired=wired.append,
                ),
                duration_s=duration_s,
                on_ready=on_ready,
                clock=clock,
            )
        finally:
            sim.stop()
    return summaries[0] if summaries else None


def paper_pnl_sol(summary: RunSummary | None) -> float:
    """Realised PnL in SOL (a float only for the report; the sum was taken in lamports)."""
    if summary is None:
        return 0.0
    return float(Decimal(summary.realised_pnl_lamports) / LAMPORTS_PER_SOL)
