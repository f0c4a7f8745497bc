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

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def unique_signature(round_tag: int, n: int) -> bytes:
    """A base58 signature unique to (round, n), 88 characters like a real one."""
    digits = ""
    value = round_tag * 10**12 + n + 1
    while value:
        value, rest = divmod(value, 58)
        digits = _BASE58[rest] + digits
    return digits.rjust(88, "z").encode("ascii")


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
    args = parser.parse_args(argv)
    authorization = sys.stdin.readline().rstrip("\n")  # never on the command line
    bodies = Bodies(json.loads(args.templates.read_text()), args.batch, args.round_tag)
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
