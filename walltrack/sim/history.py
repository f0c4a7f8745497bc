"""Backward paging through an address's transactions, as Helius and the RPC both do it.

Why one function: `before`/`until` semantics (exclusive bounds, newest first) must be the
same for `getSignaturesForAddress` and Helius' `/v0/addresses/{a}/transactions`, since a
client falls back from one to the other.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator

from walltrack.sim.events import ChainEvent
from walltrack.sim.market import Market


class UnknownSignatureError(ValueError):
    """A `before`/`until` cursor that is not a signature of this chain."""


def _seq_of(market: Market, signature: str | None) -> int | None:
    if signature is None:
        return None
    event = market.find(signature)
    if event is None:
        raise UnknownSignatureError(signature)
    return event.seq


def page(
    market: Market,
    address: str,
    *,
    before: str | None = None,
    until: str | None = None,
    limit: int,
    keep: Callable[[ChainEvent], bool] | None = None,
    newest_first: bool = True,
) -> list[ChainEvent]:
    """Up to `limit` events touching `address`, strictly between `until` and `before`."""
    seqs = market.events_for(address)
    high = _seq_of(market, before)
    low = _seq_of(market, until)
    stop = bisect_left(seqs, high) if high is not None else len(seqs)
    start = bisect_right(seqs, low) if low is not None else 0
    start = max(start, bisect_left(seqs, market.base_seq))
    order: Iterator[int] = (
        reversed(range(start, stop)) if newest_first else iter(range(start, stop))
    )
    event_at = market.event
    found: list[ChainEvent] = []
    for position in order:
        event = event_at(seqs[position])
        if keep is None or keep(event):
            found.append(event)
            if len(found) >= limit:
                break
    return found
