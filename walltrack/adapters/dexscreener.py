"""DexScreener client: token profiles, boosts, pairs, search, prices (api-formats.md §3).

Why: token discovery starts from DexScreener's profiles and boosts, and token safety and
scoring read liquidity, volume and age from its pairs. Its two rate limits (60/min for
profiles and boosts, 300/min for pair data) get a token bucket each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import httpx

from walltrack.adapters.json_fields import (
    arr,
    from_unix_ms,
    obj,
    opt_decimal,
    opt_float,
    opt_int,
    opt_str,
    req_str,
)
from walltrack.adapters.resilience import MetricsRegistry, RateLimit, VenueGuard, build_guard
from walltrack.adapters.venue_http import VenueHttp
from walltrack.domain.venues import (
    SOL_MINT,
    PriceQuote,
    TokenLink,
    TokenPair,
    TokenProfile,
    TokenRef,
)

VENUE = "dexscreener"
PROFILES_BUCKET = "profiles"
PAIRS_BUCKET = "pairs"
DEXSCREENER_LIMITS: Mapping[str, RateLimit] = {
    PROFILES_BUCKET: RateLimit(limit=60, window_s=60.0),
    PAIRS_BUCKET: RateLimit(limit=300, window_s=60.0),
    "default": RateLimit(limit=60, window_s=60.0),
}
MAX_TOKENS_PER_CALL = 30


class DexScreenerClient:
    """Read-only DexScreener API; profiles and boosts are filtered to one chain."""

    def __init__(
        self,
        *,
        base_url: str = "https://api.dexscreener.com",
        chain_id: str = "solana",
        client: httpx.AsyncClient | None = None,
        guard: VenueGuard | None = None,
        registry: MetricsRegistry | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.guard = guard or build_guard(VENUE, DEXSCREENER_LIMITS)
        if registry is not None:
            registry.register(self.guard.metrics)
        self.chain_id = chain_id
        self._http = VenueHttp(VENUE, base_url, client=client, timeout_s=timeout_s)

    async def aclose(self) -> None:
        """Release the connection pool (if this client created it)."""
        await self._http.aclose()

    async def _get(self, path: str, bucket: str, params: dict[str, Any] | None = None) -> Any:
        return await self.guard.call(
            lambda: self._http.request_json("GET", path, params=params), bucket=bucket
        )

    async def _profiles(self, path: str) -> tuple[TokenProfile, ...]:
        data = await self._get(path, PROFILES_BUCKET)
        items = [data] if isinstance(data, Mapping) else arr(data, VENUE, path)
        profiles = (parse_profile(item) for item in items)
        return tuple(p for p in profiles if p.chain_id == self.chain_id)

    async def latest_token_profiles(self) -> tuple[TokenProfile, ...]:
        """Newest token profiles on this chain."""
        return await self._profiles("/token-profiles/latest/v1")

    async def latest_boosts(self) -> tuple[TokenProfile, ...]:
        """Newest boosted tokens on this chain."""
        return await self._profiles("/token-boosts/latest/v1")

    async def top_boosts(self) -> tuple[TokenProfile, ...]:
        """Tokens with the most active boosts on this chain."""
        return await self._profiles("/token-boosts/top/v1")

    async def pairs_for_token(self, mint: str) -> tuple[TokenPair, ...]:
        """Every pool of a token, including pools where it is the quote token."""
        data = await self._get(f"/token-pairs/v1/{self.chain_id}/{mint}", PAIRS_BUCKET)
        return parse_pairs(data)

    async def pairs_for_tokens(self, mints: Sequence[str]) -> tuple[TokenPair, ...]:
        """The main pair(s) of each token, 30 tokens per request."""
        pairs: list[TokenPair] = []
        unique = list(dict.fromkeys(mints))
        for start in range(0, len(unique), MAX_TOKENS_PER_CALL):
            batch = ",".join(unique[start : start + MAX_TOKENS_PER_CALL])
            data = await self._get(f"/tokens/v1/{self.chain_id}/{batch}", PAIRS_BUCKET)
            pairs.extend(parse_pairs(data))
        return tuple(pairs)

    async def pair(self, pair_address: str) -> TokenPair | None:
        """One pair by its address, or None when unknown."""
        data = await self._get(f"/latest/dex/pairs/{self.chain_id}/{pair_address}", PAIRS_BUCKET)
        pairs = parse_pairs(data)
        return pairs[0] if pairs else None

    async def search_pairs(self, query: str) -> tuple[TokenPair, ...]:
        """Pairs matching a free-text query (name, symbol or address), all chains."""
        data = await self._get("/latest/dex/search", PAIRS_BUCKET, params={"q": query})
        return parse_pairs(data)

    async def price(self, mint: str) -> PriceQuote | None:
        """The token's price from its most liquid pair where it is the base token."""
        pairs = await self._get(f"/tokens/v1/{self.chain_id}/{mint}", PAIRS_BUCKET)
        return best_price(mint, parse_pairs(pairs))


def best_price(mint: str, pairs: Sequence[TokenPair]) -> PriceQuote | None:
    """A PriceQuote from the most liquid pair quoting `mint` as its base token."""
    candidates = [p for p in pairs if p.base_token.address == mint]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: (p.liquidity_usd or 0, p.volume_h24_usd or 0))
    return PriceQuote(
        mint=mint,
        source=VENUE,
        price_usd=best.price_usd,
        price_sol=best.price_native if best.quote_token.address == SOL_MINT else None,
        liquidity_usd=best.liquidity_usd,
    )


def parse_pairs(data: Any) -> tuple[TokenPair, ...]:
    """A bare array of pairs or a `{"schemaVersion", "pairs"|"pair"}` envelope."""
    if isinstance(data, Mapping):
        items = data.get("pairs")
        if items is None and isinstance(data.get("pair"), Mapping):
            items = [data["pair"]]
        data = items
    return tuple(parse_pair(item) for item in arr(data, VENUE, "pairs"))


def _window(data: Any, key: str) -> Any:
    return data.get(key) if isinstance(data, Mapping) else None


def _token(data: Any) -> TokenRef:
    token = obj(data, VENUE, "token")
    return TokenRef(
        address=req_str(token, "address", VENUE),
        name=opt_str(token.get("name")) or "",
        symbol=opt_str(token.get("symbol")) or "",
    )


def parse_pair(data: Any) -> TokenPair:
    """One Pair object; every optional window or figure may be missing."""
    pair = obj(data, VENUE, "pair")
    price_native = opt_decimal(pair.get("priceNative"))
    txns_h24 = _window(pair.get("txns"), "h24")
    boosts = pair.get("boosts")
    return TokenPair(
        chain_id=req_str(pair, "chainId", VENUE),
        dex_id=opt_str(pair.get("dexId")) or "",
        pair_address=req_str(pair, "pairAddress", VENUE),
        base_token=_token(pair.get("baseToken")),
        quote_token=_token(pair.get("quoteToken")),
        price_native=price_native if price_native is not None else Decimal(0),
        url=opt_str(pair.get("url")) or "",
        price_usd=opt_decimal(pair.get("priceUsd")),
        liquidity_usd=opt_decimal(_window(pair.get("liquidity"), "usd")),
        fdv_usd=opt_decimal(pair.get("fdv")),
        market_cap_usd=opt_decimal(pair.get("marketCap")),
        volume_h24_usd=opt_decimal(_window(pair.get("volume"), "h24")),
        buys_h24=opt_int(_window(txns_h24, "buys")),
        sells_h24=opt_int(_window(txns_h24, "sells")),
        price_change_h1=opt_float(_window(pair.get("priceChange"), "h1")),
        price_change_h24=opt_float(_window(pair.get("priceChange"), "h24")),
        created_at=from_unix_ms(pair.get("pairCreatedAt")),
        labels=tuple(str(label) for label in arr(pair.get("labels"), VENUE, "labels")),
        boosts_active=opt_int(_window(boosts, "active")) or 0,
    )


def parse_profile(data: Any) -> TokenProfile:
    """A TokenProfile or TokenBoost; links mix `{label, url}` and `{type, url}`."""
    profile = obj(data, VENUE, "profile")
    links = []
    for item in arr(profile.get("links"), VENUE, "links"):
        if isinstance(item, Mapping) and opt_str(item.get("url")):
            links.append(
                TokenLink(
                    url=str(item["url"]),
                    label=opt_str(item.get("label")),
                    kind=opt_str(item.get("type")),
                )
            )
    return TokenProfile(
        chain_id=req_str(profile, "chainId", VENUE),
        token_address=req_str(profile, "tokenAddress", VENUE),
        url=opt_str(profile.get("url")) or "",
        description=opt_str(profile.get("description")),
        icon=opt_str(profile.get("icon")),
        header=opt_str(profile.get("header")),
        links=tuple(links),
        boost_amount=opt_int(profile.get("amount")),
        boost_total_amount=opt_int(profile.get("totalAmount")),
    )
