"""The scorer's cache of token figures, with a time to live.

Why: the token factor needs liquidity, market cap, holders, volume and authorities for
every signal, and a burst of buys usually hits one token; fetching once per TTL keeps the
scorer's mailbox moving. A miss is answered by the `TokenFacts` port, which is bounded in
time (store read, venue call with a short timeout); "nothing found" is cached for a short
time too so a token the venues do not know does not stall every signal on it.
"""

from __future__ import annotations

from walltrack.domain.scoring.token_factor import TokenFactorInputs
from walltrack.pipeline_ports import TokenFacts
from walltrack.ports import Clock

DEFAULT_TTL_S = 60.0
MISS_TTL_S = 10.0
MAX_ENTRIES = 10_000


class TokenFactsCache:
    """`facts(mint)`: cached figures, refetched after `ttl_s` (monotonic time)."""

    def __init__(
        self,
        source: TokenFacts,
        clock: Clock,
        ttl_s: float = DEFAULT_TTL_S,
        miss_ttl_s: float = MISS_TTL_S,
    ) -> None:
        self._source = source
        self._clock = clock
        self._ttl_s = ttl_s
        self._miss_ttl_s = miss_ttl_s
        self._entries: dict[str, tuple[float, TokenFactorInputs]] = {}
        self.fetches = 0

    def facts(self, mint: str) -> TokenFactorInputs:
        """The token's figures (all unknown when nothing could be fetched)."""
        now = self._clock.monotonic()
        entry = self._entries.get(mint)
        if entry is not None and entry[0] > now:
            return entry[1]
        self.fetches += 1
        found = self._source.facts(mint)
        ttl = self._ttl_s if found is not None else self._miss_ttl_s
        inputs = found if found is not None else TokenFactorInputs()
        if len(self._entries) >= MAX_ENTRIES:
            self._entries = {m: e for m, e in self._entries.items() if e[0] > now}
        self._entries[mint] = (now + ttl, inputs)
        return inputs
