"""The in-process memory of recently seen signatures, in front of the durable store.

Why: Helius redelivers within minutes (3 retries, 1 minute apart) and sometimes sends one
transaction twice; answering those from memory keeps PostgreSQL off the hot path. Eviction
is by first sighting (oldest out), not by last use: a signature's duplicates arrive within
minutes of its first delivery, so refreshing it on a hit would only keep stale entries.
Only the event loop thread touches it, so it takes no lock.
"""

from __future__ import annotations

from collections import OrderedDict

DEFAULT_CAPACITY = 200_000
"""About 40 MB; at 1,000 events/s it still covers Helius' 3-minute retry horizon."""


class RecentSignatures:
    """A bounded set of signatures that forgets the oldest first."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            msg = "capacity must be at least 1"
            raise ValueError(msg)
        self._capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, signature: object) -> bool:
        return signature in self._seen

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, signature: str) -> None:
        """Remember `signature`, forgetting the oldest one when full."""
        if signature in self._seen:
            return
        self._seen[signature] = None
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
