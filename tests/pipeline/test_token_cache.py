"""The scorer's token cache: fetched off the caller's thread, one fetch per TTL, stale
figures served while they refresh, a short TTL for tokens nobody knows."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from actors.token_cache import TokenFactsCache, TokenFactsFetched
from tests.pipeline.kit import START
from walltrack.clock import ManualClock
from walltrack.domain.scoring.token_factor import TokenFactorInputs


@dataclass
class CountingFacts:
    """A TokenFacts that knows one token, counts its calls, and can be held up."""

    known: str
    calls: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.release.set()

    def facts(self, mint: str) -> TokenFactorInputs | None:
        self.release.wait(30)
        self.calls.append(mint)
        if mint != self.known:
            return None
        return TokenFactorInputs(liquidity_usd=Decimal(len(self.calls)))


class Inbox:
    """Where the cache delivers its answers (the scorer's mailbox in production)."""

    def __init__(self) -> None:
        self.delivered: queue.SimpleQueue[TokenFactsFetched] = queue.SimpleQueue()

    def __call__(self, fetched: TokenFactsFetched) -> None:
        self.delivered.put(fetched)

    def next(self) -> TokenFactsFetched:
        return self.delivered.get(timeout=30)


def test_figures_are_fetched_once_per_ttl_and_served_stale_while_refreshing() -> None:
    clock = ManualClock(START)
    source, inbox = CountingFacts(known="A"), Inbox()
    cache = TokenFactsCache(source, clock, inbox, ttl_s=60, miss_ttl_s=10)
    assert cache.cached("A") is None  # never fetched: the caller parks and fetches
    cache.fetch("A")
    cache.fetch("A")  # already running: not fetched twice
    first = cache.arrived(inbox.next())
    assert first.liquidity_usd == Decimal(1)
    clock.advance(59)
    assert cache.cached("A") is first
    clock.advance(2)
    assert cache.cached("A") is first  # expired: still served, refreshed behind it
    assert cache.arrived(inbox.next()).liquidity_usd == Decimal(2)
    assert cache.cached("A") == TokenFactorInputs(liquidity_usd=Decimal(2))
    assert source.calls == ["A", "A"]
    assert cache.fetches == 2
    cache.close()


def test_an_unknown_token_is_retried_after_the_short_ttl() -> None:
    clock = ManualClock(START)
    source, inbox = CountingFacts(known="A"), Inbox()
    cache = TokenFactsCache(source, clock, inbox, ttl_s=60, miss_ttl_s=10)
    cache.fetch("B")
    assert cache.arrived(inbox.next()) == TokenFactorInputs()
    clock.advance(9)
    cache.cached("B")
    clock.advance(2)
    cache.cached("B")
    cache.arrived(inbox.next())
    assert source.calls == ["B", "B"]
    cache.close()


def test_settle_waits_for_the_fetches_still_running() -> None:
    clock = ManualClock(START)
    source, inbox = CountingFacts(known="A"), Inbox()
    source.release.clear()
    cache = TokenFactsCache(source, clock, inbox, ttl_s=60)
    cache.fetch("A")
    cache.fetch("C")
    assert source.calls == []  # both held up by the venue
    source.release.set()
    settled = cache.settle()
    assert sorted(f.mint for f in settled) == ["A", "C"]
    held = cache.cached("A")
    assert held is not None
    assert held.liquidity_usd in {Decimal(1), Decimal(2)}  # whichever fetch ran first
    assert cache.cached("C") == TokenFactorInputs()  # known as unknown, not "never fetched"
    assert cache.settle() == []
    cache.close()
