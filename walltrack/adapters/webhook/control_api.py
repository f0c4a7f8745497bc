"""Health, readiness, the tree and operator control over HTTP.

Why here and not in the dashboard: the operator (and `walltrack control`, and Docker's
HEALTHCHECK) must be able to see and steer the tree with nothing but curl. Handlers only
read the tree snapshot or hand a command to the root: they never await an actor.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from walltrack.adapters.webhook.app_keys import (
    CLOCK,
    CONTROL_TOKEN,
    TREE,
    VENUE_METRICS,
    WEBHOOK_METRICS,
)
from walltrack.adapters.webhook.helius_receiver import WebhookDependencies, add_webhook_routes
from walltrack.adapters.webhook.metrics_api import add_metrics_route
from walltrack.adapters.webhook.webhook_metrics import WebhookMetrics
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.base import Command
from walltrack.domain.messages.control import (
    PauseTrading,
    ResetCircuitBreaker,
    ResumeTrading,
    Shutdown,
)
from walltrack.domain.tree import tree_to_json
from walltrack.ports import Clock, MetricsSource, TreeControl

__all__ = ["CLOCK", "CONTROL_TOKEN", "TREE", "add_control_routes", "make_app"]

_COMMANDS: dict[str, Callable[..., Command]] = {
    "pause": PauseTrading,
    "resume": ResumeTrading,
    "reset": ResetCircuitBreaker,
    "shutdown": Shutdown,
}


async def health(_request: web.Request) -> web.Response:
    """The process is up and serving (Docker's HEALTHCHECK)."""
    return web.json_response({"status": "ok"})


async def ready(request: web.Request) -> web.Response:
    """Stores and tree are up: 200, else 503."""
    if request.app[TREE].ready():
        return web.json_response({"status": "ready"})
    return web.json_response({"status": "starting"}, status=503)


async def tree(request: web.Request) -> web.Response:
    """The supervisor tree: state, restarts, errors, mailboxes, quarantine."""
    _authorise(request)
    return web.json_response(tree_to_json(request.app[TREE].tree()))


async def control(request: web.Request) -> web.Response:
    """POST /api/control/{pause,resume,reset,shutdown}: one command to the root."""
    _authorise(request)
    action = request.match_info["action"]
    factory = _COMMANDS.get(action)
    if factory is None:
        raise web.HTTPNotFound(
            text=f"unknown control action {action!r}; use one of {sorted(_COMMANDS)}"
        )
    now: datetime = request.app[CLOCK].now()
    command = factory(
        correlation_id=random_uuid(), ts_event=now, ts_init=now, requested_by="http_api"
    )
    request.app[TREE].control(command)
    return web.json_response(
        {"accepted": action, "correlation_id": str(command.correlation_id)}, status=202
    )


def _authorise(request: web.Request) -> None:
    expected = request.app[CONTROL_TOKEN]
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.encode("utf-8"), expected.encode("utf-8")
    ):
        raise web.HTTPUnauthorized(
            text="missing or wrong bearer token (WALLTRACK_CONTROL_TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )


def add_control_routes(app: web.Application) -> None:
    """Register health, readiness, tree and control routes on `app`."""
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/api/tree", tree)
    app.router.add_post("/api/control/{action}", control)


def make_app(
    tree_control: TreeControl,
    clock: Clock,
    control_token: str,
    *,
    webhook: WebhookDependencies | None = None,
    venue_metrics: MetricsSource | None = None,
) -> web.Application:
    """The HTTP application of the process: health, control, /metrics, and the webhook.

    Without `webhook` the process serves no POST /webhooks/helius (the demo and tests of
    the control surface); /metrics then shows the tree and the venues only.
    """
    if not control_token:
        msg = "the control API needs a non-empty token"
        raise ValueError(msg)
    body_limit = 1024 * 1024 if webhook is None else max(1024 * 1024, webhook.max_body_bytes)
    app = web.Application(client_max_size=body_limit)
    app[TREE] = tree_control
    app[CLOCK] = clock
    app[CONTROL_TOKEN] = control_token
    if venue_metrics is not None:
        app[VENUE_METRICS] = venue_metrics
    add_control_routes(app)
    add_metrics_route(app)
    if webhook is not None:
        metrics = WebhookMetrics()
        app[WEBHOOK_METRICS] = metrics
        add_webhook_routes(app, webhook, clock, metrics)
    return app
