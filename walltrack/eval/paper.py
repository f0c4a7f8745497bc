"""Paper PnL of following a watchlist: `walltrack demo`'s run with the wallets chosen here.

Why the demo's own parts: `paper_pnl_sol` is defined as what the demo makes following the
discovered watchlist and `oracle_pnl_sol` as the same run following the true smart
wallets. Both runs rebuild the same seeded world (same history up to the warmup, the
same market after it) and run the whole paper pipeline for the same simulated time.

What a run made: its realised PnL (closed positions, and the sales of still-open ones
less the cost of what they sold) plus what the tokens still held would fetch if sold at
the end, through the paper executor's own fill model (walltrack/eval/liquidation.py),
less their cost. Why the end value counts: a run is an hour of market time, the default
strategy holds for up to a week, and the five-position limit fills early, so realised PnL
alone is decided by which one or two positions happened to close before the end; valuing
what is left the same way for both runs compares what following each set of wallets
actually earned. The realised figures stay in the report beside it.
"""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from actors.names import INGRESS
from actors.pipeline_messages import TrackWallets
from supervisors.pipeline_wiring import PipelineOptions, PipelineWiring
from supervisors.runtime import TreeRuntime
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.postgres.run_summary import (
    RunPosition,
    RunSummary,
    run_positions,
    summarise_run,
)
from walltrack.commands._demo_world import (
    DEMO_THRESHOLD,
    apply_demo_threshold,
    demo_settings,
    seed_watchlist,
    start_world,
)
from walltrack.commands._pipeline import pipeline_parts
from walltrack.commands._process import run_with_stores
from walltrack.config import Settings, load_settings
from walltrack.eval.liquidation import Liquidation, liquidate, unrealised_pnl_lamports

LAMPORTS_PER_SOL = Decimal(1_000_000_000)
SKIP_REASONS = """
SELECT coalesce(skip_reason, 'traded') AS reason, count(*) AS n, avg(score) AS mean_score
FROM signals WHERE observed_at >= %(since)s GROUP BY 1 ORDER BY 2 DESC
"""
TRACK_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperResult:
    """One paper run: the tables' summary, its positions, and what the open ones fetch."""

    summary: RunSummary
    positions: tuple[RunPosition, ...] = ()
    liquidation: Liquidation = field(default_factory=lambda: Liquidation(values={}, unpriced=0))

    @property
    def realised_pnl_lamports(self) -> int:
        return self.summary.realised_pnl_lamports

    @property
    def pnl_lamports(self) -> int:
        """Realised plus what the tokens still held would fetch less their cost."""
        return self.realised_pnl_lamports + unrealised_pnl_lamports(
            self.positions, self.liquidation
        )

    def pnl_by_wallet(self) -> dict[str, int]:
        """Each copied wallet's share of `pnl_lamports`."""
        by_wallet: dict[str, int] = {}
        for p in self.positions:
            pnl = p.realised_pnl_lamports
            if p.is_open:
                pnl += self.liquidation.values.get(p.position_id, 0) - p.remaining_cost_lamports
            by_wallet[p.wallet] = by_wallet.get(p.wallet, 0) + pnl
        return by_wallet


def end_of_run(
    settings: Settings, db_summary: RunSummary, positions: list[RunPosition]
) -> PaperResult:
    """The run's result, the open positions sold on paper at the market's current quotes."""
    runner = AsyncRunner("eval-liquidation")
    try:
        jupiter = JupiterClient(base_url=settings.jupiter_base_url)
        sold = liquidate(jupiter, positions, runner)
    finally:
        runner.close()
    return PaperResult(summary=db_summary, positions=tuple(positions), liquidation=sold)


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
) -> PaperResult | None:
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
            summaries: list[PaperResult] = []

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
                watchlist = TrackWallets(tuple(wallets), resident=True)
                runtime.registry.ask(INGRESS, watchlist, timeout=TRACK_TIMEOUT_S)

                def summary() -> None:
                    db = handles.postgres().db
                    figures = summarise_run(db, began)
                    summaries.append(end_of_run(settings, figures, run_positions(db, began)))
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


def sol(lamports: int) -> float:
    """SOL as a float, for the report only (sums are taken in lamports)."""
    return float(Decimal(lamports) / LAMPORTS_PER_SOL)
