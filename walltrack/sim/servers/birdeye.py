"""The fake Birdeye price API (api-formats.md §4), the price fallback of DexScreener.

Why `success: false` for unknown tokens: Birdeye answers in an envelope; a missing price
is data, not a transport error.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from walltrack.sim.constants import WSOL_MINT
from walltrack.sim.market_data import change_pct, liquidity_usd
from walltrack.sim.servers.context import SimServices
from walltrack.sim.servers.faults import FaultInjector, fault_middleware


def _error_body(status: int) -> web.Response:
    message = "Too many requests" if status == 429 else "Internal server error"
    return web.json_response({"success": False, "message": message}, status=status)


class Birdeye:
    """Handlers over the shared world."""

    def __init__(self, services: SimServices) -> None:
        self.s = services

    def _authorised(self, request: web.Request) -> bool:
        expected = self.s.api_keys.birdeye
        return expected is None or request.headers.get("X-API-KEY") == expected

    def _price(self, mint: str, with_liquidity: bool) -> dict[str, Any] | None:
        world = self.s.world
        sol_usd = self.s.sol_usd
        now_unix = world.market.genesis_unix + int(world.now)
        human = world.datetime_at(world.now).strftime("%Y-%m-%dT%H:%M:%S")
        if mint == WSOL_MINT:
            return {
                "isScaledUiToken": False,
                "value": sol_usd,
                "updateUnixTime": now_unix,
                "updateHumanTime": human,
                "priceChange24h": 0.0,
                "priceInNative": 1.0,
            }
        token = world.market.tokens.get(mint)
        if token is None:
            return None
        body: dict[str, Any] = {
            "isScaledUiToken": False,
            "value": token.price() * sol_usd,
            "updateUnixTime": now_unix,
            "updateHumanTime": human,
            "priceChange24h": change_pct(token, world.now, 86400.0),
            "priceInNative": token.price(),
        }
        if with_liquidity:
            body["liquidity"] = round(liquidity_usd(token, sol_usd), 2)
        return body

    async def price(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"success": False, "message": "Unauthorized"}, status=401)
        mint = request.query.get("address", "")
        with_liquidity = request.query.get("include_liquidity", "false").lower() == "true"
        data = self._price(mint, with_liquidity)
        if data is None:
            return web.json_response({"success": False, "message": "Token not found"})
        return web.json_response({"success": True, "data": data})

    async def multi_price(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"success": False, "message": "Unauthorized"}, status=401)
        mints = [m for m in request.query.get("list_address", "").split(",") if m][:100]
        data = {m: self._price(m, True) for m in mints}
        return web.json_response({"success": True, "data": {m: v for m, v in data.items() if v}})


def birdeye_app(services: SimServices, injector: FaultInjector) -> web.Application:
    """The Birdeye app (base URL replaces https://public-api.birdeye.so)."""
    api = Birdeye(services)
    app = web.Application(middlewares=[fault_middleware(injector, _error_body)])
    app.router.add_get("/defi/price", api.price)
    app.router.add_get("/defi/multi_price", api.multi_price)
    return app
