"""An in-memory WebhookEventStore, for tests and the ingest benchmark.

Why it exists: the receiver's own cost is measured without PostgreSQL's, and tests can
see exactly what was recorded. It is not durable: production wires the PostgreSQL store.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any


class InMemoryWebhookEventStore:
    """Thread-safe signature set, optionally keeping each payload and its receipt time."""

    blocks = False  # a set lookup under a lock: called in place on the event loop

    def __init__(self, *, keep_payloads: bool = True) -> None:
        self._lock = threading.Lock()
        self._keep = keep_payloads
        self._seen: set[str] = set()
        self._events: dict[str, tuple[Mapping[str, Any], datetime]] = {}

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        """Remember `signature`; False when it was already remembered."""
        with self._lock:
            if signature in self._seen:
                return False
            self._seen.add(signature)
            if self._keep:
                self._events[signature] = (payload, received_at)
            return True

    def record_many(self, events: Sequence[tuple[str, Mapping[str, Any], datetime]]) -> list[bool]:
        """`record_new` for each (signature, payload, received_at), in order."""
        return [self.record_new(*event) for event in events]

    def recent_signatures(self, limit: int) -> list[str]:
        """The newest `limit` signatures kept with their payload, newest first."""
        with self._lock:
            return list(reversed(self._events))[:limit]

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def signatures(self) -> frozenset[str]:
        """Every recorded signature."""
        with self._lock:
            return frozenset(self._seen)

    def payload(self, signature: str) -> Mapping[str, Any] | None:
        """The recorded payload of `signature` (None when unknown or not kept)."""
        with self._lock:
            event = self._events.get(signature)
        return None if event is None else event[0]
