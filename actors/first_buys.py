"""Each tracked wallet's first buy of each token, indexed by time, for the ClusterActor.

Why an index: a new first buy is compared with the buyers of the same token in the last
few minutes (synced buys, amplification). Scanning every earlier buyer made each buy cost
as much as the token's whole buyer list, so a popular token slowed the actor
quadratically under load; a time-sorted list answers "who bought in [t - window, t]"
by bisection, whatever order the buys arrive in (a backfilled buy may be older).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Mapping
from datetime import datetime
from typing import Any


class FirstBuys:
    """mint -> wallet -> first buy time, with a time-sorted index per mint."""

    def __init__(self) -> None:
        self._at: dict[str, dict[str, datetime]] = {}
        self._sorted: dict[str, list[tuple[datetime, str]]] = {}

    def has(self, mint: str, wallet: str) -> bool:
        """Whether `wallet`'s first buy of `mint` is known."""
        return wallet in self._at.get(mint, {})

    def add(self, mint: str, wallet: str, at: datetime) -> None:
        """Record a first buy (the caller checked it is one)."""
        self._at.setdefault(mint, {})[wallet] = at
        insort(self._sorted.setdefault(mint, []), (at, wallet))

    def between(self, mint: str, since: datetime, until: datetime) -> list[tuple[datetime, str]]:
        """First buys of `mint` at times in [since, until], oldest first."""
        index = self._sorted.get(mint)
        if not index:
            return []
        low = bisect_left(index, (since, ""))
        high = bisect_right(index, (until, "\uffff"))
        return index[low:high]

    def after(self, mint: str, at: datetime) -> list[tuple[datetime, str]]:
        """First buys of `mint` later than `at`, oldest first."""
        index = self._sorted.get(mint, [])
        return index[bisect_right(index, (at, "\uffff")) :]

    def prune(self, horizon: datetime) -> None:
        """Forget tokens whose newest first buy is older than `horizon`."""
        for mint in [m for m, index in self._sorted.items() if index[-1][0] < horizon]:
            del self._sorted[mint]
            del self._at[mint]

    def to_json(self) -> dict[str, dict[str, str]]:
        """For the snapshot."""
        return {
            mint: {wallet: at.isoformat() for wallet, at in buyers.items()}
            for mint, buyers in self._at.items()
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Mapping[str, Any]]) -> FirstBuys:
        """Written by `to_json`."""
        restored = cls()
        for mint, buyers in data.items():
            for wallet, at in buyers.items():
                restored.add(mint, wallet, datetime.fromisoformat(at))
        return restored
