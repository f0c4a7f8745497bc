"""Protocols the domain-facing code depends on; adapters implement them.

Why: actors and supervisors are written against these, so paper, live, backtest and tests
differ only in what `supervisors/wiring.py` plugs in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

type JsonValue = None | bool | int | str | list[JsonValue] | dict[str, JsonValue]
"""What a snapshot may contain: JSON without floats (money is int or a Decimal string)."""


@runtime_checkable
class Clock(Protocol):
    """Where time comes from: the wall clock live, a simulated one in the sim and tests."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a monotonic scale, for durations and deadlines only."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """One saved actor state: what a restarted incarnation rebuilds from."""

    actor_id: str
    kind: str
    schema_version: int
    state: Mapping[str, Any]
    updated_at: datetime


class SnapshotStore(Protocol):
    """Persists actor state so a restart never depends on possibly-corrupt memory."""

    def save(self, snapshot: Snapshot) -> None:
        """Store `snapshot`, replacing the previous one of the same actor."""
        ...

    def load(self, actor_id: str) -> Snapshot | None:
        """The latest snapshot of `actor_id`, or None when it never saved one."""
        ...

    def delete(self, actor_id: str) -> None:
        """Forget `actor_id` (an actor that is removed for good)."""
        ...
