"""A PriceSource that asks its primary venue first and a fallback venue when that fails.

Why: the declared fallback for prices is DexScreener -> Birdeye. Open positions must keep
getting prices when the primary is down (breaker open), rate-limited, or simply has no
pair for a fresh token; each use of the fallback is counted in the metrics.
"""

from __future__ import annotations

import structlog

from walltrack.adapters.resilience import VenueMetrics
from walltrack.domain.venues import PriceQuote
from walltrack.errors import UpstreamError
from walltrack.ports import PriceSource

_log = structlog.get_logger(__name__)


class FallbackPriceSource:
    """Primary first; on an upstream failure or no price, the fallback."""

    def __init__(
        self,
        primary: PriceSource,
        fallback: PriceSource,
        *,
        metrics: VenueMetrics | None = None,
        name: str = "prices",
    ) -> None:
        self._primary = primary
        self._fallback = fallback
        self.metrics = metrics or VenueMetrics(name)

    async def price(self, mint: str) -> PriceQuote | None:
        """The primary's price, else the fallback's; the fallback's error if both fail."""
        try:
            quote = await self._primary.price(mint)
        except UpstreamError as error:
            _log.info("price_fallback_used", mint=mint, reason=type(error).__name__)
        else:
            if quote is not None and (quote.price_usd is not None or quote.price_sol is not None):
                return quote
            _log.info("price_fallback_used", mint=mint, reason="no_primary_price")
        self.metrics.fallback_used()
        return await self._fallback.price(mint)
