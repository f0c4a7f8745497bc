"""What the supervisor tree looks like from outside: the data of `walltrack tree`.

Why here: the dashboard and the CLI read tree snapshots but must not import the runtime, so
the snapshot type lives in the domain and the runtime fills it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorState(StrEnum):
    """Lifecycle of one named actor slot."""

    INACTIVE = "inactive"  # known (e.g. a tracked wallet) but no live actor: passivated
    ACTIVATING = "activating"
    RUNNING = "running"
    PASSIVATING = "passivating"
    RESTARTING = "restarting"
    STOPPING = "stopping"
    STOPPED = "stopped"


class ActorKind(StrEnum):
    """Workers do the work; supervisors only watch."""

    WORKER = "worker"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorInfo:
    """One node of the tree as seen at one instant."""

    name: str
    parent: str | None
    kind: ActorKind
    state: ActorState
    restarts: int
    last_error: str | None
    mailbox_depth: int
    uptime_s: float
    messages_handled: int
    incarnation: int


@dataclass(frozen=True, slots=True, kw_only=True)
class QuarantinedMessage:
    """A message that crashed its actor too often and was set aside."""

    actor: str
    message_type: str
    crashes: int
    last_error: str
    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeSnapshot:
    """The whole tree (depth-first, supervisors before their children) and its quarantine."""

    actors: tuple[ActorInfo, ...]
    quarantined: tuple[QuarantinedMessage, ...]
    inactive_count: int

    def by_name(self, name: str) -> ActorInfo | None:
        """The node called `name`, if present."""
        return next((info for info in self.actors if info.name == name), None)
