"""A token seen for the first time never holds up the signals of other tokens: its
signals wait for its figures (parked), the others are scored and told at once."""

from __future__ import annotations

import threading
from datetime import timedelta

from tests.pipeline.kit import START, pipeline, seed_token, seed_wallet, swap
from walltrack.adapters.token_facts import StoredTokenFacts
from walltrack.domain.scoring.token_factor import TokenFactorInputs

SMART = "Smart1111111111111111111111111111111111111"
OTHER = "Other1111111111111111111111111111111111111"
SLOW_MINT = "Slow1111111111111111111111111111111111111111"
KNOWN_MINT = "Mint1111111111111111111111111111111111111111"


class SlowVenueFacts:
    """The tokens table, except one token whose venue call waits for the test."""

    def __init__(self, stored: StoredTokenFacts) -> None:
        self.stored = stored
        self.release = threading.Event()
        self.asked = threading.Event()

    def facts(self, mint: str) -> TokenFactorInputs | None:
        if mint == SLOW_MINT:
            self.asked.set()
            self.release.wait(30)
            return None
        return self.stored.facts(mint)


def test_a_slow_token_fetch_parks_only_that_tokens_signals(pg_dsn: str) -> None:
    slow: list[SlowVenueFacts] = []

    def tokens(stored: StoredTokenFacts) -> SlowVenueFacts:
        slow.append(SlowVenueFacts(stored))
        return slow[-1]

    with pipeline(pg_dsn, tracked=[SMART, OTHER], tokens=tokens) as p:
        seed_wallet(p.stores, SMART)
        seed_wallet(p.stores, OTHER)
        seed_token(p.stores, KNOWN_MINT)
        first = swap(SMART, SLOW_MINT, at=START)
        second = swap(OTHER, KNOWN_MINT, at=START + timedelta(seconds=1))
        third = swap(OTHER, SLOW_MINT, at=START + timedelta(seconds=2))
        p.submit(first)
        assert slow[0].asked.wait(20)
        p.submit(second)
        p.submit(third)
        [told] = p.wait_told(1)  # while the slow token's figures are still on their way
        assert told.swap_signature == second.signature
        slow[0].release.set()
        told_all = p.wait_told(3)
        # The parked signals follow in arrival order, scored with what the fetch found.
        assert [s.swap_signature for s in told_all] == [
            second.signature,
            first.signature,
            third.signature,
        ]
        assert told_all[1].result.skip_reason == "liquidity_unknown"
        assert len(p.signals()) == 3
