"""What every supervisor in one tree shares: names, events, snapshots, time, quarantine.

Why one object: a supervisor hands each child the same registry, bus, snapshot store and
clock; passing them as one value keeps child specs short and wiring in one place.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

from actors.runtime.base import ActorContext
from actors.runtime.bus import EventBus
from actors.runtime.registry import Registry
from walltrack.domain.tree import QuarantinedMessage
from walltrack.logging import get_logger
from walltrack.ports import Clock, SnapshotStore

_log = get_logger("quarantine")

QUARANTINE_LIMIT = 10_000


class Quarantine:
    """Messages that crashed their actor too often, kept for the operator to inspect."""

    def __init__(self) -> None:
        self._items: list[tuple[QuarantinedMessage, Any]] = []
        self._lock = threading.Lock()

    def add(self, actor: str, message: Any, crashes: int, error: str) -> QuarantinedMessage:
        """Set `message` aside and report it."""
        summary = repr(message)
        entry = QuarantinedMessage(
            actor=actor,
            message_type=type(message).__name__,
            crashes=crashes,
            last_error=error,
            summary=summary if len(summary) <= 300 else summary[:297] + "...",
        )
        with self._lock:
            self._items.append((entry, message))
            del self._items[:-QUARANTINE_LIMIT]
        _log.error(
            "message_quarantined",
            actor=actor,
            message_type=entry.message_type,
            crashes=crashes,
            error=error,
        )
        return entry

    def entries(self) -> tuple[QuarantinedMessage, ...]:
        """What is quarantined now, oldest first."""
        with self._lock:
            return tuple(entry for entry, _ in self._items)

    def messages(self) -> list[Any]:
        """The quarantined message objects themselves (for a manual re-drive)."""
        with self._lock:
            return [message for _, message in self._items]


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeServices:
    """The shared services of one supervisor tree."""

    registry: Registry
    bus: EventBus
    snapshots: SnapshotStore
    clock: Clock
    quarantine: Quarantine = field(default_factory=Quarantine)
    poison_threshold: int = 3
    seed: int | None = None

    def context_for(self, name: str, parent: str, incarnation: int) -> ActorContext:
        """The context handed to one incarnation of a child."""
        return ActorContext(
            name=name,
            parent=parent,
            registry=self.registry,
            bus=self.bus,
            snapshots=self.snapshots,
            clock=self.clock,
            incarnation=incarnation,
        )

    def rng(self) -> random.Random:
        """A PRNG for backoff jitter (seeded in tests for determinism)."""
        return random.Random(self.seed)
