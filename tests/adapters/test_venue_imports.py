"""A venue client's first request imports nothing: no stall in the middle of trading.

Why a test: httpcore imports anyio's asyncio backend lazily, at a client's first request.
Without cached bytecode that compiled ~30 modules while holding the GIL, and every actor
of the process stalled 20+ ms at the first token fetch of a run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]

_FIRST_REQUEST = """
import asyncio, sys
from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.venue_http import VenueHttp, new_http_client

async def main() -> None:
    fake = FakeVenue()
    fake.route("GET", "/ping", lambda _recorded, _match: {"ok": True})
    base_url = await fake.start()
    client = new_http_client()
    venue = VenueHttp("test", base_url, client=client)
    before = set(sys.modules)
    answer = await venue.request_json("GET", "/ping")
    imported = sorted(set(sys.modules) - before)
    await client.aclose()
    await fake.close()
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
        cwd=_ROOT,  # the child imports the test package's fake venue
    )
    assert run.stdout.strip() == "True []", run.stdout + run.stderr
