"""The scorer's token cache: one fetch per TTL, a short TTL for tokens nobody knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from actors.token_cache import TokenFactsCache
from tests.pipeline.kit import START
from walltrack.clock import ManualClock
from walltrack.domain.scoring.token_factor import TokenFactorInputs


@dataclass
class CountingFacts:
    """A TokenFacts that knows one token and counts how often it is asked."""

    known: str
    calls: list[str] = field(default_factory=list)

    def facts(self, mint: str) -> TokenFactorInputs | None:
        self.calls.append(mint)
        if mint != self.known:
            return None
        return TokenFactorInputs(liquidity_usd=Decimal(len(self.calls)))


def test_figures_are_fetched_once_per_ttl() -> None:
    clock = ManualClock(START)
    source = CountingFacts(known="A")
    cache = TokenFactsCache(source, clock, ttl_s=60, miss_ttl_s=10)
    first = cache.facts("A")
    assert cache.facts("A") is first
    clock.advance(59)
    assert cache.facts("A") is first
    clock.advance(2)
    refreshed = cache.facts("A")
    assert refreshed.liquidity_usd == Decimal(2)
    assert source.calls == ["A", "A"]


def test_an_unknown_token_is_retried_after_the_short_ttl() -> None:
    clock = ManualClock(START)
    source = CountingFacts(known="A")
    cache = TokenFactsCache(source, clock, ttl_s=60, miss_ttl_s=10)
    assert cache.facts("B") == TokenFactorInputs()
    clock.advance(9)
    cache.facts("B")
    assert source.calls == ["B"]
    clock.advance(2)
    cache.facts("B")
    assert source.calls == ["B", "B"]
    assert cache.fetches == 2
