"""Birdeye price client: the fallback when DexScreener cannot price a token (api-formats.md §4).

Why: a position's exits depend on a price. When DexScreener is down, rate-limited or has no
pair yet, Birdeye's `/defi/price` still answers; a missing price is None, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import structlog

from walltrack.adapters.json_fields import from_unix_s, obj, opt_decimal
from walltrack.adapters.resilience import MetricsRegistry, RateLimit, VenueGuard, build_guard
from walltrack.adapters.venue_http import VenueHttp
from walltrack.domain.venues import PriceQuote

VENUE = "birdeye"
DEFAULT_BIRDEYE_RATE_LIMIT = RateLimit(limit=60, window_s=60.0)
_log = structlog.get_logger(__name__)


class BirdeyeClient:
    """Birdeye public API, price endpoint only."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = "https://public-api.birdeye.so",
        chain: str = "solana",
        client: httpx.AsyncClient | None = None,
        guard: VenueGuard | None = None,
        registry: MetricsRegistry | None = None,
        rate_limit: RateLimit = DEFAULT_BIRDEYE_RATE_LIMIT,
        timeout_s: float = 10.0,
    ) -> None:
        self.guard = guard or build_guard(VENUE, rate_limit)
        if registry is not None:
            registry.register(self.guard.metrics)
        self._http = VenueHttp(
            VENUE,
            base_url,
            client=client,
            timeout_s=timeout_s,
            headers={"X-API-KEY": api_key, "x-chain": chain},
            credentials_variable="WALLTRACK_BIRDEYE_API_KEY",
        )

    async def aclose(self) -> None:
        """Release the connection pool (if this client created it)."""
        await self._http.aclose()

    async def price(self, mint: str) -> PriceQuote | None:
        """The USD (and SOL, when given) price of `mint`, or None when Birdeye has none."""
        params: dict[str, str | bool] = {"address": mint, "include_liquidity": True}
        data = await self.guard.call(
            lambda: self._http.request_json("GET", "/defi/price", params=params)
        )
        return parse_price(mint, data)


def parse_price(mint: str, data: Any) -> PriceQuote | None:
    """The `{"success", "data"}` envelope of /defi/price."""
    envelope = obj(data, VENUE, "price envelope")
    if envelope.get("success") is not True:
        _log.info("birdeye_price_missing", mint=mint, message=str(envelope.get("message", ""))[:80])
        return None
    body = envelope.get("data")
    if not isinstance(body, Mapping):
        return None
    price = opt_decimal(body.get("value"))
    if price is None:
        return None
    return PriceQuote(
        mint=mint,
        source=VENUE,
        price_usd=price,
        price_sol=opt_decimal(body.get("priceInNative")),
        liquidity_usd=opt_decimal(body.get("liquidity")),
        observed_at=from_unix_s(body.get("updateUnixTime")),
    )
