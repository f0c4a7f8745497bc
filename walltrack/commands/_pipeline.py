"""The trading pipeline as the process parts `run_with_stores` runs (run and demo share it).

Why a private module: `walltrack run` and `walltrack demo` differ in venues and clock, not
in what the tree is; both call `pipeline_parts` so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from supervisors.pipeline_wiring import PipelineOptions, PipelineWiring, wire_pipeline
from supervisors.services import TreeServices
from supervisors.wiring import StoresPlan
from walltrack.commands._process import AfterStores, ProcessParts
from walltrack.config import Settings
from walltrack.logging import get_logger

_log = get_logger("pipeline")


def pipeline_parts(
    settings: Settings,
    options: PipelineOptions | None = None,
    on_wired: Callable[[PipelineWiring], None] | None = None,
) -> AfterStores:
    """`after_stores` for run_with_stores: the pipeline of `settings` on the plan's stores."""

    def after_stores(services: TreeServices, plan: StoresPlan) -> ProcessParts:
        wiring = wire_pipeline(settings, plan, services, options)
        if on_wired is not None:
            on_wired(wiring)
        webhook = wiring.webhook()
        if webhook is None:
            _log.warning("webhook_disabled", reason="WALLTRACK_HELIUS_WEBHOOK_SECRET is not set")

        def started() -> None:
            replayed = wiring.start()
            print(  # noqa: T201
                f"  pipeline: {settings.mode.value} trading; "
                f"{len(wiring.tracked)} wallets tracked; {replayed} webhook events replayed",
                flush=True,
            )

        return ProcessParts(
            children=wiring.children(),
            routes=wiring.routes,
            webhook=webhook,
            venue_metrics=wiring.metrics,
            on_started=started,
            on_stopping=wiring.stop_accepting,
            on_closed=wiring.close,
        )

    return after_stores
