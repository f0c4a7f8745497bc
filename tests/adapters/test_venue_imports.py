"""A venue client's first request imports nothing: no stall in the middle of trading.

Why a test: httpcore imports anyio's asyncio backend lazily, at a client's first request.
Without cached bytecode that compiled ~30 modules while holding the GIL, and every actor
of the process stalled 20+ ms at the first token fetch of a run.
"""

from __future__ import annotations

import subprocess
import sys

_FIRST_REQUEST = """
import asyncio, sys
from aiohttp import web
from walltrack.adapters.venue_http import VenueHttp, new_http_client

async def main() -> None:
    app = web.Application()
    app.router.add_get("/ping", lambda _request: web.json_response({"ok": True}))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    client = new_http_client()
    venue = VenueHttp("test", f"http://127.0.0.1:{port}", client=client)
    before = set(sys.modules)
    answer = await venue.request_json("GET", "/ping")
    imported = sorted(set(sys.modules) - before)
    await client.aclose()
    await runner.cleanup()
    print(answer == {"ok": True}, imported)

asyncio.run(main())
"""


def test_the_first_venue_request_imports_no_module() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _FIRST_REQUEST],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stdout.strip() == "True []", run.stdout + run.stderr
