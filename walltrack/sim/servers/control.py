"""The control API of the simulated world: faults, funding, status and ground truth.

Why HTTP as well as Python: `walltrack sim` runs the world in its own process; a test, a
demo script or curl switch faults and read the truth over loopback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web
from solders.pubkey import Pubkey

from walltrack.sim.ground_truth import ground_truth
from walltrack.sim.servers.context import SimServices
from walltrack.sim.servers.faults import FaultBoard, FaultInjector

_ACTIONS = ("down_for", "down", "fail_next", "fail_status", "timeout_next")


def apply_fault_request(injector: FaultInjector, body: dict[str, Any]) -> None:
    """Apply a control body: settings by name plus actions (down_for, fail_next, ...)."""
    settings = {k: v for k, v in body.items() if k not in _ACTIONS}
    injector.configure(**settings)
    if "down_for" in body:
        injector.go_down(float(body["down_for"]))
    if body.get("down") is True:
        injector.go_down(None)
    if body.get("down") is False:
        injector.come_up()
    if body.get("fail_next"):
        injector.fail_next(int(body["fail_next"]), int(body.get("fail_status", 503)))
    if body.get("timeout_next"):
        injector.timeout_next(int(body["timeout_next"]))


def control_app(
    services: SimServices, faults: FaultBoard, status: Callable[[], dict[str, Any]]
) -> web.Application:
    """GET /status, GET/POST/DELETE /faults[/{venue}], POST /fund, GET /ground-truth."""

    async def get_status(_: web.Request) -> web.Response:
        return web.json_response(status())

    async def get_faults(_: web.Request) -> web.Response:
        return web.json_response({name: f.state() for name, f in faults.items()})

    async def set_fault(request: web.Request) -> web.Response:
        injector = faults.get(request.match_info["venue"])
        if injector is None:
            return web.json_response(
                {"error": f"unknown venue; known: {sorted(faults)}"}, status=404
            )
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise TypeError
            apply_fault_request(injector, body)
        except (ValueError, TypeError) as error:
            return web.json_response({"error": f"bad fault request: {error}"}, status=400)
        return web.json_response(injector.state())

    async def reset_fault(request: web.Request) -> web.Response:
        venue = request.match_info.get("venue")
        if venue is None:
            faults.reset_all()
            return web.json_response({name: f.state() for name, f in faults.items()})
        injector = faults.get(venue)
        if injector is None:
            return web.json_response({"error": "unknown venue"}, status=404)
        injector.reset()
        return web.json_response(injector.state())

    async def fund(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            address = str(Pubkey.from_string(body["address"]))
            lamports = int(body["lamports"])
            if lamports <= 0:
                raise ValueError("lamports must be positive")
        except (ValueError, TypeError, KeyError) as error:
            return web.json_response({"error": f"bad fund request: {error}"}, status=400)
        event = services.world.airdrop(address, lamports)
        return web.json_response(
            {
                "signature": event.signature,
                "balance": services.world.market.ledger.lamports(address),
            }
        )

    async def truth(_: web.Request) -> web.Response:
        return web.json_response(ground_truth(services.world))

    app = web.Application()
    app.router.add_get("/status", get_status)
    app.router.add_get("/faults", get_faults)
    app.router.add_post("/faults/{venue}", set_fault)
    app.router.add_delete("/faults", reset_fault)
    app.router.add_delete("/faults/{venue}", reset_fault)
    app.router.add_post("/fund", fund)
    app.router.add_get("/ground-truth", truth)
    return app
