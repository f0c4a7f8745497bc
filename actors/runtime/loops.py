"""What actors with timers or venue work share: a tick thread, and a wait on the venue loop.

Why here: the backfill, the cluster actor and the intel jobs each ran their own copy of
both; one copy keeps the rules in one place (a tick to an ended incarnation stops its
thread, the next incarnation starts its own; a venue call past its timeout is cancelled).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import pykka


def wait_on_loop[T](
    work: Coroutine[Any, Any, T], loop: asyncio.AbstractEventLoop | None, timeout_s: float
) -> T:
    """Run `work` on `loop` (a private loop when None) and wait at most `timeout_s`."""
    if loop is None:
        return asyncio.run(asyncio.wait_for(work, timeout_s))
    future = asyncio.run_coroutine_threadsafe(work, loop)
    try:
        return future.result(timeout=timeout_s)
    except TimeoutError:
        future.cancel()
        raise


def tell_every(
    ref: pykka.ActorRef[Any],
    message: Callable[[], object],
    interval: Callable[[], float | None],
    stop: threading.Event,
) -> None:
    """A tick thread's body: tell `message()` every `interval()` seconds until `stop` is set,
    the interval is None, or the actor's incarnation ended."""
    while True:
        seconds = interval()
        if seconds is None or stop.wait(seconds):
            return
        try:
            ref.tell(message())
        except pykka.ActorDeadError:  # this incarnation ended; the next has its timer
            return
