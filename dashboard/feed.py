"""The state feed: a bounded buffer of the tree's events, filled by the bus, read by the hub.

Why bounded and drop-oldest: `offer` runs on whichever actor thread published the event,
so it must never wait on a browser. When the dashboard falls behind, the oldest events are
dropped and counted (the status bar shows the count); the read model catches up from the
stores at its next refresh.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from walltrack.dashboard_ports import FeedBatch

DEFAULT_CAPACITY = 4096


class BoundedFeed:
    """A sequence-numbered ring of events; `since(seq)` returns what a reader has not seen."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self._items: deque[tuple[int, Any]] = deque(maxlen=capacity)
        self._lock = threading.Lock()
        self._seq = 0
        self._dropped = 0
        self._arrived = threading.Condition(self._lock)

    def offer(self, event: Any) -> None:
        """Append `event` (the bus listener); drops the oldest when full. Never blocks long."""
        with self._lock:
            if len(self._items) == self._items.maxlen:
                self._dropped += 1
            self._seq += 1
            self._items.append((self._seq, event))
            self._arrived.notify_all()

    def since(self, after: int) -> FeedBatch:
        """Events numbered above `after`, oldest first, and the drop count so far."""
        with self._lock:
            events = tuple(event for seq, event in self._items if seq > after)
            return FeedBatch(events=events, last_seq=self._seq, dropped=self._dropped)

    def wait(self, after: int, timeout: float) -> bool:
        """Block up to `timeout` s until an event numbered above `after` exists."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self._seq > after, timeout)

    @property
    def dropped(self) -> int:
        """Events lost to the bound."""
        with self._lock:
            return self._dropped
