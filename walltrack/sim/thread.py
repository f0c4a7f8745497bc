"""Running a simulation on its own event-loop thread, for synchronous callers.

Why: the actor runtime (pykka threads), the demo and sync tests cannot `async with`; they
start the world here, read its endpoints, and call into it safely through `call()`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Self, TypeVar

from walltrack.sim.harness import SimConfig, SimEndpoints, Simulation, start_simulation

T = TypeVar("T")


class SimulationThread:
    """`with SimulationThread(SimConfig(seed=7)) as sim: sim.endpoints ...`"""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="walltrack-sim", daemon=True)
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._sim: Simulation | None = None
        self._error: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        except BaseException as error:
            self._error = error
            self._ready.set()
        finally:
            self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        async with start_simulation(self.config) as sim:
            self._sim = sim
            self._ready.set()
            await self._stop.wait()

    def start(self, timeout: float = 30.0) -> Self:
        """Start the world and its venues; returns once every endpoint is listening."""
        self._thread.start()
        if not self._ready.wait(timeout) or self._sim is None:
            msg = f"simulation did not start: {self._error!r}"
            raise RuntimeError(msg)
        return self

    @property
    def simulation(self) -> Simulation:
        """The running Simulation (touch it only through `call`)."""
        assert self._sim is not None, "not started"
        return self._sim

    @property
    def endpoints(self) -> SimEndpoints:
        """Base URLs of the fake venues."""
        return self.simulation.endpoints

    def call(self, fn: Callable[[Simulation], T], timeout: float = 30.0) -> T:
        """Run `fn(simulation)` on the simulation's loop thread and return its result."""

        async def invoke() -> T:
            return fn(self.simulation)

        return asyncio.run_coroutine_threadsafe(invoke(), self._loop).result(timeout)

    def wait_until(self, sim_seconds: float, timeout: float = 30.0) -> None:
        """Block until the world has reached `sim_seconds` (autorun modes)."""
        future = asyncio.run_coroutine_threadsafe(
            self.simulation.wait_until(sim_seconds), self._loop
        )
        future.result(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop time and every venue; waits for the thread to end."""
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
