"""A discrete-event scheduler: callbacks ordered by simulated time, ties by insertion.

Why not ticks: agents act at irregular times (first-second snipes, Poisson retail flow);
a heap runs exactly the actions that are due and is deterministic by construction.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

type Action = Callable[[Any], None]


class Scheduler:
    """The agenda of one world. `now` is the time of the action being run."""

    __slots__ = ("_heap", "_seq", "now")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Action, Any]] = []
        self._seq = 0
        self.now = 0.0

    def at(self, t: float, action: Action, arg: Any = None) -> None:
        """Run `action(arg)` at simulated time `t` (never earlier than now)."""
        self._seq += 1
        heapq.heappush(self._heap, (t if t > self.now else self.now, self._seq, action, arg))

    def after(self, delay: float, action: Action, arg: Any = None) -> None:
        """Run `action(arg)` `delay` seconds from now."""
        self.at(self.now + delay, action, arg)

    def run_until(self, t_end: float) -> None:
        """Run every action due at or before `t_end`, in order; then now = t_end."""
        heap = self._heap
        pop = heapq.heappop
        while heap and heap[0][0] <= t_end:
            t, _, action, arg = pop(heap)
            self.now = t
            action(arg)
        self.now = max(self.now, t_end)

    def __len__(self) -> int:
        return len(self._heap)
