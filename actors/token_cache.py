"""The scorer's cache of token figures: fetched off the scorer's thread, with a time to live.

Why: the token factor needs liquidity, market cap, holders, volume and authorities for
every signal, and a burst of buys usually hits one token; fetching once per TTL keeps the
scorer's mailbox moving. Why off the thread: a token first seen costs a store read and a
venue call (up to the `TokenFacts` port's timeout); done in the scorer, every signal
behind it, of any token, would wait. So a fetch runs on a small pool and its answer comes
back as a message; only the signals of that token wait for it (the scorer parks them).
An expired entry is still served while its refresh runs (figures at most one fetch late);
"nothing found" is cached for a short time so an unknown token is not refetched per buy.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass

from walltrack.domain.scoring.token_factor import TokenFactorInputs
from walltrack.logging import get_logger
from walltrack.pipeline_ports import TokenFacts
from walltrack.ports import Clock

DEFAULT_TTL_S = 60.0
MISS_TTL_S = 10.0
MAX_ENTRIES = 10_000
FETCH_WORKERS = 4
_log = get_logger("token_cache")


@dataclass(frozen=True, slots=True)
class TokenFactsFetched:
    """A fetch finished (told to the scorer): `found` is None when nothing was known."""

    mint: str
    found: TokenFactorInputs | None


type Deliver = Callable[[TokenFactsFetched], None]


class TokenFactsCache:
    """`cached(mint)` answers at once; `fetch(mint)` starts a fetch whose answer is
    delivered as `TokenFactsFetched` and stored with `arrived`."""

    def __init__(
        self,
        source: TokenFacts,
        clock: Clock,
        deliver: Deliver,
        *,
        ttl_s: float = DEFAULT_TTL_S,
        miss_ttl_s: float = MISS_TTL_S,
        workers: int = FETCH_WORKERS,
    ) -> None:
        self._source = source
        self._clock = clock
        self._deliver = deliver
        self._ttl_s = ttl_s
        self._miss_ttl_s = miss_ttl_s
        self._entries: dict[str, tuple[float, TokenFactorInputs]] = {}
        self._inflight: dict[str, concurrent.futures.Future[TokenFactorInputs | None]] = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, "token-facts")
        self.fetches = 0

    def cached(self, mint: str) -> TokenFactorInputs | None:
        """The figures held for `mint` (None: never fetched); an expired entry is
        returned as it is and refreshed in the background."""
        entry = self._entries.get(mint)
        if entry is None:
            return None
        if entry[0] <= self._clock.monotonic():
            self.fetch(mint)
        return entry[1]

    def fetch(self, mint: str) -> None:
        """Start fetching `mint` unless a fetch of it is already running."""
        if mint in self._inflight:
            return
        self.fetches += 1
        future = self._pool.submit(self._source.facts, mint)
        self._inflight[mint] = future
        future.add_done_callback(lambda done: self._deliver(_fetched(mint, done)))

    def arrived(self, fetched: TokenFactsFetched) -> TokenFactorInputs:
        """Store a fetch's answer (on the scorer's thread); the figures to score with."""
        self._inflight.pop(fetched.mint, None)
        now = self._clock.monotonic()
        found = fetched.found
        ttl = self._ttl_s if found is not None else self._miss_ttl_s
        inputs = found if found is not None else TokenFactorInputs()
        if len(self._entries) >= MAX_ENTRIES:
            self._entries = {m: e for m, e in self._entries.items() if e[0] > now}
        self._entries[fetched.mint] = (now + ttl, inputs)
        return inputs

    def settle(self) -> list[TokenFactsFetched]:
        """Wait for every running fetch and store its answer (a Ping's "all done")."""
        arrived = []
        while self._inflight:
            mint, future = next(iter(self._inflight.items()))
            fetched = _fetched(mint, future)  # waits; the source's timeout bounds it
            self.arrived(fetched)
            arrived.append(fetched)
        return arrived

    def close(self) -> None:
        """Stop the fetch threads; answers still running are dropped."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _fetched(
    mint: str, future: concurrent.futures.Future[TokenFactorInputs | None]
) -> TokenFactsFetched:
    """The answer of a finished (or awaited) fetch; an error counts as nothing found."""
    try:
        return TokenFactsFetched(mint, future.result())
    except concurrent.futures.CancelledError:
        return TokenFactsFetched(mint, None)
    except Exception as error:  # the port answers None on outages; anything else is a bug
        _log.error("token_facts_failed", mint=mint, error=type(error).__name__)
        return TokenFactsFetched(mint, None)
