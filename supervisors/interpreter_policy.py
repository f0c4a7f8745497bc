"""The interpreter's policy while a tree runs: full collections on a timer, never
mid-signal, and a short GIL switch interval.

Why the collections: CPython's cyclic collector holds the GIL for a whole collection, so
every actor thread stops while it runs. Measured with `walltrack bench pipeline` at 500
events/s: about 20 full (generation 2) collections in 25 s, each 80-100 ms of CPU over
only ~130k objects, so the decision p99 was whichever probe met one. The policy:

- at start, after one collection, everything alive (modules, the tree, a demo's world)
  is frozen: long-lived, never scanned again;
- automatic full collections are off; the young generations are collected as usual, so
  short-lived cycles are still reclaimed at once, but generation 1 every 2 collections of
  generation 0 instead of 10: it then holds a fifth of the survivors, and its pauses
  halved in the decision bench (median 2.3-2.7 -> 1.2-1.4 ms);
- a timer runs a full collection every `full_every_s` (default 5 min) for the cycles
  that reached the old generation, and logs how long it paused the process.

Why the switch interval (0.5 ms, CPython's default 5 ms): a thread woken by its I/O or its
mailbox waits for the GIL until the thread holding it lets go, which a busy thread does
only after the switch interval. A signal crosses a dozen threads and as many database
round trips; measured with `walltrack bench pipeline` on 2 cores, the decision latency
under load fell 2-3x at 0.5 ms.

Process-wide and counted: the last tree to stop restores CPython's thresholds and
unfreezes, so what was frozen can be collected again (test sessions start many trees).
"""

from __future__ import annotations

import gc
import sys
import threading
import time

from walltrack.logging import get_logger

_log = get_logger("interpreter_policy")

FULL_EVERY_S = 300.0
SWITCH_INTERVAL_S = 0.0005
NO_AUTOMATIC_FULL = 1_000_000
"""Generation 1 collections between automatic full ones: never, in practice."""
YOUNG_PER_MIDDLE = 2
"""Generation 0 collections between generation 1 ones (CPython's default: 10)."""


class InterpreterPolicy:
    """The installed policy: who holds it, CPython's thresholds to restore, the timer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._saved: tuple[int, int, int] = gc.get_threshold()
        self._saved_switch = sys.getswitchinterval()
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None

    def acquire(self, full_every_s: float) -> None:
        with self._lock:
            self._holders += 1
            if self._holders > 1:
                return
            self._saved = gc.get_threshold()
            self._saved_switch = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL_S)
            gc.collect()
            gc.freeze()
            gc.set_threshold(self._saved[0], YOUNG_PER_MIDDLE, NO_AUTOMATIC_FULL)
            self._stop = threading.Event()
            self._timer = threading.Thread(
                target=self._run, args=(self._stop, full_every_s), name="gc-full", daemon=True
            )
            self._timer.start()
            frozen = gc.get_freeze_count()
            _log.info("interpreter_policy_installed", frozen=frozen, full_every_s=full_every_s)

    def release(self) -> None:
        with self._lock:
            if self._holders == 0:
                return
            self._holders -= 1
            if self._holders:
                return
            self._stop.set()
            gc.set_threshold(*self._saved)
            gc.unfreeze()
            sys.setswitchinterval(self._saved_switch)

    @staticmethod
    def _run(stop: threading.Event, every_s: float) -> None:
        while not stop.wait(every_s):
            started = time.perf_counter()
            found = gc.collect()
            pause_ms = (time.perf_counter() - started) * 1000
            _log.info("gc_full_collection", pause_ms=round(pause_ms, 1), unreachable=found)


_POLICY = InterpreterPolicy()


def install(full_every_s: float = FULL_EVERY_S) -> None:
    """Take the policy for a starting tree (installed by the first one)."""
    _POLICY.acquire(full_every_s)


def release() -> None:
    """A tree stopped; the last one restores CPython's own policy."""
    _POLICY.release()


def automatic_full_collections() -> bool:
    """Whether CPython would start full collections by itself right now."""
    return gc.get_threshold()[2] < NO_AUTOMATIC_FULL
