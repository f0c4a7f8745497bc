"""The scorer's signals scored but not stored yet: one write for many.

Why: every signal is stored, traded or not, and a write per signal would cost a round
trip each (500 a second under load). Signals wait until the batch is full or its oldest
has waited `max_age_s`; storing whenever the mailbox ran empty meant a write every few
signals, each one in the way of the next signal. A signal to trade does not wait for
this write: the positions actor stores its row with the position (actors/scorer.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from walltrack.domain.messages.signals import SignalScored, WalletSignal

type Entry = tuple[WalletSignal, SignalScored]

BATCH_MAX = 64
"""Signals stored in one transaction at most (bounds the latency a batch adds)."""
BATCH_MAX_AGE_S = 0.25
"""How long a skipped signal waits, at most, for others to share its write."""


@dataclass(frozen=True, slots=True)
class StoreSignals:
    """The scorer's reminder: its batch may be due (it was not yet when the mailbox ran
    empty)."""


class SignalBatch:
    """Scored signals waiting for their write, and when the write is due."""

    def __init__(
        self,
        arm: Callable[[float], None],
        *,
        max_size: int = BATCH_MAX,
        max_age_s: float = BATCH_MAX_AGE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._arm = arm  # asks for a reminder in that many seconds
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

    def reminded(self) -> None:
        """The armed reminder arrived."""
        self._armed = False

    def ready(self) -> list[Entry]:
        """The entries to store now. They stay in the batch (`unfinished` after a crash)
        until `stored` says they are written."""
        return list(self.entries)

    def stored(self, written: list[Entry]) -> None:
        """`written` are in the store: they leave the batch."""
        ids = {id(entry) for entry in written}
        self.entries = [e for e in self.entries if id(e) not in ids]
        self._keys.difference_update(str(scored.signal_id) for _s, scored in written)
        if not self.entries:
            self._oldest = None
