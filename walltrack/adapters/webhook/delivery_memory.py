"""What the webhook receiver remembers of signatures between the store's answers.

Why a memory beside the store: answering Helius' redeliveries from memory keeps PostgreSQL
off the hot path (RecentSignatures), and handing swaps on while their record is still
being written (the receiver's early hand-off) needs to know two more things:
- which signatures were handed on but not recorded yet (the store failed or is slow), so
  a retry is recorded without being handed on twice;
- that the memory holds the store's newest signatures (loaded once, at start or at the
  first delivery the store can answer), so a redelivery after a restart is a duplicate
  from memory, never handed on before the store could say so.
Only the event loop touches it, so it takes no lock.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Iterable

import structlog

from walltrack.adapters.webhook.recent_signatures import RecentSignatures
from walltrack.errors import WallTrackError

_log = structlog.get_logger(__name__)

UNRECORDED_KEPT = 50_000
"""Signatures handed on early whose record is unconfirmed, at most (a store down for long:
the oldest are forgotten; their retries are handed on again, which the ids derived from
the signature downstream make harmless)."""


class DeliveryMemory:
    """Recent signatures (warmed from the store) and those handed on before their record."""

    def __init__(self, capacity: int, load_newest: Callable[[int], list[str]]) -> None:
        self.recent = RecentSignatures(capacity)
        self._capacity = capacity
        self._load_newest = load_newest
        self._unrecorded: OrderedDict[str, None] = OrderedDict()
        self.warmed = False
        self._warming: asyncio.Task[None] | None = None

    def __contains__(self, signature: object) -> bool:
        return signature in self.recent

    def warm_up(self) -> asyncio.Task[None]:
        """Load the store's newest signatures (once; asked again after a failure)."""
        if self._warming is None:
            self._warming = asyncio.get_running_loop().create_task(self._load())
        return self._warming

    def close(self) -> None:
        if self._warming is not None:
            self._warming.cancel()

    async def _load(self) -> None:
        try:
            newest = await asyncio.to_thread(self._load_newest, self._capacity)
        except (WallTrackError, OSError) as error:
            _log.debug("webhook_recent_not_loaded", error=type(error).__name__)
            self._warming = None  # the next delivery asks again
            return
        for signature in reversed(newest):  # oldest first: the newest are kept longest
            self.recent.add(signature)
        self.warmed = True

    def claim_early(self, signatures: Iterable[str]) -> list[str]:
        """Of `signatures`, those not handed on yet; they count as handed on from now."""
        claimed = [s for s in signatures if s not in self._unrecorded]
        for signature in claimed:
            self._unrecorded[signature] = None
        while len(self._unrecorded) > UNRECORDED_KEPT:
            self._unrecorded.popitem(last=False)
        return claimed

    def recorded(self, signature: str, *, new: bool) -> bool:
        """The store answered for `signature`; whether to hand its swaps on now.

        Only the answer that recorded it (`new`) settles an early claim. Two writes of one
        signature (a late delivery and Helius' retry) can answer in either order, and the
        duplicate's answer must not take the claim from the one that recorded it, or the
        record would be handed on a second time. A claim whose record was made before a
        restart is never settled; it stays until UNRECORDED_KEPT pushes it out, and keeps
        a later redelivery from being handed on early again.
        """
        self.recent.add(signature)
        if not new:
            return False
        if signature in self._unrecorded:
            del self._unrecorded[signature]
            return False
        return True
