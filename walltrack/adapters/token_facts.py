"""Token figures for the scorer: the tokens table first, DexScreener pairs when unknown.

Why this order: the intel jobs keep the tokens table fresh (market data, holders, mint and
freeze authorities from RPC); a token first seen in a live buy is not there yet, so its
pairs are fetched from DexScreener with a short timeout on the loop the venue client
lives on. DexScreener gives no liquidity for a pump.fun bonding curve; a price source
that does (Birdeye reports twice the curve's real SOL) fills it in. The scorer's thread
waits at most `timeout_s`; past it, the figures are unknown (the token factor scores them
0 and the liquidity gate skips the trade: unknown is not safe) and the scorer's cache
retries after its miss TTL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Protocol

from walltrack.domain.records.wallets import TokenRecord
from walltrack.domain.scoring.token_factor import TokenFactorInputs
from walltrack.domain.venues import TokenPair
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger
from walltrack.ports import PriceSource, TokenDataSource

_log = get_logger("token_facts")


class TokenRows(Protocol):
    """The tokens table, read by mint (the PostgreSQL TokenRepository fits)."""

    def get(self, mint: str) -> TokenRecord | None:
        """The stored token, or None."""
        ...


def facts_from_pairs(mint: str, pairs: Sequence[TokenPair]) -> TokenFactorInputs | None:
    """Liquidity and volume summed over the token's pairs, the largest market cap, the
    earliest pair creation as launch time; None when no pair trades `mint`."""
    mine = [p for p in pairs if p.base_token.address == mint]
    if not mine:
        return None
    liquidity = [p.liquidity_usd for p in mine if p.liquidity_usd is not None]
    volume = [p.volume_h24_usd for p in mine if p.volume_h24_usd is not None]
    caps = [c for p in mine if (c := p.market_cap_usd or p.fdv_usd) is not None]
    created = [p.created_at for p in mine if p.created_at is not None]
    return TokenFactorInputs(
        liquidity_usd=sum(liquidity, Decimal(0)) if liquidity else None,
        market_cap_usd=max(caps) if caps else None,
        volume_24h_usd=sum(volume, Decimal(0)) if volume else None,
        launched_at=min(created) if created else None,
    )


class StoredTokenFacts:
    """`facts(mint)` from the tokens table, else from the venue within `timeout_s`."""

    def __init__(
        self,
        rows: TokenRows,
        venue: TokenDataSource | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        *,
        prices: PriceSource | None = None,
        timeout_s: float = 1.5,
    ) -> None:
        if (venue is None) != (loop is None):
            msg = "a venue needs the event loop it runs on (and a loop needs a venue)"
            raise ValueError(msg)
        self._rows = rows
        self._venue = venue
        self._loop = loop
        self._prices = prices
        self._timeout_s = timeout_s

    def facts(self, mint: str) -> TokenFactorInputs | None:
        """The token's figures, or None when neither the table nor the venue had them."""
        record = self._rows.get(mint)
        if record is not None:
            return TokenFactorInputs.from_record(record)
        if self._venue is None or self._loop is None:
            return None
        future = asyncio.run_coroutine_threadsafe(self._fetch(self._venue, mint), self._loop)
        try:
            return future.result(timeout=self._timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            _log.warning("token_facts_timed_out", mint=mint, timeout_s=self._timeout_s)
            return None
        except UpstreamError as error:
            _log.warning("token_facts_unavailable", mint=mint, error=type(error).__name__)
            return None

    async def _fetch(self, venue: TokenDataSource, mint: str) -> TokenFactorInputs | None:
        found = facts_from_pairs(mint, await venue.pairs_for_token(mint))
        if self._prices is None or (found is not None and found.liquidity_usd is not None):
            return found
        quote = await self._prices.price(mint)
        if quote is None or quote.liquidity_usd is None:
            return found
        return replace(found or TokenFactorInputs(), liquidity_usd=quote.liquidity_usd)
