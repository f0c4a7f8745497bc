"""The fake Helius REST API (api-formats.md §1.6-§1.7): enhanced transactions by address
and by signature, and webhook management.

Why JSON-RPC-shaped errors on REST: that is what Helius answers, and clients must read
them (400 -32602, 401 -32001, 404 -32601, 429, 5xx).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from solders.pubkey import Pubkey

from walltrack.sim.events import ChainEvent, SwapEvent
from walltrack.sim.history import UnknownSignatureError, page
from walltrack.sim.servers.context import SimServices
from walltrack.sim.servers.faults import FaultInjector, Handler, fault_middleware
from walltrack.sim.servers.webhooks import WebhookRegistry

MAX_SIGNATURES = 100
_CODES = {
    400: (-32602, "Invalid params"),
    401: (-32001, "Unauthorized"),
    403: (-32003, "Forbidden"),
    404: (-32601, "Not found"),
    429: (-32429, "rate limited"),
    500: (-32603, "Internal error"),
    502: (-32603, "Bad gateway"),
    503: (-32002, "Service unavailable"),
    504: (-32003, "Gateway timeout"),
}


def error_response(status: int, message: str | None = None) -> web.Response:
    """A JSON-RPC-shaped REST error."""
    code, default = _CODES.get(status, (-32603, "Internal error"))
    body = {"jsonrpc": "2.0", "error": {"code": code, "message": message or default}, "id": "1"}
    return web.json_response(body, status=status)


def _source_of(event: ChainEvent) -> str:
    if type(event) is SwapEvent:
        return event.venue
    return {"transfer": "SYSTEM_PROGRAM", "create": "PUMP_FUN"}.get(event.kind, "PUMP_AMM")


class HeliusRest:
    """Handlers over the shared world and the webhook registry."""

    def __init__(self, services: SimServices, registry: WebhookRegistry) -> None:
        self.s = services
        self.registry = registry

    async def address_transactions(self, request: web.Request) -> web.Response:
        address = request.match_info["address"]
        query = request.query
        try:
            Pubkey.from_string(address)
            limit = int(query.get("limit", "100"))
        except ValueError:
            return error_response(400, "invalid address or limit")
        if not 1 <= limit <= MAX_SIGNATURES:
            return error_response(400, "limit must be between 1 and 100")
        wanted_type, wanted_source = query.get("type"), query.get("source")
        type_of = self.s.enhanced.type_of

        def keep(event: ChainEvent) -> bool:
            if wanted_type is not None and type_of(event) != wanted_type:
                return False
            return wanted_source is None or _source_of(event) == wanted_source

        try:
            events = page(
                self.s.world.market,
                address,
                before=query.get("before") or query.get("beforeSignature"),
                until=query.get("until") or query.get("afterSignature"),
                limit=limit,
                keep=keep if wanted_type or wanted_source else None,
                newest_first=query.get("sortOrder", "desc") != "asc",
            )
        except UnknownSignatureError:
            return error_response(400, "before/until is not a known signature")
        return web.json_response([self.s.enhanced.render(e) for e in events])

    async def transactions(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return error_response(400, "body must be JSON")
        signatures = body.get("transactions") if isinstance(body, dict) else None
        if not isinstance(signatures, list) or len(signatures) > MAX_SIGNATURES:
            return error_response(400, "transactions must be a list of at most 100 signatures")
        found = [self.s.world.market.find(str(sig)) for sig in signatures]
        return web.json_response([self.s.enhanced.render(e) for e in found if e is not None])

    async def create_webhook(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if body is None:
            return error_response(400, "body must be a JSON object")
        try:
            hook = self.registry.create(body)
        except ValueError as error:
            return error_response(400, str(error))
        return web.json_response(hook.as_json(self.registry.owner))

    async def list_webhooks(self, _: web.Request) -> web.Response:
        owner = self.registry.owner
        return web.json_response([h.as_json(owner) for h in self.registry.hooks.values()])

    async def get_webhook(self, request: web.Request) -> web.Response:
        hook = self.registry.hooks.get(request.match_info["webhook_id"])
        if hook is None:
            return error_response(404, "webhook not found")
        return web.json_response(hook.as_json(self.registry.owner))

    async def edit_webhook(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if body is None:
            return error_response(400, "body must be a JSON object")
        try:
            hook = self.registry.update(
                request.match_info["webhook_id"], body, full=request.method == "PUT"
            )
        except KeyError:
            return error_response(404, "webhook not found")
        except ValueError as error:
            return error_response(400, str(error))
        return web.json_response(hook.as_json(self.registry.owner))

    async def delete_webhook(self, request: web.Request) -> web.Response:
        if self.registry.hooks.pop(request.match_info["webhook_id"], None) is None:
            return error_response(404, "webhook not found")
        return web.Response(status=200)


async def _json_object(request: web.Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _auth_middleware(services: SimServices) -> Any:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        key = request.query.get("api-key")
        expected = services.api_keys.helius
        if not key or (expected is not None and key != expected):
            return error_response(401)
        return await handler(request)

    return middleware


def helius_app(
    services: SimServices, registry: WebhookRegistry, injector: FaultInjector
) -> web.Application:
    """The Helius REST app (base URL replaces https://api-mainnet.helius-rpc.com)."""
    api = HeliusRest(services, registry)
    app = web.Application(
        middlewares=[fault_middleware(injector, error_response), _auth_middleware(services)]
    )
    router = app.router
    router.add_get("/v0/addresses/{address}/transactions", api.address_transactions)
    router.add_post("/v0/transactions", api.transactions)
    router.add_post("/v0/webhooks", api.create_webhook)
    router.add_get("/v0/webhooks", api.list_webhooks)
    router.add_get("/v0/webhooks/{webhook_id}", api.get_webhook)
    router.add_put("/v0/webhooks/{webhook_id}", api.edit_webhook)
    router.add_patch("/v0/webhooks/{webhook_id}", api.edit_webhook)
    router.add_delete("/v0/webhooks/{webhook_id}", api.delete_webhook)
    return app
