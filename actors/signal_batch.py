"""The scorer's signals scored but not stored yet: one write for many, off its thread.

Why: every signal is stored, traded or not, and a write per signal would cost a round
trip each (500 a second under load). Signals wait until the batch is full or its oldest
has waited `max_age_s`, then are written by a thread of their own: written on the
scorer's thread, a batch of 64 held every signal behind it for 20-70 ms under load. A
signal to trade does not wait for this write at all: the positions actor stores its row
with the position (actors/scorer.py). Written signals come back as `SignalsWritten`; a
write in flight still counts as unfinished, so a crash requeues it (the store ignores ids
it has).
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from walltrack.domain.messages.signals import SignalScored, WalletSignal
from walltrack.domain.records import SignalRecord

type Entry = tuple[WalletSignal, SignalScored]

BATCH_MAX = 64
"""Signals stored in one transaction at most (bounds the latency a batch adds)."""
BATCH_MAX_AGE_S = 0.25
"""How long a skipped signal waits, at most, for others to share its write."""


@dataclass(frozen=True, slots=True)
class SignalsWritten:
    """The writer's answer for write `write_id`: `failed` names the error, if any."""

    write_id: UUID
    failed: str | None


@dataclass(frozen=True, slots=True)
class StoreSignals:
    """The scorer's reminder: its batch may be due (it was not yet when the mailbox ran
    empty)."""


class SignalBatch:
    """Scored signals waiting for their write, and when the write is due."""

    def __init__(
        self,
        write: Callable[[list[SignalRecord]], None],
        tell_scorer: Callable[[SignalsWritten | StoreSignals], None],
        *,
        arm: Callable[[float], None] | None = None,
        max_size: int = BATCH_MAX,
        max_age_s: float = BATCH_MAX_AGE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._arm = arm or self._remind  # asks for a reminder in that many seconds
        self._write = write  # the store, called on the writer thread
        self._tell = tell_scorer  # from other threads: a write finished, a reminder
        self._pool = concurrent.futures.ThreadPoolExecutor(1, "scorer-signals")
        self.in_flight: list[Entry] = []
        # Unique, not counted: a crashed incarnation's late answer must match nothing.
        self._write_id = uuid4()
        self._future: concurrent.futures.Future[None] | None = None
        self._max_size = max_size
        self._max_age_s = max_age_s
        self._clock = clock
        self.entries: list[Entry] = []
        self._keys: set[str] = set()
        self._oldest: float | None = None
        self._armed = False

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, signal: WalletSignal, scored: SignalScored) -> None:
        if not self.entries:
            self._oldest = self._clock()
        self.entries.append((signal, scored))
        self._keys.add(str(scored.signal_id))

    @property
    def full(self) -> bool:
        return len(self.entries) >= self._max_size

    def due(self) -> bool:
        """Full, or its oldest signal waited long enough; else a reminder is armed."""
        if not self.entries or self._oldest is None:
            return False
        waited = self._clock() - self._oldest
        if self.full or waited >= self._max_age_s:
            return True
        if not self._armed:
            self._armed = True
            self._arm(self._max_age_s - waited)
        return False

    def _remind(self, delay_s: float) -> None:
        timer = threading.Timer(delay_s, self._tell, (StoreSignals(),))
        timer.daemon = True
        timer.start()

    def reminded(self) -> None:
        """The armed reminder arrived."""
        self._armed = False

    def start_write(self) -> bool:
        """Hand the waiting signals to the writer thread, unless a write is under way."""
        if self.in_flight or not self.entries:
            return False
        self.in_flight, self.entries, self._oldest = self.entries, [], None
        self._write_id = write_id = uuid4()
        records = [scored.to_record() for _signal, scored in self.in_flight]
        future = self._pool.submit(self._write, records)
        self._future = future
        future.add_done_callback(lambda done: self._tell(SignalsWritten(write_id, _failure(done))))
        return True

    def wait(self) -> SignalsWritten | None:
        """Block until the write under way (if any) is done; its answer."""
        future = self._future
        if future is None or not self.in_flight:
            return None
        concurrent.futures.wait([future])
        return SignalsWritten(self._write_id, _failure(future))

    def written(self, answer: SignalsWritten) -> list[Entry]:
        """The signals `answer` stored (none for a stale answer). A failed write raises,
        with its signals still in flight: the scorer's crash requeues them."""
        if answer.write_id != self._write_id or not self.in_flight:
            return []
        if answer.failed is not None:
            msg = f"storing {len(self.in_flight)} signals failed: {answer.failed}"
            raise RuntimeError(msg)
        written, self.in_flight, self._future = self.in_flight, [], None
        self._keys.difference_update(str(scored.signal_id) for _s, scored in written)
        return written

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _failure(future: concurrent.futures.Future[None]) -> str | None:
    error = future.exception()
    return None if error is None else f"{type(error).__name__}: {error}"
