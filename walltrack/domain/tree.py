"""What the supervisor tree looks like from outside: the data of `walltrack tree`.

Why here: the dashboard and the CLI read tree snapshots but must not import the runtime, so
the snapshot type lives in the domain and the runtime fills it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


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


def tree_to_json(snapshot: TreeSnapshot) -> dict[str, object]:
    """The snapshot as plain JSON values (for the HTTP API and the state feed)."""
    return {
        "actors": [
            {
                "name": info.name,
                "parent": info.parent,
                "kind": info.kind.value,
                "state": info.state.value,
                "restarts": info.restarts,
                "last_error": info.last_error,
                "mailbox_depth": info.mailbox_depth,
                "uptime_s": info.uptime_s,
                "messages_handled": info.messages_handled,
                "incarnation": info.incarnation,
            }
            for info in snapshot.actors
        ],
        "quarantined": [
            {
                "actor": q.actor,
                "message_type": q.message_type,
                "crashes": q.crashes,
                "last_error": q.last_error,
                "summary": q.summary,
            }
            for q in snapshot.quarantined
        ],
        "inactive_count": snapshot.inactive_count,
    }


def tree_from_json(data: dict[str, Any]) -> TreeSnapshot:
    """Inverse of `tree_to_json`; raises KeyError/ValueError on a malformed document."""
    return TreeSnapshot(
        actors=tuple(
            ActorInfo(
                name=str(item["name"]),
                parent=item["parent"],
                kind=ActorKind(item["kind"]),
                state=ActorState(item["state"]),
                restarts=int(item["restarts"]),
                last_error=item["last_error"],
                mailbox_depth=int(item["mailbox_depth"]),
                uptime_s=float(item["uptime_s"]),
                messages_handled=int(item["messages_handled"]),
                incarnation=int(item["incarnation"]),
            )
            for item in data["actors"]
        ),
        quarantined=tuple(QuarantinedMessage(**item) for item in data["quarantined"]),
        inactive_count=int(data["inactive_count"]),
    )
