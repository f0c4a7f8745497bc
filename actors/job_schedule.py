"""How a job actor's timer thread says when the job runs next.

Why computed on the timer thread: the actor may be busy with a long run when its timer is
armed again; the time is taken when the timer starts waiting (on the tree's clock, scaled
by a simulated clock's speed), and the actor publishes it when it gets to the message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pykka

from walltrack.domain.messages.jobs import JobScheduled
from walltrack.ports import Clock

_CORRELATION = uuid.UUID("8d6f1c52-4b0e-4f7e-9a51-6c2b7d1e0a93")
"""Schedules belong to no swap: one fixed correlation id for every announcement."""


@dataclass(frozen=True, slots=True)
class NextRun:
    """The timer was armed: the job runs at `at` (every `interval_s` seconds)."""

    at: datetime
    interval_s: float

    def event(self, actor_name: str, clock: Clock) -> JobScheduled:
        """`JobScheduled` for the actor `actor_name` ("intel_tokens" is job "tokens")."""
        now = clock.now()
        return JobScheduled(
            correlation_id=_CORRELATION,
            ts_event=now,
            ts_init=now,
            job=actor_name.removeprefix("intel_"),
            next_run_at=self.at,
            interval_s=self.interval_s,
        )


@dataclass(frozen=True, slots=True)
class ReportSchedule:
    """Publish the next run again (a dashboard that started after the tree asks for it)."""


def announce_next_run(ref: pykka.ActorRef[Any], clock: Clock, seconds: float | None) -> None:
    """Tell the actor when its timer fires next (nothing when the schedule is off)."""
    if seconds is None:
        return
    speed = float(getattr(clock, "speed", 1.0))  # a SimClock runs `speed` x the wall clock
    at = clock.now() + timedelta(seconds=seconds * speed)
    try:
        ref.tell(NextRun(at, seconds))
    except pykka.ActorDeadError:  # the incarnation ended; the next one arms its own timer
        return
