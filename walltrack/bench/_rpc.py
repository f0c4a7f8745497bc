"""`rpc_roundtrip_p99_ms`: adapter -> JSON-RPC server -> adapter latency on loopback.

Why: every copied trade waits on several RPC round trips (blockhash, send, status), so the
client's own overhead (resilience layers, JSON, httpx) must stay far below network latency.
The figure is the 99th percentile of a few thousand sequential getBalance calls through
the real SolanaRpcClient. Without a URL a tiny loopback JSON-RPC server is started here;
the market benchmark passes the simulator's fake RPC instead.
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import time
from collections.abc import Sequence

from aiohttp import web

from walltrack.adapters.resilience import RateLimit
from walltrack.adapters.solana_rpc import SolanaRpcClient

PROBE_ADDRESS = "7pvYedwjkETdfDBauTXoGmT8TnSz5FyguxrNonDxnrvo"
UNLIMITED = RateLimit(limit=10_000_000, window_s=1.0, burst=1_000_000)


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of `samples` (fraction in (0, 1])."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


async def _balance_handler(request: web.Request) -> web.Response:
    body = json.loads(await request.read())
    result = {"context": {"apiVersion": "2.2.7", "slot": 352114873}, "value": 4821337560}
    payload = {"jsonrpc": "2.0", "result": result, "id": body.get("id")}
    return web.Response(body=json.dumps(payload).encode(), content_type="application/json")


async def _start_server() -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/", _balance_handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    await web.SockSite(runner, sock).start()
    return runner, f"http://127.0.0.1:{port}"


async def measure_rpc_roundtrips(
    base_url: str | None = None, *, round_trips: int = 3000, warmup: int = 100
) -> list[float]:
    """Seconds per getBalance round trip, measured sequentially after a warm-up."""
    runner = None
    if base_url is None:
        runner, base_url = await _start_server()
    client = SolanaRpcClient([base_url], rate_limit=UNLIMITED, timeout_s=5.0)
    try:
        for _ in range(warmup):
            await client.get_balance(PROBE_ADDRESS)
        samples = []
        for _ in range(round_trips):
            started = time.perf_counter()
            await client.get_balance(PROBE_ADDRESS)
            samples.append(time.perf_counter() - started)
        return samples
    finally:
        await client.aclose()
        if runner is not None:
            await runner.cleanup()


async def rpc_roundtrip_p99_ms_async(
    base_url: str | None = None, *, round_trips: int = 3000
) -> float:
    """`rpc_roundtrip_p99_ms` for callers already inside an event loop."""
    samples = await measure_rpc_roundtrips(base_url, round_trips=round_trips)
    return round(percentile(samples, 0.99) * 1000, 3)


def rpc_roundtrip_p99_ms(base_url: str | None = None, *, round_trips: int = 3000) -> float:
    """p99 milliseconds of adapter -> RPC -> adapter on loopback (target <= 10 ms).

    Runs its own event loop: call it from synchronous code (a benchmark's `run()`).
    """
    return asyncio.run(rpc_roundtrip_p99_ms_async(base_url, round_trips=round_trips))
