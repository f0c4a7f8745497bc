"""The venue loop's runner: coroutines run with a timeout, and closing ends what still runs."""

from __future__ import annotations

import asyncio
import threading

import pytest

from walltrack.adapters.execution.async_runner import AsyncRunner


def test_a_coroutine_runs_on_the_loop_and_one_too_slow_raises_timeout() -> None:
    runner = AsyncRunner(name="test-venue-loop")
    try:

        async def answer() -> int:
            return 42

        assert runner.run(answer, timeout_s=5) == 42
        with pytest.raises(TimeoutError):
            runner.run(asyncio.Event().wait, timeout_s=0.05)
    finally:
        runner.close()


def test_closing_cancels_a_poll_still_in_flight_and_stops_the_thread() -> None:
    runner = AsyncRunner(name="test-venue-loop")
    started, cancelled = threading.Event(), threading.Event()

    async def poll() -> None:
        started.set()
        try:
            await asyncio.Event().wait()  # an upstream that never answers
        except asyncio.CancelledError:
            cancelled.set()
            raise

    asyncio.run_coroutine_threadsafe(poll(), runner.loop)
    assert started.wait(5)
    runner.close()
    assert cancelled.is_set()
    assert not any(t.name == "test-venue-loop" and t.is_alive() for t in threading.enumerate())
