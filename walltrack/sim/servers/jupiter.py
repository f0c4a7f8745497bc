"""The fake Jupiter Swap API v1 and Price API v3 (api-formats.md §2).

Why real transactions: `/swap` returns a genuine unsigned v0 VersionedTransaction (base64)
with the current blockhash; the client signs it with solders and sends it to the fake
RPC, which executes the order at the price of that moment, with the quote's slippage.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from aiohttp import web
from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.hash import Hash
from solders.message import MessageV0
from solders.null_signer import NullSigner
from solders.pubkey import Pubkey
from solders.transaction import VersionedTransaction

from walltrack.sim.constants import BPS, WSOL_MINT
from walltrack.sim.market_data import change_pct, liquidity_usd
from walltrack.sim.quotes import quote_route
from walltrack.sim.servers.context import SimServices
from walltrack.sim.servers.faults import FaultInjector, fault_middleware
from walltrack.sim.swap_ix import SwapOrder, build_swap_instruction
from walltrack.sim.tokens import SimToken

_LEVELS = {"medium": 50_000, "high": 200_000, "veryHigh": 1_000_000}
_DEFAULT_PRIORITY = 50_000
MAX_PRICE_IDS = 50


class QuoteError(Exception):
    """A 400 answer with Jupiter's `error` and optional `errorCode`."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.body = {"error": message} if code is None else {"error": message, "errorCode": code}


def _error_body(status: int) -> web.Response:
    text = "Rate limit exceeded" if status == 429 else "Internal Server Error"
    return web.json_response({"error": text}, status=status)


def _fraction(value: float) -> str:
    text = f"{max(value, 0.0):.12f}".rstrip("0").rstrip(".")
    return text or "0"


class Jupiter:
    """Handlers over the shared world."""

    def __init__(self, services: SimServices) -> None:
        self.s = services

    def _authorised(self, request: web.Request) -> bool:
        expected = self.s.api_keys.jupiter
        return expected is None or request.headers.get("x-api-key") == expected

    def _token(self, input_mint: str, output_mint: str) -> tuple[SimToken, bool]:
        if input_mint == output_mint:
            raise QuoteError("Circular arbitrage is disabled", "CIRCULAR_ARBITRAGE_IS_DISABLED")
        if WSOL_MINT not in (input_mint, output_mint):
            raise QuoteError("Could not find any route", "COULD_NOT_FIND_ANY_ROUTE")
        is_buy = input_mint == WSOL_MINT
        mint = output_mint if is_buy else input_mint
        token = self.s.world.market.tokens.get(mint)
        if token is None:
            raise QuoteError(f"The token {mint} is not tradable", "TOKEN_NOT_TRADABLE")
        return token, is_buy

    def quote(self, query: dict[str, str]) -> dict[str, Any]:
        """A quote object, or QuoteError."""
        try:
            input_mint, output_mint = query["inputMint"], query["outputMint"]
            amount = int(query["amount"])
            slippage = int(query.get("slippageBps", "50"))
        except (KeyError, ValueError):
            raise QuoteError("Query parameter inputMint, outputMint or amount is invalid") from None
        if amount <= 0 or not 0 <= slippage <= BPS:
            raise QuoteError("amount must be positive and slippageBps within 0..10000")
        if query.get("swapMode", "ExactIn") != "ExactIn":
            raise QuoteError("ExactOut is not supported by this market", "NOT_SUPPORTED")
        token, is_buy = self._token(input_mint, output_mint)
        started = time.perf_counter()
        route = quote_route(token, is_buy=is_buy, amount=amount)
        out, fee, spot = route.out, route.fee, route.spot_out
        if is_buy and token.pool is None and route.spent < amount:
            raise QuoteError(
                "Route plan does not consume all the amount",
                "ROUTE_PLAN_DOES_NOT_CONSUME_ALL_THE_AMOUNT",
            )
        if out <= 0:
            raise QuoteError("Could not find any route", "COULD_NOT_FIND_ANY_ROUTE")
        label = "Pump.fun Amm" if token.pool is not None else "Pump.fun"
        return {
            "inputMint": input_mint,
            "inAmount": str(amount),
            "outputMint": output_mint,
            "outAmount": str(out),
            "otherAmountThreshold": str(out * (BPS - slippage) // BPS),
            "swapMode": "ExactIn",
            "slippageBps": slippage,
            "platformFee": None,
            "priceImpactPct": _fraction(1.0 - out / spot if spot > 0 else 0.0),
            "routePlan": [
                {
                    "swapInfo": {
                        "ammKey": token.trading_address,
                        "label": label,
                        "inputMint": input_mint,
                        "outputMint": output_mint,
                        "inAmount": str(amount),
                        "outAmount": str(out),
                        "feeAmount": str(fee),
                        "feeMint": WSOL_MINT,
                    },
                    "percent": 100,
                    "bps": BPS,
                }
            ],
            "contextSlot": self.s.world.slot,
            "timeTaken": round(time.perf_counter() - started, 6),
            "swapUsdValue": f"{(amount if is_buy else out) / 1e9 * self.s.sol_usd:.4f}",
        }

    def swap(self, body: dict[str, Any]) -> dict[str, Any]:
        """A swap response with an unsigned transaction, or QuoteError."""
        quote = body.get("quoteResponse")
        if not isinstance(quote, dict):
            raise QuoteError("quoteResponse is required")
        try:
            user = Pubkey.from_string(str(body.get("userPublicKey", "")))
            amount_in = int(quote["inAmount"])
            min_out = int(quote["otherAmountThreshold"])
        except (KeyError, ValueError, TypeError):
            raise QuoteError("userPublicKey or quoteResponse is invalid") from None
        token, is_buy = self._token(str(quote.get("inputMint")), str(quote.get("outputMint")))
        order = SwapOrder(
            user=str(user),
            mint=token.mint,
            pool=token.trading_address,
            is_buy=is_buy,
            amount_in=amount_in,
            min_out=min_out,
        )
        ix = build_swap_instruction(order, self.s.world.market.keys.ata(str(user), token.mint))
        limit = 187_000 if body.get("dynamicComputeUnitLimit") else 200_000
        priority = _priority(body, limit)
        micro = priority * 1_000_000 // limit
        blockhash, last_valid = self.s.latest_blockhash()
        message = MessageV0.try_compile(
            user,
            [set_compute_unit_limit(limit), set_compute_unit_price(micro), ix],
            [],
            Hash.from_string(blockhash),
        )
        unsigned = VersionedTransaction(message, [NullSigner(user)])
        return {
            "swapTransaction": base64.b64encode(bytes(unsigned)).decode(),
            "lastValidBlockHeight": last_valid,
            "prioritizationFeeLamports": priority,
            "computeUnitLimit": limit,
            "prioritizationType": {
                "computeBudget": {"microLamports": micro, "estimatedMicroLamports": micro}
            },
            "dynamicSlippageReport": None,
            "simulationError": None,
        }

    def prices(self, ids: list[str]) -> dict[str, Any]:
        """Price v3: an object keyed by mint; unknown mints are omitted."""
        world = self.s.world
        sol_usd = self.s.sol_usd
        found: dict[str, Any] = {}
        for mint in ids[:MAX_PRICE_IDS]:
            if mint == WSOL_MINT:
                found[mint] = {
                    "usdPrice": sol_usd,
                    "liquidity": 621_679_197.67,
                    "blockId": world.slot,
                    "decimals": 9,
                    "priceChange24h": 0.0,
                    "createdAt": "2024-06-05T08:55:25.527Z",
                }
                continue
            token = world.market.tokens.get(mint)
            if token is None:
                continue
            created = world.datetime_at(token.launch_t).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            found[mint] = {
                "usdPrice": token.price() * sol_usd,
                "liquidity": round(liquidity_usd(token, sol_usd), 2),
                "blockId": world.slot,
                "decimals": 6,
                "priceChange24h": change_pct(token, world.now, 86400.0),
                "createdAt": created,
            }
        return found


def _priority(body: dict[str, Any], limit: int) -> int:
    if isinstance(body.get("computeUnitPriceMicroLamports"), int):
        return int(body["computeUnitPriceMicroLamports"]) * limit // 1_000_000
    value = body.get("prioritizationFeeLamports", _DEFAULT_PRIORITY)
    if isinstance(value, int) and not isinstance(value, bool):
        return max(value, 0)
    if isinstance(value, dict):
        level = value.get("priorityLevelWithMaxLamports")
        if isinstance(level, dict):
            wanted = _LEVELS.get(str(level.get("priorityLevel")), _DEFAULT_PRIORITY)
            return min(wanted, int(level.get("maxLamports", wanted)))
        for key in ("jitoTipLamports",):
            if isinstance(value.get(key), int):
                return int(value[key])
    return _DEFAULT_PRIORITY


def jupiter_app(services: SimServices, injector: FaultInjector) -> web.Application:
    """The Jupiter app: `/swap/v1/{quote,swap}` (also `/v6/...`) and `/price/v3`."""
    api = Jupiter(services)

    async def quote(request: web.Request) -> web.Response:
        if not api._authorised(request):
            return web.json_response({"error": "Unauthorized"}, status=401)
        try:
            return web.json_response(api.quote(dict(request.query)))
        except QuoteError as error:
            return web.json_response(error.body, status=400)

    async def swap(request: web.Request) -> web.Response:
        if not api._authorised(request):
            return web.json_response({"error": "Unauthorized"}, status=401)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "body must be JSON"}, status=400)
        try:
            return web.json_response(api.swap(body if isinstance(body, dict) else {}))
        except QuoteError as error:
            return web.json_response(error.body, status=400)

    async def price(request: web.Request) -> web.Response:
        if not api._authorised(request):
            return web.json_response({"error": "Unauthorized"}, status=401)
        ids = [i for i in request.query.get("ids", "").split(",") if i]
        if not ids:
            return web.json_response({"error": "ids is required"}, status=400)
        return web.json_response(api.prices(ids))

    app = web.Application(
        middlewares=[fault_middleware(injector, _error_body, ratelimit_headers=True)]
    )
    for prefix in ("/swap/v1", "/v6", ""):
        app.router.add_get(f"{prefix}/quote", quote)
        app.router.add_post(f"{prefix}/swap", swap)
    app.router.add_get("/price/v3", price)
    return app
