"""ClusterRebuildActor: the `clusters rebuild` job on a schedule and on request.

Why a thin job actor: the rebuild itself is plain code (adapters/intel/cluster_rebuild.py,
shared with the CLI and the evaluation). The actor only decides when it runs (its timer or
a `RunClusterRebuild`), walks the network on the venue loop with a timeout, recomputes the
clusters on its own thread, and tells the ClusterActor to reload them, so the scorer's
cluster context follows every rebuild.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from actors.job_schedule import NextRun, ReportSchedule, announce_next_run
from actors.names import CLUSTER
from actors.pipeline_messages import GetStats, ReloadClusters
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.loops import tell_every, wait_on_loop
from walltrack.adapters.intel.cluster_history import ClusterHistory
from walltrack.adapters.intel.cluster_rebuild import ClusterRebuild
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger

_log = get_logger("cluster_rebuild")

INTEL_CLUSTERS = "intel_clusters"


@dataclass(frozen=True, slots=True)
class RunClusterRebuild:
    """Rebuild now; `collect=False` only recomputes from what the graph already holds."""

    collect: bool = True


class ClusterRebuildActor(SupervisedActor):
    """Runs the rebuild, then has the ClusterActor reload the clusters it wrote."""

    def __init__(
        self,
        context: ActorContext,
        rebuild: ClusterRebuild,
        seeds: Callable[[], Iterable[str]],
        *,
        history: ClusterHistory | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        every_s: float | None = 4 * 3600.0,
        timeout_s: float = 600.0,
        cluster: str = CLUSTER,
    ) -> None:
        super().__init__(context)
        self._rebuild = rebuild
        self._seeds = seeds
        self._history = history
        self._loop = loop
        self._every_s = every_s
        self._timeout_s = timeout_s
        self._cluster = cluster
        self._timer_stop = threading.Event()
        self.stats: dict[str, int] = {"runs": 0, "failed_runs": 0, "clusters": 0}
        self.next_run: NextRun | None = None

    def started(self) -> None:
        if self._every_s:
            threading.Thread(target=self._tick, name=f"{self.name}-timer", daemon=True).start()

    def on_stop(self) -> None:
        self._timer_stop.set()
        super().on_stop()

    def handle(self, message: Any) -> Any:
        match message:
            case RunClusterRebuild(collect=collect):
                return self._run(collect=collect)
            case GetStats():
                return dict(self.stats)
            case NextRun():
                self.next_run = message
                self.publish(message.event(self.name, self.context.clock))
            case ReportSchedule() if self.next_run is not None:
                self.publish(self.next_run.event(self.name, self.context.clock))
        return None

    def _run(self, *, collect: bool) -> dict[str, object] | None:
        started = self.context.clock.monotonic()
        try:
            if collect and self._history is not None:
                self._collect(self._history, list(dict.fromkeys(self._seeds())))
            report = self._rebuild.recompute(collect_s=self.context.clock.monotonic() - started)
        except (UpstreamError, TimeoutError) as error:
            self.stats["failed_runs"] += 1
            _log.warning("cluster_rebuild_failed", error=type(error).__name__)
            return None
        self.stats["runs"] += 1
        self.stats["clusters"] = len(report.clusters)
        self.tell(self._cluster, ReloadClusters())
        summary = report.as_dict()
        _log.info("clusters_rebuilt", **summary)
        return summary

    def _collect(self, history: ClusterHistory, seeds: list[str]) -> None:
        wait_on_loop(self._rebuild.collect(history, seeds), self._loop, self._timeout_s)

    def _tick(self) -> None:
        every = self._every_s or 3600.0

        def interval() -> float:
            announce_next_run(
                self.actor_ref, self.context.clock, every
            )  # the status bar's "next run"
            return every

        tell_every(self.actor_ref, RunClusterRebuild, interval, self._timer_stop)
