"""The base of the intelligence job actors: a schedule, a run on the venue loop, a reply.

Why a job actor: a run (a token's whole history, hundreds of profiles) takes seconds to
minutes and must not run in another actor's mailbox. Each job actor owns its jobs (built
from the stores and venues when it starts, so a restart after the stores came back gets
new connections), runs them on the venue loop (or a private one) and waits with a
timeout, and ticks itself on the interval the runtime parameters give, read again at
every tick so an edited schedule applies without a restart. Runs report progress and
lifecycle events on the bus through the jobs' `publish`; each time the timer is armed the
actor publishes `JobScheduled` (the dashboard's "next run").
"""

from __future__ import annotations

import asyncio
import threading
from abc import abstractmethod
from collections.abc import Callable, Coroutine
from typing import Any

from actors.job_schedule import NextRun, ReportSchedule, announce_next_run
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.loops import tell_every, wait_on_loop
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.intel.jobs import IntelJobs
from walltrack.adapters.intel.venues import Publish
from walltrack.errors import StoreUnavailableError, UpstreamError
from walltrack.logging import get_logger

_log = get_logger("intel_job")

type BuildJobs = Callable[[Publish], IntelJobs]
"""Builds the jobs on the stores and venues in force, publishing with the given function."""
type Interval = Callable[[], float | None]
"""Seconds until the next scheduled run (None: no schedule), read at every tick."""

DEFAULT_TIMEOUT_S = 3600.0


class IntelJobActor(SupervisedActor):
    """Subclass: `scheduled()` is the message a tick sends, `run(message)` handles it."""

    def __init__(
        self,
        context: ActorContext,
        build: BuildJobs,
        *,
        every_s: Interval | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        super().__init__(context)
        self._build = build
        self._every_s = every_s
        self._loop = loop
        self._timeout_s = timeout_s
        self._runner: AsyncRunner | None = None
        self._timer_stop = threading.Event()
        self.jobs: IntelJobs | None = None
        self.next_run: NextRun | None = None
        self.runs = 0
        self.failed_runs = 0

    # ----- to implement -------------------------------------------------------------------
    @abstractmethod
    def scheduled(self) -> Any:
        """The message a scheduled tick sends to this actor."""

    @abstractmethod
    def run(self, jobs: IntelJobs, message: Any) -> Any:
        """Handle one request (use `self.wait(...)` for the async job calls)."""

    # ----- lifecycle ----------------------------------------------------------------------
    def started(self) -> None:
        self.jobs = self._build(self.publish)
        if self._loop is None:
            self._runner = AsyncRunner(f"{self.name}-loop")
        if self._every_s is not None:
            threading.Thread(target=self._tick, name=f"{self.name}-timer", daemon=True).start()

    def on_stop(self) -> None:
        self._timer_stop.set()
        if self._runner is not None:
            self._runner.close()
        super().on_stop()

    def handle(self, message: Any) -> Any:
        if isinstance(message, NextRun | ReportSchedule):
            self.next_run = message if isinstance(message, NextRun) else self.next_run
            if self.next_run is not None:
                self.publish(self.next_run.event(self.name, self.context.clock))
            return None
        assert self.jobs is not None
        try:
            result = self.run(self.jobs, message)
        except StoreUnavailableError:
            raise  # the stores restart: crash, the supervisor restarts us on new ones
        except (UpstreamError, TimeoutError) as error:
            # a venue down or slow: this run is lost, the next tick or request retries
            self.failed_runs += 1
            _log.warning("intel_run_failed", actor=self.name, error=type(error).__name__)
            return None
        self.runs += 1
        return result

    # ----- helpers ------------------------------------------------------------------------
    def wait[T](self, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run a job coroutine on the venue loop and wait for it (with the timeout)."""
        if self._runner is not None:
            return self._runner.run(make, self._timeout_s)
        assert self._loop is not None
        return wait_on_loop(make(), self._loop, self._timeout_s)

    def _tick(self) -> None:
        every = self._every_s
        assert every is not None

        def interval() -> float | None:
            seconds = every()
            armed = None if seconds is None else max(1.0, seconds)
            announce_next_run(self.actor_ref, self.context.clock, armed)
            return armed

        tell_every(self.actor_ref, self.scheduled, interval, self._timer_stop)
