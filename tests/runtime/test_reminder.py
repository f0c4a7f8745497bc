"""The actors' reminder: one call per deadline, from one thread kept between reminders."""

from __future__ import annotations

import threading

from actors.runtime.reminder import Reminder

WAIT_S = 5.0


class _Calls:
    def __init__(self) -> None:
        self.threads: list[int] = []
        self.called = threading.Semaphore(0)

    def __call__(self) -> None:
        self.threads.append(threading.get_ident())
        self.called.release()


def test_each_deadline_calls_once_from_the_same_thread() -> None:
    calls = _Calls()
    reminder = Reminder(calls, "test-reminder")
    try:
        for _ in range(3):
            reminder.arm(0.01)
            assert calls.called.acquire(timeout=WAIT_S)
        assert len(calls.threads) == 3
        assert len(set(calls.threads)) == 1  # no thread started per reminder
    finally:
        reminder.close()


def test_arming_again_before_it_fires_keeps_the_earlier_deadline() -> None:
    now = [100.0]
    calls = _Calls()
    reminder = Reminder(calls, "test-reminder", clock=lambda: now[0])
    try:
        reminder.arm(0.0)  # due at 100.0: fires at once
        assert calls.called.acquire(timeout=WAIT_S)
        now[0] = 200.0
        reminder.arm(3600.0)
        reminder.arm(0.0)  # the earlier of the two: due now, not in an hour
        assert calls.called.acquire(timeout=WAIT_S)
        assert len(calls.threads) == 2
    finally:
        reminder.close()


def test_an_idle_thread_ends_and_the_next_arm_starts_one() -> None:
    calls = _Calls()
    reminder = Reminder(calls, "test-reminder", idle_exit_s=0.05)
    reminder.arm(0.0)
    assert calls.called.acquire(timeout=WAIT_S)
    first = reminder.thread
    if first is not None:  # it may have ended already
        first.join(WAIT_S)
        assert not first.is_alive()
    assert reminder.thread is None
    reminder.arm(0.0)
    assert calls.called.acquire(timeout=WAIT_S)
    reminder.close()


def test_close_ends_the_thread_and_drops_what_was_armed() -> None:
    calls = _Calls()
    reminder = Reminder(calls, "test-reminder")
    reminder.arm(3600.0)
    thread = reminder.thread
    assert thread is not None
    reminder.close()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    reminder.arm(0.0)  # closed: ignored
    assert reminder.thread is None
    assert calls.threads == []


def test_a_call_that_raises_leaves_the_next_reminders_working() -> None:
    calls = _Calls()
    failures = [RuntimeError("the actor is gone")]

    def remind() -> None:
        if failures:
            calls.called.release()
            raise failures.pop()
        calls()

    reminder = Reminder(remind, "test-reminder")
    try:
        reminder.arm(0.0)
        assert calls.called.acquire(timeout=WAIT_S)  # the failing call happened
        reminder.arm(0.0)
        assert calls.called.acquire(timeout=WAIT_S)
        assert len(calls.threads) == 1
    finally:
        reminder.close()
