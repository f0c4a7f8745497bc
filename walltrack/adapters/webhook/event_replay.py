"""Which recorded webhook events reached the tree, and the replay of those that did not.

Why: the receiver records an element before it hands its swaps on, so a crash between the
two leaves a row whose swaps never reached an actor, and Helius' retry of it is a duplicate.
Rows are marked processed once handed on (in batches, off the request path: one UPDATE per
half second instead of one per event); at start-up every row still unmarked is classified
again and handed on. Downstream deduplicates on the signature, so a replayed swap that did
get through before the crash is dropped there, never traded twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

import structlog

from walltrack.adapters.webhook.tracked_swaps import tracked_swaps
from walltrack.domain.records import WebhookEventRecord
from walltrack.errors import StoreUnavailableError
from walltrack.ports import Clock, SwapSink, TrackedWallets

_log = structlog.get_logger(__name__)

REPLAY_BATCH = 500


class ProcessingLog(Protocol):
    """The part of the webhook event repository that tracks processing."""

    def mark_many_processed(self, signatures: Sequence[str], at: datetime) -> None:
        """Mark `signatures` processed at `at`."""
        ...

    def unprocessed(self, *, limit: int = REPLAY_BATCH) -> list[WebhookEventRecord]:
        """Recorded, not yet processed events, oldest first."""
        ...


class ProcessedMarker:
    """`marker(signatures)` returns at once; a thread writes the marks in batches.

    While PostgreSQL is away the marks wait (an unmarked row is only replayed, never lost).
    """

    def __init__(
        self, log: Callable[[], ProcessingLog], clock: Clock, *, every_s: float = 0.5
    ) -> None:
        self._log = log
        self._clock = clock
        self._every_s = every_s
        self._pending: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-marks", daemon=True)

    def __call__(self, signatures: Sequence[str]) -> None:
        with self._lock:
            self._pending.extend(signatures)

    def start(self) -> None:
        """Begin writing marks in the background."""
        self._thread.start()

    def flush(self) -> int:
        """Write every pending mark now; how many were written (0 if the store is away)."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return 0
        try:
            self._log().mark_many_processed(batch, self._clock.now())
        except StoreUnavailableError:
            with self._lock:
                self._pending[:0] = batch
            return 0
        return len(batch)

    def close(self) -> None:
        """Stop the thread after a last flush."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self._every_s):
            try:
                self.flush()
            except Exception as error:  # a bug must not kill the thread silently
                _log.error("webhook_marks_failed", error=f"{type(error).__name__}: {error}")


def replay_unprocessed(
    log: ProcessingLog, tracked: TrackedWallets, sink: SwapSink, clock: Clock
) -> int:
    """Hand on the swaps of every recorded, unprocessed event; how many events were replayed.

    Call once the tree is up (the ingress routes what it is told) and before the webhook
    marks anything else, so each batch read is new.
    """
    replayed = 0
    while True:
        rows = log.unprocessed(limit=REPLAY_BATCH)
        for row in rows:
            if not isinstance(row.payload, dict):  # the receiver records objects only
                continue
            for message in tracked_swaps(row.payload, tracked, row.received_at, _ignore):
                sink.submit(message)
        if rows:
            log.mark_many_processed([row.signature for row in rows], clock.now())
            replayed += len(rows)
        if len(rows) < REPLAY_BATCH:
            break
    if replayed:
        _log.info("webhook_events_replayed", events=replayed)
    return replayed


def _ignore(_reason: str) -> None:
    """Replay does not count non-swaps again (the receiver counted them)."""
