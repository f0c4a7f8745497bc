"""Messages of the runtime itself, between actors and their supervisors.

Why separate from domain messages: these carry pykka envelopes and exceptions, live only
inside one process and never reach a store, a log sink or the dashboard as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pykka._envelope import Envelope


@dataclass(frozen=True, slots=True)
class Ping:
    """Readiness probe: answered once the actor finished starting (restore included)."""


@dataclass(frozen=True, slots=True)
class ReportReady:
    """Tell your parent `ChildReady` once started (an activation's readiness, pushed)."""


@dataclass(frozen=True, slots=True)
class ChildReady:
    """A child that was asked to `ReportReady` has started (its Ping is answered)."""

    name: str
    incarnation: int


@dataclass(frozen=True, slots=True)
class Passivate:
    """Save your state and stop; you will be started again on your next message."""


@dataclass(frozen=True, slots=True)
class CrashReply:
    """What an asker receives when its question crashed the actor."""

    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildCrashed:
    """A child failed while handling `message`, which waits again at the head of its slot."""

    name: str
    incarnation: int
    error: BaseException
    message: Envelope[Any] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildExited:
    """A child stopped on its own, normally (transient children are then not restarted)."""

    name: str
    incarnation: int


@dataclass(frozen=True, slots=True)
class Activate:
    """Start the virtual actor behind `name`: a message is waiting for it."""

    name: str


@dataclass(frozen=True, slots=True)
class RestartChild:
    """Backoff elapsed: restart `name` if it is still the incarnation that crashed."""

    name: str
    incarnation: int


@dataclass(frozen=True, slots=True)
class PassivationDone:
    """A virtual actor saved its state and stopped."""

    name: str
    incarnation: int


@dataclass(frozen=True, slots=True)
class SweepIdle:
    """Look for actors idle longer than the passivation delay."""


@dataclass(frozen=True, slots=True)
class StartChild:
    """Start one more child under a dynamic supervisor (ask: replies when it is ready)."""

    spec: Any


@dataclass(frozen=True, slots=True)
class TerminateChild:
    """Stop a child for good and forget its name."""

    name: str


@dataclass(frozen=True, slots=True)
class TrackNames:
    """Register names as virtual children: no actor until the first message arrives.

    `resident` names are activated now and never passivated for idleness (the watchlist:
    few, and on the trading path); `False` lets an already resident name passivate again.
    """

    names: tuple[str, ...]
    resident: bool = False
