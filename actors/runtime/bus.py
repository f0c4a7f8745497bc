"""Publish/subscribe of domain events across the tree, by event type.

Why: context an actor needs from another (halt state, cluster membership, runtime config) is
pushed as events and cached, never asked for on the hot path. Subscribers are names, so a
restarted subscriber keeps its subscription.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from actors.runtime.registry import Registry, UnknownActorError
from walltrack.logging import get_logger

_log = get_logger("event_bus")


class EventBus:
    """Routes each published event to the names subscribed to its type (or a base type)."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._subscribers: dict[type, tuple[str, ...]] = {}
        self._listeners: tuple[Callable[[Any], None], ...] = ()
        self._lock = threading.Lock()

    def subscribe(self, event_type: type, name: str) -> None:
        """Deliver every event of `event_type` (and its subclasses) to actor `name`."""
        with self._lock:
            current = self._subscribers.get(event_type, ())
            if name not in current:
                self._subscribers[event_type] = (*current, name)

    def listen(self, listener: Callable[[Any], None]) -> None:
        """Call `listener(event)` for every event (the state feed); it must not block."""
        with self._lock:
            self._listeners = (*self._listeners, listener)

    def publish(self, event: Any) -> None:
        """Send `event` to its subscribers and listeners."""
        seen: set[str] = set()
        subscribers = self._subscribers
        for kind in type(event).__mro__:
            for name in subscribers.get(kind, ()):
                if name in seen:
                    continue
                seen.add(name)
                try:
                    self._registry.tell(name, event)
                except UnknownActorError:
                    _log.warning("event_subscriber_missing", subscriber=name)
        for listener in self._listeners:
            listener(event)
