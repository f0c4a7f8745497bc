"""Runs an aiohttp application on its own asyncio loop thread.

Why a thread: the actors are threads too; the HTTP edge must keep answering (health,
webhooks within Helius' 1 s budget) whatever the tree is doing.
"""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class HttpServerThread:
    """Serve `app` on host:port from a daemon thread; `start()` returns once listening."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self._app = app
        self._host = host
        self._port = port
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(app, access_log=None)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="http-server", daemon=True)
        self.bound_port = port

    def start(self, timeout: float = 10.0) -> None:
        """Start serving; raises if the port cannot be bound."""
        self._thread.start()
        if not self._ready.wait(timeout):
            msg = f"HTTP server on {self._host}:{self._port} did not start in {timeout} s"
            raise TimeoutError(msg)
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except OSError as error:
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    async def _serve(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        sockets = self._runner.addresses
        if sockets:
            self.bound_port = int(sockets[0][1])

    def stop(self) -> None:
        """Stop serving and wait for the loop thread to finish."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
