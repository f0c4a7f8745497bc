"""Drives a World from a clock: real time x speed (SimClock) or as fast as possible
(a ManualClock stepped by the runner itself).

Why separate from the World: the world stays pure and deterministic; only the runner knows
about wall time, and it hands the event loop back often so the fake venues stay responsive.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

from walltrack.clock import ManualClock
from walltrack.sim.world import World


class _Clock(Protocol):
    def monotonic(self) -> float: ...


class SimRunner:
    """Keeps `world.now == offset + clock.monotonic()` while running."""

    def __init__(
        self,
        world: World,
        clock: _Clock,
        *,
        offset: float,
        fast: bool,
        tick_s: float = 0.05,
        step_s: float = 0.5,
        budget_s: float = 0.02,
        until: float | None = None,
    ) -> None:
        self.world = world
        self.clock = clock
        self.offset = offset
        self.fast = fast
        self.tick_s = tick_s
        self.step_s = step_s
        self.budget_s = budget_s
        self.until = until
        self._advanced = asyncio.Condition()

    def target(self) -> float:
        """The simulated second the world should be at now."""
        return self.offset + self.clock.monotonic()

    async def _publish(self) -> None:
        async with self._advanced:
            self._advanced.notify_all()

    def step(self, seconds: float) -> None:
        """Advance a manual clock and the world by `seconds` (fast and manual modes)."""
        assert isinstance(self.clock, ManualClock)
        self.clock.advance(seconds)
        self.world.advance_to(self.target())

    async def advance(self, seconds: float) -> None:
        """Manual mode: move time by `seconds` and wake waiters."""
        self.step(seconds)
        await self._publish()

    async def wait_until(self, sim_seconds: float) -> None:
        """Wait until the world has reached `sim_seconds`."""
        async with self._advanced:
            await self._advanced.wait_for(lambda: self.world.now >= sim_seconds)

    async def run(self) -> None:
        """Advance forever (or until `until`); cancel the task to stop."""
        while self.until is None or self.world.now < self.until:
            if self.fast:
                started = time.perf_counter()
                while time.perf_counter() - started < self.budget_s:
                    self.step(self.step_s)
                await self._publish()
                await asyncio.sleep(0)
            else:
                self.world.advance_to(self.target())
                await self._publish()
                await asyncio.sleep(self.tick_s)
