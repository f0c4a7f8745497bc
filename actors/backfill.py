"""BackfillActor: a job that recovers swaps the webhooks missed and hands them to ingress.

Why a job actor and not part of the ingress: a poll walks every active tracked wallet over
RPC and can take seconds; the ingress must keep routing webhook swaps meanwhile. The poll
runs on the loop the venue clients live on (or a private one), the actor's thread waits
for it with a timeout, and the recovered swaps go to the ingress as `SwapObserved` exactly
like webhook ones, where duplicates of delivered swaps are dropped by signature. The
poller's progress (newest signature per wallet) is snapshotted, so a restart resumes
without replaying history or leaving a gap.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from typing import Any

from actors.names import INGRESS
from actors.pipeline_messages import GetStats, RunBackfill
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.loops import tell_every, wait_on_loop
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.swap_types import Swap
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger
from walltrack.pipeline_ports import RecentSwaps

_log = get_logger("backfill")


class BackfillActor(SupervisedActor):
    """On each `RunBackfill` (a timer or a request), poll once and forward what was missed."""

    snapshot_kind = "backfill"

    def __init__(
        self,
        context: ActorContext,
        source: RecentSwaps,
        wallets: Callable[[], Iterable[str]],
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        every_s: float | None = 30.0,
        timeout_s: float = 120.0,
        ingress: str = INGRESS,
    ) -> None:
        super().__init__(context)
        self._source = source
        self._wallets = wallets
        self._loop = loop
        self._every_s = every_s
        self._timeout_s = timeout_s
        self._ingress = ingress
        self._timer_stop = threading.Event()
        self.stats = {"polls": 0, "recovered": 0, "failed_polls": 0}

    def started(self) -> None:
        if self._every_s:
            threading.Thread(target=self._tick, name=f"{self.name}-timer", daemon=True).start()

    def on_stop(self) -> None:
        self._timer_stop.set()
        super().on_stop()

    def snapshot_state(self) -> dict[str, Any]:
        return {"progress": self._source.progress()}

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self._source.resume(dict(state["progress"]))

    def handle(self, message: Any) -> Any:
        match message:
            case RunBackfill():
                return self._poll()
            case GetStats():
                return dict(self.stats)
        return None

    def _poll(self) -> int:
        wallets = list(dict.fromkeys(self._wallets()))
        try:
            swaps = self._run(self._source.recover(wallets))
        except (UpstreamError, TimeoutError) as error:
            self.stats["failed_polls"] += 1
            _log.warning("backfill_failed", error=type(error).__name__)
            return 0
        now = self.context.clock.now()
        for swap in swaps:
            self.tell(
                self._ingress,
                SwapObserved(
                    correlation_id=random_uuid(),
                    ts_event=swap.timestamp,
                    ts_init=now,
                    wallet=swap.wallet,
                    swap=swap,
                    signature=swap.signature,
                    received_at=now,
                ),
            )
        self.stats["polls"] += 1
        self.stats["recovered"] += len(swaps)
        self.mark_dirty()
        return len(swaps)

    def _run(self, work: Coroutine[Any, Any, Sequence[Swap]]) -> Sequence[Swap]:
        return wait_on_loop(work, self._loop, self._timeout_s)

    def _tick(self) -> None:
        interval = self._every_s or 30.0
        tell_every(self.actor_ref, RunBackfill, lambda: interval, self._timer_stop)
