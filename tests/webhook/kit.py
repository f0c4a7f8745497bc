"""Building blocks of the webhook tests: an app on loopback, sinks, payloads.

The receiver runs in a real aiohttp server (TestServer on 127.0.0.1), the stores are the
real in-memory and PostgreSQL implementations, the sink is a real recording object or a
pykka actor: nothing is patched.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from walltrack.adapters.webhook.control_api import make_app
from walltrack.adapters.webhook.helius_receiver import WEBHOOK_PATH, WebhookDependencies
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore
from walltrack.clock import ManualClock
from walltrack.domain.messages.base import Command
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.tree import TreeSnapshot
from walltrack.ports import MetricsSource, SwapSink, WebhookEventStore

SECRET = "Bearer 3f9c1d7e5b2a48c6a0e1f4b7c9d2e6a8"
CONTROL_TOKEN = "control-token-for-webhook-tests"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
AUTH = {"Authorization": SECRET}
REAL_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "helius-real"


def real_payloads() -> dict[str, dict[str, Any]]:
    """The 18 recorded payloads by their two-digit prefix, read from ../shared."""
    paths = sorted(REAL_DIR.glob("*.json"))
    assert len(paths) == 18, f"expected the 18 recorded payloads in {REAL_DIR}"
    return {path.name[:2]: json.loads(path.read_text()) for path in paths}


def fake_signature(n: int) -> str:
    """A distinct 88-character base58 string per `n`."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    digits = ""
    while True:
        n, rest = divmod(n, 58)
        digits = alphabet[rest] + digits
        if n == 0:
            break
    return digits.rjust(88, "z")


class RecordingSink:
    """A SwapSink that keeps what it was given (thread-safe) and can signal arrivals."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self.messages: list[SwapObserved] = []

    def submit(self, message: SwapObserved) -> None:
        with self._lock:
            self.messages.append(message)
            self._lock.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[SwapObserved]:
        """Block until `count` messages arrived (an event, not a sleep)."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self.messages) >= count, timeout):
                msg = f"only {len(self.messages)} of {count} messages arrived"
                raise AssertionError(msg)
            return list(self.messages)


class IdleTree:
    """A TreeControl with no actors, for apps tested without a tree."""

    def tree(self) -> TreeSnapshot:
        return TreeSnapshot(actors=(), quarantined=(), inactive_count=0)

    def control(self, command: Command) -> None:
        raise AssertionError(f"no command expected, got {command!r}")

    def ready(self) -> bool:
        return True


@asynccontextmanager
async def webhook_client(
    *,
    store: WebhookEventStore | None = None,
    tracked: Iterable[str] = (),
    sink: SwapSink | None = None,
    venue_metrics: MetricsSource | None = None,
    **options: Any,
) -> AsyncIterator[TestClient[Any, Any]]:
    """A client of a freshly built app serving the webhook on loopback."""
    deps = WebhookDependencies(
        authorization=SECRET,
        store=store if store is not None else InMemoryWebhookEventStore(),
        tracked=frozenset(tracked),
        sink=sink if sink is not None else RecordingSink(),
        **options,
    )
    app = make_app(
        IdleTree(), ManualClock(NOW), CONTROL_TOKEN, webhook=deps, venue_metrics=venue_metrics
    )
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def post(
    client: TestClient[Any, Any], body: object, headers: Mapping[str, str] = AUTH
) -> tuple[int, Any]:
    """POST `body` (JSON-encoded unless bytes) as Helius would; (status, decoded reply)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = await client.post(
        WEBHOOK_PATH, data=data, headers={"Content-Type": "application/json", **headers}
    )
    return response.status, await response.json()
