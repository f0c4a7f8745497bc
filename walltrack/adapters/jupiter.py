"""Jupiter client: quotes, unsigned swap transactions and prices (api-formats.md §2).

Why: live entries and exits are Jupiter swaps. The quote is kept verbatim (Jupiter wants it
back unchanged at /swap) next to the typed view WallTrack reads. Jupiter's refusals become
RejectedByVenueError with Jupiter's own `errorCode`, so the order state machine can tell
"no route" from "Jupiter is down" (UpstreamError) and "slow down" (RateLimitedError).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import httpx

from walltrack.adapters.json_fields import (
    MalformedResponseError,
    arr,
    obj,
    opt_decimal,
    opt_int,
    opt_str,
    req_int,
    req_str,
)
from walltrack.adapters.resilience import MetricsRegistry, RateLimit, VenueGuard, build_guard
from walltrack.adapters.venue_http import VenueHttp
from walltrack.domain.venues import PriceQuote, Quote, RouteStep, SwapTransaction
from walltrack.errors import RejectedByVenueError, WallTrackError

VENUE = "jupiter"
DEFAULT_JUPITER_RATE_LIMIT = RateLimit(limit=60, window_s=60.0)
"""Free plan: 1 request/s over a 60 s window (api-formats.md §2.8); configurable."""
MAX_PRICE_IDS = 50

type PriorityFee = int | str | Mapping[str, Any]
"""`prioritizationFeeLamports`: lamports, "auto" or one of Jupiter's fee objects."""


def jupiter_client_error(response: httpx.Response, where: str) -> WallTrackError:
    """A 4xx from Jupiter: its `errorCode` when given, else a generic refusal code."""
    try:
        body = response.json()
    except ValueError:
        body = None
    fields: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    message = str(fields.get("error") or fields.get("message") or response.text)[:200]
    code = fields.get("errorCode")
    if code is not None and str(code):
        return RejectedByVenueError(VENUE, str(code), message)
    if response.status_code == 404:
        return RejectedByVenueError(VENUE, "NOT_FOUND", f"{where}: {message}")
    return RejectedByVenueError(VENUE, "BAD_REQUEST", f"{where}: {message}")


class JupiterClient:
    """Jupiter Metis swap API (v1 shapes) and Price API v3; base URL and key configurable."""

    def __init__(
        self,
        *,
        base_url: str = "https://lite-api.jup.ag",
        api_key: str | None = None,
        client: httpx.AsyncClient | None = None,
        guard: VenueGuard | None = None,
        registry: MetricsRegistry | None = None,
        rate_limit: RateLimit = DEFAULT_JUPITER_RATE_LIMIT,
        quote_timeout_s: float = 5.0,
        swap_timeout_s: float = 30.0,
        swap_path: str = "/swap/v1",
        price_path: str = "/price/v3",
    ) -> None:
        self.guard = guard or build_guard(VENUE, rate_limit)
        if registry is not None:
            registry.register(self.guard.metrics)
        self._http = VenueHttp(
            VENUE,
            base_url,
            client=client,
            timeout_s=swap_timeout_s,
            headers={"x-api-key": api_key} if api_key else None,
            credentials_variable="WALLTRACK_JUPITER_API_KEY",
            client_error=jupiter_client_error,
        )
        self._quote_timeout_s = quote_timeout_s
        self._swap_timeout_s = swap_timeout_s
        self._swap_path = swap_path.rstrip("/")
        self._price_path = price_path.rstrip("/")

    async def aclose(self) -> None:
        """Release the connection pool (if this client created it)."""
        await self._http.aclose()

    async def quote(
        self,
        *,
        input_mint: str,
        output_mint: str,
        amount: int,
        slippage_bps: int = 100,
        swap_mode: str = "ExactIn",
        only_direct_routes: bool = False,
        restrict_intermediate_tokens: bool = True,
        dexes: Sequence[str] = (),
        exclude_dexes: Sequence[str] = (),
    ) -> Quote:
        """The best route for `amount` raw units (input for ExactIn, output for ExactOut)."""
        params: dict[str, Any] = {
            "inputMint": input_mint,
            "outputMint": output_mint,
            "amount": amount,
            "slippageBps": slippage_bps,
            "swapMode": swap_mode,
            "onlyDirectRoutes": only_direct_routes,
            "restrictIntermediateTokens": restrict_intermediate_tokens,
            "dexes": ",".join(dexes) or None,
            "excludeDexes": ",".join(exclude_dexes) or None,
        }
        path = f"{self._swap_path}/quote"
        data = await self.guard.call(
            lambda: self._http.request_json(
                "GET", path, params=params, timeout_s=self._quote_timeout_s
            )
        )
        return parse_quote(data)

    async def swap(
        self,
        quote: Quote,
        *,
        user_public_key: str,
        wrap_and_unwrap_sol: bool = True,
        dynamic_compute_unit_limit: bool = True,
        prioritization_fee_lamports: PriorityFee | None = None,
        dynamic_slippage: bool = False,
    ) -> SwapTransaction:
        """An unsigned v0 transaction executing `quote` for `user_public_key`."""
        body: dict[str, Any] = {
            "userPublicKey": user_public_key,
            "quoteResponse": json.loads(quote.raw_json),
            "wrapAndUnwrapSol": wrap_and_unwrap_sol,
            "dynamicComputeUnitLimit": dynamic_compute_unit_limit,
            "dynamicSlippage": dynamic_slippage,
        }
        if prioritization_fee_lamports is not None:
            body["prioritizationFeeLamports"] = prioritization_fee_lamports
        path = f"{self._swap_path}/swap"
        data = await self.guard.call(
            lambda: self._http.request_json(
                "POST", path, json_body=body, timeout_s=self._swap_timeout_s
            )
        )
        return parse_swap(data)

    async def prices(self, mints: Sequence[str]) -> dict[str, PriceQuote]:
        """USD prices by mint (50 ids per request); mints without a reliable price are absent."""
        found: dict[str, PriceQuote] = {}
        unique = list(dict.fromkeys(mints))
        for start in range(0, len(unique), MAX_PRICE_IDS):
            ids = ",".join(unique[start : start + MAX_PRICE_IDS])
            data = await self.guard.call(
                lambda ids=ids: self._http.request_json(  # type: ignore[misc]
                    "GET", self._price_path, params={"ids": ids}, timeout_s=self._quote_timeout_s
                )
            )
            found.update(parse_prices(data))
        return found

    async def price(self, mint: str) -> PriceQuote | None:
        """The USD price of one mint, or None when Jupiter has no reliable price."""
        return (await self.prices([mint])).get(mint)


def parse_quote(data: Any) -> Quote:
    """A /quote response; the untouched JSON travels along for /swap."""
    quote = obj(data, VENUE, "quote")
    route = []
    for item in arr(quote.get("routePlan"), VENUE, "routePlan"):
        step = obj(item, VENUE, "route step")
        info = obj(step.get("swapInfo"), VENUE, "swapInfo")
        route.append(
            RouteStep(
                amm_key=opt_str(info.get("ammKey")) or "",
                label=opt_str(info.get("label")) or "",
                input_mint=req_str(info, "inputMint", VENUE),
                output_mint=req_str(info, "outputMint", VENUE),
                in_amount=req_int(info, "inAmount", VENUE),
                out_amount=req_int(info, "outAmount", VENUE),
                percent=opt_int(step.get("percent")) or 100,
            )
        )
    return Quote(
        input_mint=req_str(quote, "inputMint", VENUE),
        output_mint=req_str(quote, "outputMint", VENUE),
        in_amount=req_int(quote, "inAmount", VENUE),
        out_amount=req_int(quote, "outAmount", VENUE),
        other_amount_threshold=req_int(quote, "otherAmountThreshold", VENUE),
        swap_mode=opt_str(quote.get("swapMode")) or "ExactIn",
        slippage_bps=req_int(quote, "slippageBps", VENUE),
        price_impact_pct=opt_decimal(quote.get("priceImpactPct")) or Decimal(0),
        route=tuple(route),
        context_slot=opt_int(quote.get("contextSlot")),
        raw_json=json.dumps(quote, separators=(",", ":")),
    )


def parse_swap(data: Any) -> SwapTransaction:
    """A /swap response; a simulation error or an empty transaction is a refusal."""
    swap = obj(data, VENUE, "swap")
    simulation_error = swap.get("simulationError")
    if simulation_error:
        details = simulation_error if isinstance(simulation_error, Mapping) else {}
        code = opt_str(details.get("errorCode")) or "SIMULATION_ERROR"
        raise RejectedByVenueError(VENUE, code, str(details.get("error") or simulation_error))
    transaction = swap.get("swapTransaction")
    if not isinstance(transaction, str) or not transaction:
        code = opt_str(swap.get("errorCode")) or "EMPTY_TRANSACTION"
        raise RejectedByVenueError(VENUE, code, "swap returned no transaction")
    height = opt_int(swap.get("lastValidBlockHeight"))
    if height is None:
        raise MalformedResponseError(VENUE, "swap: lastValidBlockHeight missing")
    return SwapTransaction(
        transaction_base64=transaction,
        last_valid_block_height=height,
        prioritization_fee_lamports=opt_int(swap.get("prioritizationFeeLamports")) or 0,
        compute_unit_limit=opt_int(swap.get("computeUnitLimit")),
    )


def parse_prices(data: Any) -> dict[str, PriceQuote]:
    """A Price API v3 response: an object keyed by mint."""
    prices: dict[str, PriceQuote] = {}
    for mint, item in obj(data, VENUE, "prices").items():
        if not isinstance(item, Mapping):
            continue
        price = opt_decimal(item.get("usdPrice"))
        if price is None:
            continue
        prices[mint] = PriceQuote(
            mint=mint,
            source=VENUE,
            price_usd=price,
            liquidity_usd=opt_decimal(item.get("liquidity")),
        )
    return prices
