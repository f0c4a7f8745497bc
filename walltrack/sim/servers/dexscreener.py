"""The fake DexScreener API (api-formats.md §3): profiles, boosts, pairs and search.

Why the real quirks: bare arrays for `/tokens/v1` and `/token-pairs/v1`, a
`{"schemaVersion","pairs"}` envelope for `/latest/dex/*`, other chains mixed into the
profile feeds, string prices and millisecond timestamps: clients must cope with all of it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from walltrack.sim.market_data import decoy_profile, pair, profile
from walltrack.sim.servers.context import SimServices
from walltrack.sim.servers.faults import FaultInjector, fault_middleware
from walltrack.sim.tokens import SimToken

FEED_SIZE = 30
MAX_ADDRESSES = 30
SCHEMA = "1.0.0"


def _error_body(status: int) -> web.Response:
    return web.json_response(
        {"error": "Too Many Requests" if status == 429 else "Server error"}, status=status
    )


class DexScreener:
    """Handlers over the shared world."""

    def __init__(self, services: SimServices) -> None:
        self.s = services

    def _pair(self, token: SimToken, *, on_curve: bool) -> dict[str, Any]:
        world = self.s.world
        return pair(
            token,
            now=world.now,
            sol_usd=self.s.sol_usd,
            genesis_unix=world.market.genesis_unix,
            on_curve=on_curve,
        )

    def _pairs_of(self, token: SimToken, *, all_pools: bool) -> list[dict[str, Any]]:
        if token.pool is None:
            return [self._pair(token, on_curve=True)]
        main = [self._pair(token, on_curve=False)]
        return [*main, self._pair(token, on_curve=True)] if all_pools else main

    def _tokens(self, addresses: str) -> list[SimToken]:
        tokens = self.s.world.market.tokens
        found = [tokens.get(a) for a in addresses.split(",")[:MAX_ADDRESSES]]
        return [t for t in found if t is not None]

    def _promoted(self, *, boosted: bool) -> list[SimToken]:
        now = self.s.world.now
        live = [
            t
            for t in self.s.world.market.token_list
            if t.script.profile_tau is not None
            and now >= t.launch_t + t.script.profile_tau
            and (t.script.boost_amount > 0 or not boosted)
        ]
        live.sort(key=lambda t: t.launch_t + (t.script.profile_tau or 0.0), reverse=True)
        return live

    def _feed(self, tokens: list[SimToken], *, boosted: bool) -> list[dict[str, Any]]:
        feed: list[dict[str, Any]] = []
        for token in tokens[:FEED_SIZE]:
            feed.append(profile(token, boosted=boosted))
            if token.index % 4 == 0:
                feed.append(decoy_profile(token.index, boosted=boosted))
        return feed[:FEED_SIZE]

    async def profiles_latest(self, _: web.Request) -> web.Response:
        return web.json_response(self._feed(self._promoted(boosted=False), boosted=False))

    async def boosts_latest(self, _: web.Request) -> web.Response:
        return web.json_response(self._feed(self._promoted(boosted=True), boosted=True))

    async def boosts_top(self, _: web.Request) -> web.Response:
        now = self.s.world.now
        tokens = [t for t in self._promoted(boosted=True) if now < t.launch_t + t.script.end_tau]
        tokens.sort(
            key=lambda t: (t.script.boost_amount * (1 + t.index % 3), t.launch_t), reverse=True
        )
        return web.json_response(self._feed(tokens, boosted=True))

    async def orders(self, request: web.Request) -> web.Response:
        token = self.s.world.market.tokens.get(request.match_info["token"])
        if request.match_info["chain"] != "solana" or token is None:
            return web.json_response([])
        if token.script.profile_tau is None:
            return web.json_response([])
        paid = self.s.world.market.genesis_unix + token.launch_t + token.script.profile_tau
        return web.json_response(
            [{"type": "tokenProfile", "status": "approved", "paymentTimestamp": int(paid * 1000)}]
        )

    async def pair_by_address(self, request: web.Request) -> web.Response:
        token = self.s.world.market.pools.get(request.match_info["pair"])
        pairs = None
        if request.match_info["chain"] == "solana" and token is not None:
            on_curve = request.match_info["pair"] == token.curve_address
            pairs = [self._pair(token, on_curve=on_curve)]
        return web.json_response({"schemaVersion": SCHEMA, "pairs": pairs})

    async def pairs_by_tokens(self, request: web.Request) -> web.Response:
        pairs = [
            p
            for t in self._tokens(request.match_info["tokens"])
            for p in self._pairs_of(t, all_pools=True)
        ]
        return web.json_response({"schemaVersion": SCHEMA, "pairs": pairs or None})

    async def search(self, request: web.Request) -> web.Response:
        query = request.query.get("q", "").strip().lower()
        if not query:
            return web.json_response({"error": "missing q"}, status=400)
        matches = [
            t
            for t in reversed(self.s.world.market.token_list)
            if query in t.symbol.lower()
            or query in t.name.lower()
            or t.mint.lower().startswith(query)
        ][:FEED_SIZE]
        pairs = [self._pairs_of(t, all_pools=False)[0] for t in matches]
        return web.json_response({"schemaVersion": SCHEMA, "pairs": pairs})

    async def token_pairs(self, request: web.Request) -> web.Response:
        if request.match_info["chain"] != "solana":
            return web.json_response([])
        tokens = self._tokens(request.match_info["token"])[:1]
        return web.json_response([p for t in tokens for p in self._pairs_of(t, all_pools=True)])

    async def tokens_v1(self, request: web.Request) -> web.Response:
        if request.match_info["chain"] != "solana":
            return web.json_response([])
        tokens = self._tokens(request.match_info["tokens"])
        return web.json_response([self._pairs_of(t, all_pools=False)[0] for t in tokens])


def dexscreener_app(services: SimServices, injector: FaultInjector) -> web.Application:
    """The DexScreener app (base URL replaces https://api.dexscreener.com)."""
    api = DexScreener(services)
    app = web.Application(middlewares=[fault_middleware(injector, _error_body)])
    router = app.router
    router.add_get("/token-profiles/latest/v1", api.profiles_latest)
    router.add_get("/token-profiles/recent-updates/v1", api.profiles_latest)
    router.add_get("/token-boosts/latest/v1", api.boosts_latest)
    router.add_get("/token-boosts/top/v1", api.boosts_top)
    router.add_get("/orders/v1/{chain}/{token}", api.orders)
    router.add_get("/latest/dex/pairs/{chain}/{pair}", api.pair_by_address)
    router.add_get("/latest/dex/tokens/{tokens}", api.pairs_by_tokens)
    router.add_get("/latest/dex/search", api.search)
    router.add_get("/token-pairs/v1/{chain}/{token}", api.token_pairs)
    router.add_get("/tokens/v1/{chain}/{tokens}", api.tokens_v1)
    return app
