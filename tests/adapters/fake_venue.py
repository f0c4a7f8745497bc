"""A loopback aiohttp server that answers like a venue and fails on request.

Tests register canned routes (REST) or JSON-RPC methods in the venues' exact wire formats,
then inject faults: added latency, an HTTP status (429, 5xx), a JSON-RPC error, a hang
(the client times out) or a dropped connection (the venue is down). Every request is
recorded so tests can assert what reached the venue and what did not.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

type RouteHandler = Callable[["Recorded", re.Match[str]], Any]
"""Returns a JSON body, or (status, JSON body)."""
type RpcHandler = Callable[[list[Any]], Any]
"""Returns the JSON-RPC `result`; raise RpcFailureError for an `error`."""


class RpcFailureError(Exception):
    """Raised by an RPC handler to answer with a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


@dataclass
class Recorded:
    """One request as the fake venue saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    rpc_method: str | None = None
    at: float = 0.0  # FakeVenue.stamp() when the request arrived


@dataclass
class Fault:
    """A failure applied to the next `times` matching requests."""

    kind: str  # "status" | "latency" | "hang" | "drop" | "rpc_error"
    times: int = 1
    where: str | None = None  # path prefix or JSON-RPC method; None = any request
    status: int = 503
    body: Any = None
    seconds: float = 0.0
    code: int = -32603
    message: str = "Internal error"
    data: Any = None


@dataclass
class FakeVenue:
    """The server; `await start()` returns its base URL on 127.0.0.1."""

    required_query: Mapping[str, str] = field(default_factory=dict)
    required_headers: Mapping[str, str] = field(default_factory=dict)
    down: bool = False
    stamp: Callable[[], float] = lambda: 0.0
    requests: list[Recorded] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    _routes: list[tuple[str, re.Pattern[str], RouteHandler]] = field(default_factory=list)
    _rpc: dict[str, RpcHandler] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    base_url: str = ""

    # --- configuration ----------------------------------------------------------------------

    def route(self, method: str, pattern: str, handler: RouteHandler) -> None:
        """Answer `method` requests whose path fully matches the regex `pattern`."""
        self._routes.append((method.upper(), re.compile(pattern), handler))

    def rpc(self, method: str, handler: RpcHandler) -> None:
        """Answer the JSON-RPC `method` (POST /) with `handler(params)`."""
        self._rpc[method] = handler

    def inject(self, kind: str, *, times: int = 1, where: str | None = None, **kw: Any) -> None:
        """Queue a fault for the next `times` matching requests."""
        if kind == "rpc_error":
            kw.setdefault("status", 200)  # Agave answers JSON-RPC errors with HTTP 200
        self.faults.append(Fault(kind=kind, times=times, where=where, **kw))

    def hits(self, where: str | None = None) -> list[Recorded]:
        """Recorded requests, optionally only those to a path prefix or RPC method."""
        return [r for r in self.requests if _matches(where, r)]

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> str:
        """Bind a free port on loopback and serve."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def close(self) -> None:
        """Release hung handlers and stop serving."""
        self._released.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- serving ----------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        rpc_method = body.get("method") if isinstance(body, dict) and "jsonrpc" in body else None
        recorded = Recorded(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
            rpc_method=rpc_method,
            at=self.stamp(),
        )
        self.requests.append(recorded)
        if self.down:
            return self._drop(request)
        fault = self._take_fault(recorded)
        if fault is not None:
            answer = await self._apply(fault, request, recorded)
            if answer is not None:
                return answer
        for key, value in self.required_query.items():
            if recorded.query.get(key) != value:
                return _json(
                    401,
                    {
                        "jsonrpc": "2.0",
                        "error": {"code": -32001, "message": "Unauthorized"},
                        "id": "1",
                    },
                )
        for key, value in self.required_headers.items():
            if recorded.headers.get(key.lower()) != value:
                return _json(401, {"error": "Unauthorized"})
        if rpc_method is not None:
            return self._answer_rpc(recorded)
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(recorded.path)
            if match and method == recorded.method:
                result = handler(recorded, match)
                if isinstance(result, tuple):
                    return _json(result[0], result[1])
                return _json(200, result)
        return _json(404, {"error": f"no route for {recorded.method} {recorded.path}"})

    def _take_fault(self, recorded: Recorded) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and _matches(fault.where, recorded):
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    async def _apply(
        self, fault: Fault, request: web.Request, recorded: Recorded
    ) -> web.StreamResponse | None:
        if fault.kind == "latency":
            await asyncio.sleep(fault.seconds)  # sleep-ok: simulated venue latency
            return None
        if fault.kind == "hang":
            await self._released.wait()
            return _json(504, {"error": "released"})
        if fault.kind == "drop":
            return self._drop(request)
        if fault.kind == "rpc_error":
            error = {"code": fault.code, "message": fault.message}
            if fault.data is not None:
                error["data"] = fault.data
            body = recorded.body if isinstance(recorded.body, dict) else {}
            return _json(
                fault.status,
                {"jsonrpc": "2.0", "error": error, "id": body.get("id")},
            )
        return _json(fault.status, fault.body if fault.body is not None else {"error": "injected"})

    def _answer_rpc(self, recorded: Recorded) -> web.Response:
        body = recorded.body
        assert isinstance(body, dict)
        handler = self._rpc.get(str(body.get("method")))
        if handler is None:
            error = {"code": -32601, "message": "Method not found"}
            return _json(200, {"jsonrpc": "2.0", "error": error, "id": body.get("id")})
        try:
            result = handler(list(body.get("params") or []))
        except RpcFailureError as failure:
            error = {"code": failure.code, "message": failure.message}
            if failure.data is not None:
                error["data"] = failure.data
            return _json(200, {"jsonrpc": "2.0", "error": error, "id": body.get("id")})
        return _json(200, {"jsonrpc": "2.0", "result": result, "id": body.get("id")})

    @staticmethod
    def _drop(request: web.Request) -> web.Response:
        transport = request.transport
        if transport is not None:
            transport.abort()
        return web.Response(status=500)


def _matches(where: str | None, recorded: Recorded) -> bool:
    if where is None:
        return True
    if recorded.rpc_method is not None:
        return recorded.rpc_method == where
    return recorded.path.startswith(where)


def _json(status: int, body: Any) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(body).encode(), content_type="application/json"
    )
