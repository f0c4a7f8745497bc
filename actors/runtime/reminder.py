"""A reminder for an actor: call back once a deadline passes, from one long-lived thread.

Why not `threading.Timer`: it starts a thread per reminder, and `Thread.start` waits for
the new thread to run, which needs the interpreter lock: under load the caller stood
still for as long as other threads kept the lock. The scorer arms a reminder every few
batches, on the thread that scores the next signal. Here arming sets a deadline and
wakes a thread that is already there; the thread ends after `idle_exit_s` without one
(so an incarnation that crashed leaves nothing behind), and the next arm starts it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import structlog

IDLE_EXIT_S = 30.0
_log = structlog.get_logger(__name__)


class Reminder:
    """`arm(delay_s)` asks for one `remind()` once `delay_s` has passed; arming again
    before it fires keeps the earlier deadline (one call for both)."""

    def __init__(
        self,
        remind: Callable[[], None],
        name: str,
        *,
        idle_exit_s: float = IDLE_EXIT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._remind = remind
        self._name = name
        self._idle_exit_s = idle_exit_s
        self._clock = clock
        self._cond = threading.Condition()
        self._deadline: float | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def thread(self) -> threading.Thread | None:
        """The thread that calls back, while there is one."""
        return self._thread

    def arm(self, delay_s: float) -> None:
        with self._cond:
            if self._closed:
                return
            due = self._clock() + delay_s
            if self._deadline is None or due < self._deadline:
                self._deadline = due
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            else:
                self._cond.notify()

    def close(self) -> None:
        """No more calls; the thread ends (a call under way finishes)."""
        with self._cond:
            self._closed = True
            self._deadline = None
            self._cond.notify()

    def _run(self) -> None:
        idle_since = self._clock()
        while self._next(idle_since):
            try:
                self._remind()
            except Exception as error:  # a failed call must not end the reminders after it
                _log.error("reminder_failed", reminder=self._name, error=type(error).__name__)
            idle_since = self._clock()

    def _next(self, idle_since: float) -> bool:
        """Wait for the deadline (True) or for the end: closed, or idle too long."""
        with self._cond:
            while not self._closed:
                now = self._clock()
                deadline = self._deadline
                if deadline is not None and now >= deadline:
                    self._deadline = None
                    return True
                if deadline is None and now - idle_since >= self._idle_exit_s:
                    break
                until = deadline if deadline is not None else idle_since + self._idle_exit_s
                self._cond.wait(until - now)
            self._thread = None
            return False
