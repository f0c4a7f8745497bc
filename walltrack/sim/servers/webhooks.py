"""Helius webhooks: the registry behind the management API and the pusher that delivers.

Why it behaves like Helius: deliveries are POSTed JSON arrays with the configured
`Authorization` header verbatim; a non-2xx answer or a timeout is retried 3 times, then the
delivery is dropped; some deliveries arrive twice. Receivers must dedupe by signature.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from walltrack.sim.events import ChainEvent
from walltrack.sim.servers.context import SimServices
from walltrack.sim.servers.faults import FaultInjector

MAX_ADDRESSES = 100_000
WEBHOOK_TYPES = frozenset(
    {"enhanced", "raw", "discord", "enhancedDevnet", "rawDevnet", "discordDevnet"}
)


@dataclass(slots=True)
class Webhook:
    """One registered webhook (the fields of Helius' Webhook object)."""

    webhook_id: str
    url: str
    transaction_types: list[str]
    addresses: list[str]
    webhook_type: str = "enhanced"
    auth_header: str | None = None
    txn_status: str = "all"
    encoding: str | None = None
    active: bool = True
    address_set: frozenset[str] = field(default_factory=frozenset)

    def as_json(self, owner: str) -> dict[str, Any]:
        """The Webhook object of the API."""
        body: dict[str, Any] = {
            "webhookID": self.webhook_id,
            "wallet": owner,
            "webhookURL": self.url,
            "transactionTypes": list(self.transaction_types),
            "accountAddresses": list(self.addresses),
            "webhookType": self.webhook_type,
            "txnStatus": self.txn_status,
            "active": self.active,
        }
        if self.auth_header is not None:
            body["authHeader"] = self.auth_header
        if self.encoding is not None:
            body["encoding"] = self.encoding
        return body

    def wants(self, event: ChainEvent, type_of: Callable[[ChainEvent], str]) -> bool:
        """Whether a transaction touching `event.addresses` is delivered to this hook."""
        if not self.active or not self.webhook_type.startswith("enhanced"):
            return False
        if self.address_set.isdisjoint(event.addresses):
            return False
        return "ANY" in self.transaction_types or type_of(event) in self.transaction_types


class WebhookRegistry:
    """Webhooks by id; ids are UUIDv4 from a seeded stream."""

    def __init__(self, seed: int, owner: str) -> None:
        self.owner = owner
        self.hooks: dict[str, Webhook] = {}
        self._ids = random.Random(f"{seed}:webhook-ids")

    def create(self, body: dict[str, Any]) -> Webhook:
        """Register a webhook from a CreateWebhookRequest; ValueError when invalid."""
        hook = Webhook(str(uuid.UUID(int=self._ids.getrandbits(128), version=4)), "", [], [])
        self._apply(hook, body, full=True)
        self.hooks[hook.webhook_id] = hook
        return hook

    def update(self, webhook_id: str, body: dict[str, Any], *, full: bool) -> Webhook:
        """Replace (PUT, `full`) or toggle/patch (PATCH) a webhook; KeyError when unknown."""
        hook = self.hooks[webhook_id]
        self._apply(hook, body, full=full)
        return hook

    def _apply(self, hook: Webhook, body: dict[str, Any], *, full: bool) -> None:
        if full or "webhookURL" in body:
            url = body.get("webhookURL")
            if not isinstance(url, str) or not url:
                raise ValueError("webhookURL is required")
            hook.url = url
        if full or "transactionTypes" in body:
            types = body.get("transactionTypes")
            if (
                not isinstance(types, list)
                or not types
                or not all(isinstance(t, str) for t in types)
            ):
                raise ValueError("transactionTypes must be a non-empty list of strings")
            hook.transaction_types = list(types)
        if full or "accountAddresses" in body:
            addresses = body.get("accountAddresses", [])
            if not isinstance(addresses, list) or len(addresses) > MAX_ADDRESSES:
                raise ValueError(f"accountAddresses must be a list of at most {MAX_ADDRESSES}")
            hook.addresses = [str(a) for a in addresses]
            hook.address_set = frozenset(hook.addresses)
        kind = body.get("webhookType", hook.webhook_type if not full else "enhanced")
        if kind not in WEBHOOK_TYPES:
            raise ValueError(f"unknown webhookType {kind!r}")
        hook.webhook_type = kind
        if full or "authHeader" in body:
            auth = body.get("authHeader")
            hook.auth_header = auth if isinstance(auth, str) and auth else None
        hook.txn_status = str(body.get("txnStatus", hook.txn_status if not full else "all"))
        if "encoding" in body:
            hook.encoding = str(body["encoding"])
        if "active" in body:
            hook.active = bool(body["active"])


class WebhookPusher:
    """Delivers matching chain events to every active enhanced webhook."""

    def __init__(
        self,
        services: SimServices,
        registry: WebhookRegistry,
        injector: FaultInjector,
        *,
        retry_interval_s: float,
        delay_s: tuple[float, float],
        timeout_s: float,
        batch_max: int = 1,
        retries: int = 3,
    ) -> None:
        self.s = services
        self.registry = registry
        self.injector = injector
        self.retry_interval_s = retry_interval_s
        self.delay_s = delay_s
        self.timeout_s = timeout_s
        self.batch_max = batch_max
        self.retries = retries
        self.stats = {
            "matched": 0,
            "posts": 0,
            "delivered": 0,
            "events_delivered": 0,
            "failed_attempts": 0,
            "retries": 0,
            "dropped": 0,
            "lost_by_fault": 0,
            "duplicates": 0,
        }
        self._queues: dict[str, deque[ChainEvent]] = {}
        self._wake = asyncio.Event()
        self._changed = asyncio.Condition()
        self._rng = random.Random(f"{services.world.seed}:pusher")
        self._tasks: set[asyncio.Task[None]] = set()
        self._worker: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        services.world.market.listeners.append(self._on_event)

    def _on_event(self, event: ChainEvent) -> None:
        hooks = self.registry.hooks
        if not hooks:
            return
        type_of = self.s.enhanced.type_of
        for hook in hooks.values():
            if hook.wants(event, type_of):
                self._queues.setdefault(hook.webhook_id, deque()).append(event)
                self.stats["matched"] += 1
                self._wake.set()

    async def start(self) -> None:
        """Start delivering."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_s))
        self._worker = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop delivering; pending deliveries are abandoned."""
        tasks = [*self._tasks, *([self._worker] if self._worker else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    async def wait_for(
        self, predicate: Callable[[dict[str, int]], bool], timeout: float = 10.0
    ) -> None:
        """Wait until `predicate(stats)` holds (TimeoutError after `timeout` seconds)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: predicate(self.stats))

    async def _count(self, key: str) -> None:
        async with self._changed:
            self.stats[key] += 1
            self._changed.notify_all()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            for webhook_id, queue in list(self._queues.items()):
                while queue:
                    batch = [queue.popleft() for _ in range(min(self.batch_max, len(queue)))]
                    task = asyncio.create_task(self._deliver(webhook_id, batch))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)

    async def _deliver(self, webhook_id: str, batch: list[ChainEvent]) -> None:
        low, high = self.delay_s
        if high > 0:
            await asyncio.sleep(self._rng.uniform(low, high))
        hook = self.registry.hooks.get(webhook_id)
        if hook is None:
            return
        injector = self.injector
        outcome, _ = injector.decide("POST", hook.url)
        if outcome != "ok" or injector.chance(injector.settings.drop_rate):
            await self._count("lost_by_fault")
            return
        delay = injector.latency()
        if delay > 0:
            await asyncio.sleep(delay)
        body = json.dumps([self.s.enhanced.render(e) for e in batch], sort_keys=True).encode()
        headers = {"Content-Type": "application/json"}
        if hook.auth_header is not None:
            headers["Authorization"] = hook.auth_header
        for attempt in range(1 + self.retries):
            if attempt:
                await self._count("retries")
                await asyncio.sleep(self.retry_interval_s)
            if await self._post(hook.url, body, headers):
                self.stats["events_delivered"] += len(batch)
                await self._count("delivered")
                if injector.chance(injector.settings.duplicate_rate):
                    await self._post(hook.url, body, headers)
                    await self._count("duplicates")
                return
            await self._count("failed_attempts")
        await self._count("dropped")

    async def _post(self, url: str, body: bytes, headers: dict[str, str]) -> bool:
        assert self._session is not None
        await self._count("posts")
        try:
            async with self._session.post(url, data=body, headers=headers) as response:
                await response.read()
                return 200 <= response.status < 300
        except (aiohttp.ClientError, TimeoutError):
            return False
