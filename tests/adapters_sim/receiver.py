"""A Helius webhook endpoint on loopback, as WallTrack's own would be at its edge.

Why in the tests: the stream tests need something that authenticates each POST (constant
time), answers 200 fast and keeps every transaction once (dedupe by signature), so they
can check that what the classifier reads from the stream is every swap the world made.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from walltrack.sim.servers.http import VenueServer

PATH = "/hooks/helius"


class WebhookReceiver:
    """Counts deliveries, refuses a wrong Authorization, keeps unique transactions."""

    def __init__(self, auth_header: str, *, fail_every: int = 0) -> None:
        self.auth_header = auth_header
        self.fail_every = fail_every
        self.posts = 0
        self.refused = 0
        self.deliveries = 0
        self.unique: dict[str, dict[str, Any]] = {}

    async def handle(self, request: web.Request) -> web.Response:
        self.posts += 1
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), self.auth_header.encode()):
            self.refused += 1
            return web.Response(status=401)
        if self.fail_every and self.posts % self.fail_every == 0:
            return web.Response(status=503)  # a bad moment: Helius retries
        payload = json.loads(await request.read())
        assert isinstance(payload, list)
        for tx in payload:
            self.deliveries += 1
            self.unique.setdefault(tx["signature"], tx)
        return web.Response(status=200)


@asynccontextmanager
async def webhook_receiver(
    auth_header: str, *, fail_every: int = 0
) -> AsyncIterator[tuple[WebhookReceiver, str]]:
    """A running receiver (answering 503 to every `fail_every`-th POST) and its URL."""
    receiver = WebhookReceiver(auth_header, fail_every=fail_every)
    app = web.Application()
    app.router.add_post(PATH, receiver.handle)
    server = VenueServer("receiver", app)
    url = await server.start()
    try:
        yield receiver, url + PATH
    finally:
        await server.stop()
