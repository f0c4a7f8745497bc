"""The scorer's signals scored but not stored yet: one write for many, off its thread.

Why: every signal is stored, traded or not, and a write per signal would cost a round
trip each (500 a second under load). Signals wait until the batch is full or its oldest
has waited `max_age_s`, then are written by a thread of their own: written on the
scorer's thread, a batch of 64 held every signal behind it for 20-70 ms under load. A
signal to trade does not wait for this write at all: the positions actor stores its row
with the position (actors/scorer.py). Written signals come back as `SignalsWritten`; a
write in flight still counts as unfinished, so a crash requeues it (the store ignores ids
it has).

A traded signal is held back from the batch for `TRADED_HOLD_S`: its entry statement
writes the same row at once, and whichever of two transactions inserts a key second waits
for the first to commit. Measured with `walltrack bench pipeline` (PostgreSQL's lock-wait
log): a batch that took in the probe's signal a few milliseconds before its entry made
the entry wait 30-40 ms for the batch's commit. Held, the batch finds the entry's row
committed and skips it without waiting; the signal still counts as unfinished meanwhile.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from actors.runtime.reminder import Reminder
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.signals import SignalScored, WalletSignal
from walltrack.domain.records import SignalRecord

type Entry = tuple[WalletSignal, SignalScored]

BATCH_MAX = 64
"""Signals stored in one transaction at most (bounds the latency a batch adds)."""
BATCH_MAX_AGE_S = 0.25
"""How long a skipped signal waits, at most, for others to share its write."""
TRADED_HOLD_S = 0.25
"""How long a traded signal stays out of the batch: its entry's statement writes it."""


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
        hold_s: float = TRADED_HOLD_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reminder = Reminder(lambda: tell_scorer(StoreSignals()), "scorer-reminder")
        self._arm = arm or self._reminder.arm  # asks for a reminder in that many seconds
        self._write = write  # the store, called on the writer thread
        self._tell = tell_scorer  # from other threads: a write finished, a reminder
        self._pool = concurrent.futures.ThreadPoolExecutor(1, "scorer-signals")
        self.in_flight: list[Entry] = []
        # Unique, not counted: a crashed incarnation's late answer must match nothing.
        self._write_id = random_uuid()
        self._future: concurrent.futures.Future[None] | None = None
        self._max_size = max_size
        self._max_age_s = max_age_s
        self._hold_s = hold_s
        self._clock = clock
        self.entries: list[Entry] = []
        self._held: list[tuple[float, Entry]] = []
        """Traded signals not written before their entry: (added at, entry), oldest first."""
        self._keys: set[str] = set()
        self._oldest: float | None = None
        self._armed = False

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    @property
    def waiting(self) -> list[Entry]:
        """Every signal not stored yet: being written, waiting, held."""
        return self.in_flight + self.entries + [entry for _added, entry in self._held]

    def add(self, signal: WalletSignal, scored: SignalScored, *, hold: bool = False) -> None:
        """Take a scored signal; `hold` one that its entry's statement stores first."""
        now = self._clock()
        self._keys.add(str(scored.signal_id))
        if hold:
            self._held.append((now, (signal, scored)))
            return
        if not self.entries:
            self._oldest = now
        self.entries.append((signal, scored))

    def _release(self, *, everything: bool = False) -> None:
        """Held signals whose time came join the batch, at the age they were added."""
        now = self._clock()
        while self._held and (everything or self._held[0][0] + self._hold_s <= now):
            added, entry = self._held.pop(0)
            self._oldest = added if self._oldest is None else min(self._oldest, added)
            self.entries.append(entry)

    @property
    def full(self) -> bool:
        return len(self.entries) >= self._max_size

    def due(self) -> bool:
        """Full, or its oldest signal waited long enough; else a reminder is armed."""
        self._release()
        now = self._clock()
        if self.entries and self._oldest is not None:
            waited = now - self._oldest
            if self.full or waited >= self._max_age_s:
                return True
            delay = self._max_age_s - waited
        elif self._held:
            delay = self._held[0][0] + self._hold_s - now
        else:
            return False
        if not self._armed:
            self._armed = True
            self._arm(delay)
        return False

    def reminded(self) -> None:
        """The armed reminder arrived."""
        self._armed = False

    def start_write(self, *, held_too: bool = False) -> bool:
        """Hand the waiting signals to the writer thread, unless a write is under way;
        `held_too` writes the held ones as well (the scorer stops, or a Ping asks)."""
        if self.in_flight:
            return False
        self._release(everything=held_too)
        if not self.entries:
            return False
        self.in_flight, self.entries, self._oldest = self.entries, [], None
        self._write_id = write_id = random_uuid()
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
        self._reminder.close()
        self._pool.shutdown(wait=True)


def _failure(future: concurrent.futures.Future[None]) -> str | None:
    error = future.exception()
    return None if error is None else f"{type(error).__name__}: {error}"
