"""Running one aiohttp app on a random free loopback port.

Why one port per venue: each fake venue has its own base URL, fault state and outage, as
the real ones do, so a client can be pointed at each independently.
"""

from __future__ import annotations

import socket

from aiohttp import web


class VenueServer:
    """An aiohttp app bound to 127.0.0.1 on a free port."""

    def __init__(self, name: str, app: web.Application, host: str = "127.0.0.1") -> None:
        self.name = name
        self.app = app
        self.host = host
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """Base URL, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        """Start serving; returns the base URL."""
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        return self.url

    async def stop(self) -> None:
        """Stop serving and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
