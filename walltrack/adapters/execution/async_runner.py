"""One asyncio loop in its own thread, for blocking callers of the async venue clients.

Why: the venue clients are async (httpx), the trading actors' workers are threads; a
single loop owned here keeps each client on the loop it was first used on.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

CLOSE_TIMEOUT_S = 5.0


class AsyncRunner:
    """Runs coroutines on a private loop and waits for them with a timeout."""

    def __init__(self, name: str = "venue-loop") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The loop, for callers that schedule on it themselves (one loop per process)."""
        return self._loop

    def run[T](self, make: Callable[[], Coroutine[Any, Any, T]], timeout_s: float) -> T:
        """Run `make()` on the loop; TimeoutError when it takes longer than `timeout_s`."""
        future = asyncio.run_coroutine_threadsafe(make(), self._loop)
        try:
            return future.result(timeout_s)
        except TimeoutError:
            future.cancel()
            raise

    def close(self) -> None:
        """Cancel what still runs on the loop (a price poll in flight), then stop it and
        its thread: a task left pending would be destroyed with the loop, unfinished."""
        if self._thread.is_alive():
            cancelled = asyncio.run_coroutine_threadsafe(_cancel_others(), self._loop)
            try:
                cancelled.result(CLOSE_TIMEOUT_S)
            except TimeoutError:
                cancelled.cancel()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=CLOSE_TIMEOUT_S)


async def _cancel_others() -> None:
    """Cancel every other task of the running loop and wait until each has ended."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
