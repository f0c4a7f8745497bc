"""The ingest benchmark's load generator: a separate process posting webhooks on loopback.

Why a process of its own (run as `python -m walltrack.bench._ingest_load`): the client's
CPU must not share the server's GIL, or the figure would measure both. It posts
Helius-shaped bodies (`batch` transactions each, every one under a signature never used
before) from `connections` concurrent connections, first a warm-up, then for at most
`duration_s` seconds or `max_requests` requests, and prints one JSON line with what it
achieved in the timed window.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

REPLY_TIMEOUT_S = 10.0
"""Helius gives up on a delivery after 1 s; a reply later than this is counted as none."""
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def unique_signature(round_tag: int, n: int) -> bytes:
    """A base58 signature unique to (round, n), 88 characters like a real one.

    Padded with base58's zero digit: padding with any other digit made a number whose
    leading digit is that one collide with the number without it (tag 0, n=56 and n=3362).
    """
    digits = ""
    value = round_tag * 10**12 + n + 1
    while value:
        value, rest = divmod(value, 58)
        digits = _BASE58[rest] + digits
    return digits.rjust(88, _BASE58[0]).encode("ascii")


class Bodies:
    """Request bodies built on demand from transaction templates, signatures renewed."""

    def __init__(self, txs: list[dict[str, Any]], batch: int, round_tag: int) -> None:
        self._templates = [
            (json.dumps(tx).encode(), str(tx["signature"]).encode("ascii")) for tx in txs
        ]
        self._batch = batch
        self._tag = round_tag
        self.transactions = 0

    def next(self) -> bytes:
        """The next body: a JSON array of `batch` transactions."""
        parts = []
        for _ in range(self._batch):
            template, original = self._templates[self.transactions % len(self._templates)]
            parts.append(template.replace(original, unique_signature(self._tag, self.transactions)))
            self.transactions += 1
        return b"[" + b",".join(parts) + b"]"


async def generate(
    url: str,
    authorization: str,
    bodies: Bodies,
    *,
    duration_s: float,
    connections: int,
    warmup: int,
    max_requests: int,
) -> dict[str, float | int]:
    """Post until the window or the budget closes; requests, errors and elapsed time."""
    errors = 0
    headers = {"Authorization": authorization, "Content-Type": "application/json"}

    async def worker(session: aiohttp.ClientSession, until: float, budget: list[int]) -> int:
        nonlocal errors
        done = 0
        while budget[0] > 0 and time.perf_counter() < until:
            budget[0] -= 1
            async with session.post(url, data=bodies.next(), headers=headers) as response:
                await response.read()
                if response.status != 200:
                    errors += 1
            done += 1
        return done

    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        warm = [warmup]
        await asyncio.gather(*(worker(session, float("inf"), warm) for _ in range(connections)))
        warmup_errors, errors = errors, 0
        budget = [max_requests]
        started = time.perf_counter()
        until = started + duration_s
        counts = await asyncio.gather(*(worker(session, until, budget) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return {
        "requests": sum(counts),
        "errors": errors + warmup_errors,
        "elapsed_s": elapsed,
        "transactions_sent": bodies.transactions,
    }


async def generate_paced(
    url: str,
    authorization: str,
    bodies: Bodies,
    *,
    rate: float,
    duration_s: float,
    connections: int,
    probes: list[bytes],
    probe_every_s: float,
    probe_delay_s: float = 0.0,
) -> dict[str, float | int]:
    """Background deliveries at `rate` per second, and `probes` one every `probe_every_s`.

    The decision benchmark's load: the background keeps the receiver and the tree busy
    at a steady rate (never faster, so it measures latency under load, not saturation);
    each probe is posted on its own connection, so a busy background never delays it.
    The probes start after `probe_delay_s` of background (the steady state is measured).
    """
    headers = {"Authorization": authorization, "Content-Type": "application/json"}
    statuses: dict[str, int] = {}
    probe_errors = 0
    sent = 0
    slots = asyncio.Semaphore(connections)

    async def post(session: aiohttp.ClientSession, body: bytes) -> int:
        try:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError):
            status = 0  # no answer in time, or the connection failed
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        return status

    async def background(session: aiohttp.ClientSession, until: float) -> None:
        nonlocal sent
        pending: set[asyncio.Task[int]] = set()

        def finished(task: asyncio.Task[int]) -> None:
            slots.release()
            pending.discard(task)

        due = time.perf_counter()
        while due < until:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await slots.acquire()
            task = asyncio.create_task(post(session, bodies.next()))
            task.add_done_callback(finished)
            pending.add(task)
            sent += 1
            due += 1.0 / rate
        await asyncio.gather(*pending)

    async def probing(session: aiohttp.ClientSession) -> None:
        nonlocal probe_errors
        await asyncio.sleep(probe_delay_s + probe_every_s)
        for body in probes:
            started = time.perf_counter()
            if await post(session, body) != 200:
                probe_errors += 1
            await asyncio.sleep(max(0.0, probe_every_s - (time.perf_counter() - started)))

    started = time.perf_counter()
    limit = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=REPLY_TIMEOUT_S)
    async with (
        aiohttp.ClientSession(connector=limit, timeout=timeout) as load,
        aiohttp.ClientSession(timeout=timeout) as probe,
    ):
        await asyncio.gather(background(load, started + duration_s), probing(probe))
    return {
        "requests": sent,
        "errors": sum(n for status, n in statuses.items() if status != "200"),
        "probe_errors": probe_errors,
        "elapsed_s": time.perf_counter() - started,
        "probes": len(probes),
        **{f"status_{status}": n for status, n in statuses.items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run, print the result as one JSON line."""
    parser = argparse.ArgumentParser(prog="walltrack.bench._ingest_load")
    parser.add_argument("url")
    parser.add_argument("templates", type=Path, help="JSON array of enhanced transactions")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--round-tag", type=int, default=1)
    parser.add_argument("--duration-s", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--max-requests", type=int, default=60_000)
    parser.add_argument("--rate", type=float, default=0.0, help="paced events/s (0: flat out)")
    parser.add_argument("--probes", type=Path, help="JSON array of bodies posted as probes")
    parser.add_argument("--probe-every-s", type=float, default=0.1)
    parser.add_argument("--probe-delay-s", type=float, default=0.0, help="background first")
    args = parser.parse_args(argv)
    authorization = sys.stdin.readline().rstrip("\n")  # never on the command line
    bodies = Bodies(json.loads(args.templates.read_text()), args.batch, args.round_tag)
    if args.rate > 0:
        probes = [] if args.probes is None else json.loads(args.probes.read_text())
        paced = generate_paced(
            args.url,
            authorization,
            bodies,
            rate=args.rate,
            duration_s=args.duration_s,
            connections=args.connections,
            probes=[json.dumps([tx]).encode() for tx in probes],
            probe_every_s=args.probe_every_s,
            probe_delay_s=args.probe_delay_s,
        )
        sys.stdout.write(json.dumps(asyncio.run(paced)) + "\n")
        return 0
    result = asyncio.run(
        generate(
            args.url,
            authorization,
            bodies,
            duration_s=args.duration_s,
            connections=args.connections,
            warmup=args.warmup,
            max_requests=args.max_requests,
        )
    )
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
