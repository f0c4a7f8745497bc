"""POST /webhooks/helius: Helius enhanced-transaction deliveries into the tree.

What a trading system needs from this edge, and how it is met:
- Only Helius (or a signing relay) gets in: the Authorization header is compared in
  constant time before the body is read; an HMAC of the raw body is required too when
  configured (webhook_auth). A refused POST touches neither the store nor the tree.
- Bad input never costs a 500 and never hides good input: size limit (413), invalid JSON
  or a non-array (400), then each element validated on its own; malformed elements are
  reported by index and reason while the valid ones go through (200 with a summary).
- A swap is handed on once: recent signatures are answered from memory (RecentSignatures,
  and the ones handed on whose record is not confirmed yet), the rest by the durable store,
  whose UNIQUE signature is the authority across restarts.
- Fast: a blocking store (PostgreSQL) is written by threads that group-commit every
  delivery waiting (group_commit), never on the event loop (a memory store is called in
  place); classification is a pure function; the sink is a `tell`. The reply never waits
  for an actor, nor longer than `store_budget_s` for the store.

Reply once recorded, hand on while recording. A 200 must mean "recorded": Helius retries
only non-2xx replies, so an acknowledged event lost in a crash is never redelivered (and
a write-behind queue would decide duplicates from memory alone, after a restart too).
With a healthy blocking store the swaps are handed on as their record is submitted, not
after its commit (10-40 ms of the decision latency under load); a store that failed turns
this off until it records again (fail closed). What each crash point leaves:
- before the store committed: no 200 was sent, Helius retries, the retry is new (a swap
  handed on early is handed on again: the ids downstream derive from the signature, so
  its signal, position and order are each stored once);
- after the commit, before the hand-off or the reply: the row is there with
  `processed_at` NULL; the retry is a duplicate, so the swap is recovered by replaying
  unprocessed rows at start-up (WebhookEventRepository.unprocessed) and by the RPC
  backfill of tracked wallets, both deduplicated on the signature downstream;
- the store unavailable: 503, Helius retries; a swap handed on early is remembered as
  unrecorded, so its retry is recorded without being handed on twice;
- the store slower than the budget: 503 at the budget, and the swaps are handed on when
  the store answers (the retry is then a duplicate).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from aiohttp import web

from walltrack.adapters.webhook.delivery_memory import DeliveryMemory
from walltrack.adapters.webhook.group_commit import GroupCommitWriter, Outcome, record_batch
from walltrack.adapters.webhook.payload_validation import element_problem
from walltrack.adapters.webhook.recent_signatures import DEFAULT_CAPACITY
from walltrack.adapters.webhook.tracked_swaps import tracked_swaps
from walltrack.adapters.webhook.webhook_auth import SIGNATURE_HEADER, WebhookAuth
from walltrack.adapters.webhook.webhook_metrics import WebhookMetrics
from walltrack.adapters.webhook.webhook_replies import json_reply, late_body
from walltrack.ports import Clock, SwapSink, TrackedWallets, WebhookEventStore

WEBHOOK_PATH = "/webhooks/helius"
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
_log = structlog.get_logger(__name__)

type Element = tuple[int, dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDependencies:
    """What the receiver needs; `authorization` is the exact header value Helius sends."""

    authorization: str
    store: WebhookEventStore
    tracked: TrackedWallets
    sink: SwapSink
    hmac_secret: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    recent_capacity: int = DEFAULT_CAPACITY
    store_workers: int = 1
    """Writer threads of the group commit (one statement in flight each). One: a second
    writer made smaller groups, so more synchronous commits beside the entry's: in ten
    alternating pairs of decision runs at 500 events/s, one writer gave the lower p50 in
    eight and the faster slowest probe in nine (15-26 ms against 27-56 ms in six)."""
    store_budget_s: float = 0.8
    handed_on: Callable[[Sequence[str]], None] | None = None
    """Told the signatures of recorded elements once handed on (must return at once):
    the store marks them processed, so start-up replays only what a crash cut off."""


class HeliusReceiver:
    """The handler and its state (auth, recent signatures, metrics, the store's threads)."""

    def __init__(self, deps: WebhookDependencies, clock: Clock, metrics: WebhookMetrics) -> None:
        if deps.max_body_bytes < 1 or deps.store_workers < 1 or deps.store_budget_s <= 0:
            msg = "max_body_bytes, store_workers and store_budget_s must be positive"
            raise ValueError(msg)
        self._auth = WebhookAuth(deps.authorization, deps.hmac_secret)
        self._deps = deps
        self._clock = clock
        self.metrics = metrics
        self.memory = DeliveryMemory(deps.recent_capacity, deps.store.recent_signatures)
        self._writer: GroupCommitWriter | None = None
        self._store_ok = True  # the last answer of the store was a record

    async def resources(self, _app: web.Application) -> AsyncIterator[None]:
        """cleanup_ctx: the store's writer threads; queued records finish on shutdown."""
        self._writer = GroupCommitWriter(self._deps.store, writers=self._deps.store_workers)
        self._writer.start()
        if self._deps.store.blocks:  # a store not ready yet is asked again per delivery
            await asyncio.wait([self.memory.warm_up()], timeout=self._deps.store_budget_s)
        try:
            yield
        finally:
            self.memory.close()
            writer, self._writer = self._writer, None
            await asyncio.to_thread(writer.close)

    async def handle(self, request: web.Request) -> web.Response:
        """Authenticate, bound, parse, validate, dedupe, record, classify, hand on, reply."""
        started = time.perf_counter()
        admitted = await self._admit(request, started)
        if isinstance(admitted, web.Response):
            return admitted
        mark = time.perf_counter()
        try:
            data = json.loads(admitted)
        except (ValueError, RecursionError):  # bad JSON, bad UTF-8, absurd nesting
            return self._bad(400, "invalid_json", "body is not valid JSON", started)
        if type(data) is not list:
            return self._bad(400, "not_array", "body is not a JSON array", started)
        if not data:
            return self._bad(400, "empty_array", "body is an empty array", started)
        self.metrics.stage_seconds.observe(time.perf_counter() - mark, "parse")
        return await self._process(data, started)

    async def _admit(self, request: web.Request, started: float) -> bytes | web.Response:
        """The raw body of an authorised delivery within the size limit, or the refusal.

        The Authorization header is checked before the body is read, so a stranger cannot
        make the receiver buffer anything; the HMAC (when required) needs the body.
        """
        stage = self.metrics.stage_seconds.observe
        if not self._auth.authorised(request.headers.get("Authorization")):
            return self._unauthorised(request, "authorization", started)
        auth_s = time.perf_counter() - started
        limit = self._deps.max_body_bytes
        length = request.content_length
        if length is not None and length > limit:
            reason = f"body of {length} bytes exceeds the {limit}-byte limit"
            return self._bad(413, "body_too_large", reason, started)
        mark = time.perf_counter()
        body = await _read_bounded(request, limit)
        if body is None:
            return self._bad(413, "body_too_large", f"body exceeds the {limit}-byte limit", started)
        read_done = time.perf_counter()
        stage(read_done - mark, "read")
        if not self._auth.signed(request.headers.get(SIGNATURE_HEADER), body):
            return self._unauthorised(request, "signature", started)
        stage(auth_s + time.perf_counter() - read_done, "auth")
        return body

    async def _process(self, data: list[Any], started: float) -> web.Response:
        metrics, stage = self.metrics, self.metrics.stage_seconds.observe
        mark = time.perf_counter()
        valid: list[Element] = []
        rejected: list[dict[str, object]] = []
        for index, element in enumerate(data):
            problem = element_problem(element)
            if problem is None:
                valid.append((index, element))
            else:
                rejected.append({"index": index, "reason": problem.reason})
                metrics.rejected.inc(problem.field)
        metrics.received.inc(by=len(data))
        stage(time.perf_counter() - mark, "validation")
        if not valid:
            _log.info("webhook_body_rejected", elements=len(data))
            return self._reply(400, {"error": "no valid element", "rejected": rejected}, started)
        mark = time.perf_counter()
        received_at = self._clock.now()
        fresh, duplicates = self._not_seen_recently(valid)
        outcomes: list[Outcome] = []
        late, early = False, 0
        if fresh and not self._deps.store.blocks:
            outcomes = record_batch(self._deps.store, _raw(fresh, received_at))
        elif fresh:
            if self._store_ok and self.memory.warmed:
                early = self._hand_on_early(fresh, received_at)
            elif not self.memory.warmed:
                self.memory.warm_up()
            outcomes, late = await self._record_on_thread(fresh, received_at)
        stage(time.perf_counter() - mark, "dedupe")
        if late:
            self._store_ok = False
            return self._reply(503, late_body(len(fresh), rejected), started)
        summary = self._finish(fresh, outcomes, received_at)
        summary["swaps"] += early
        summary["duplicates"] += duplicates
        summary["rejected"] = rejected
        status = 503 if summary["unavailable"] else 200
        if status == 503:
            summary["error"] = "event store unavailable; the unrecorded elements need a retry"
        return self._reply(status, summary, started)

    def _not_seen_recently(self, valid: list[Element]) -> tuple[list[Element], int]:
        fresh: list[Element] = []
        here: set[str] = set()
        memory = self.memory
        for index, element in valid:
            signature = element["signature"]
            if signature in here or signature in memory:
                continue
            here.add(signature)
            fresh.append((index, element))
        duplicates = len(valid) - len(fresh)
        if duplicates:
            self.metrics.duplicates.inc("memory", by=duplicates)
        return fresh, duplicates

    def _hand_on_early(self, fresh: list[Element], received_at: datetime) -> int:
        """Hand the swaps of `fresh` on while their record is written; how many."""
        claimed = set(self.memory.claim_early(e["signature"] for _i, e in fresh))
        elements = [e for _i, e in fresh if e["signature"] in claimed]
        return self._hand_on(elements, received_at)

    async def _record_on_thread(
        self, fresh: list[Element], received_at: datetime
    ) -> tuple[list[Outcome], bool]:
        """A blocking store's answer per element; (_, True) when it missed the budget.

        The store's answer always reaches `_finish`: in time through the waiter, or after
        the reply (budget passed, or the handler cancelled) through `_finish_late`, so a
        recorded swap is never left unhanded.
        """
        writer = self._writer
        if writer is None:
            msg = "the webhook receiver's resources are not started (cleanup_ctx)"
            raise RuntimeError(msg)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[list[Outcome] | None] = loop.create_future()

        def deliver(answer: Future[list[Outcome]]) -> None:  # on the loop
            # The waiter gets the answer's value, never the answer itself: the answer holds
            # this function in its callbacks, and a cycle would leave this delivery's
            # parsed payload to the cyclic collector instead of reference counting.
            if waiter.done():
                self._finish_late(fresh, answer, received_at)
            elif (error := answer.exception()) is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(answer.result())

        def expire() -> None:
            if not waiter.done():
                waiter.set_result(None)

        answer = writer.submit(_raw(fresh, received_at))
        answer.add_done_callback(lambda done: loop.call_soon_threadsafe(deliver, done))
        timer = loop.call_later(self._deps.store_budget_s, expire)
        try:
            arrived = await waiter
        finally:
            timer.cancel()
        if arrived is None:
            _log.warning("webhook_store_slow", elements=len(fresh))
            return [], True
        return arrived, False

    def _finish_late(
        self, fresh: list[Element], answer: Future[list[Outcome]], received_at: datetime
    ) -> None:
        """The store answered after the reply: hand on what it recorded all the same."""
        error = answer.exception()
        if error is not None:
            _log.error("webhook_store_failed_late", elements=len(fresh), error=type(error).__name__)
            return
        self._finish(fresh, answer.result(), received_at)

    def _finish(
        self, fresh: list[Element], outcomes: list[Outcome], received_at: datetime
    ) -> dict[str, Any]:
        """Remember the answers, classify the new elements and hand their swaps on."""
        metrics, stage = self.metrics, self.metrics.stage_seconds.observe
        mark = time.perf_counter()
        accepted: list[dict[str, Any]] = []
        unavailable: list[int] = []
        store_duplicates = 0
        to_hand_on: list[dict[str, Any]] = []
        for (index, element), outcome in zip(fresh, outcomes, strict=True):
            if outcome is None:
                unavailable.append(index)
                continue
            hand_on = self.memory.recorded(element["signature"], new=outcome)
            if outcome:
                accepted.append(element)
                if hand_on:  # not when it was handed on early
                    to_hand_on.append(element)
            else:
                store_duplicates += 1
        self._store_ok = not unavailable
        if unavailable:
            metrics.unavailable.inc(by=len(unavailable))
            if getattr(self._deps.store, "accepting", True):
                _log.error("webhook_store_unavailable", elements=len(unavailable))
            else:  # the tree is starting or stopping: refused on purpose, Helius retries
                _log.debug("webhook_refused_tree_not_ready", elements=len(unavailable))
        metrics.accepted.inc(by=len(accepted))
        if store_duplicates:
            metrics.duplicates.inc("store", by=store_duplicates)
        stage(time.perf_counter() - mark, "classify")
        swaps = self._hand_on(to_hand_on, received_at)
        if accepted and self._deps.handed_on is not None:
            self._deps.handed_on([element["signature"] for element in accepted])
        return {
            "accepted": len(accepted),
            "duplicates": store_duplicates,
            "swaps": swaps,
            "unavailable": unavailable,
        }

    def _hand_on(self, elements: list[dict[str, Any]], received_at: datetime) -> int:
        """Classify `elements` and tell the sink their tracked swaps; how many."""
        metrics = self.metrics
        handoff_started = time.perf_counter()
        observed = [
            message
            for element in elements
            for message in tracked_swaps(
                element, self._deps.tracked, received_at, self._count_not_a_swap
            )
        ]
        sink = self._deps.sink
        for message in observed:
            try:
                sink.submit(message)
            except Exception as error:  # recorded, so replayable: never a 500
                metrics.handoff_failures.inc()
                _log.error("webhook_handoff_failed", error=type(error).__name__)
            else:
                metrics.swaps.inc(message.swap.side.value)
        metrics.stage_seconds.observe(time.perf_counter() - handoff_started, "handoff")
        return len(observed)

    def _count_not_a_swap(self, reason: str) -> None:
        self.metrics.not_swaps.inc(reason)

    def _unauthorised(self, request: web.Request, check: str, started: float) -> web.Response:
        self.metrics.unauthorised.inc(check)
        _log.warning("webhook_unauthorised", check=check, remote=request.remote)
        header = "Authorization" if check == "authorization" else SIGNATURE_HEADER
        body = {"error": "unauthorised", "reason": f"missing or wrong {header} header"}
        return self._reply(401, body, started)

    def _bad(self, status: int, code: str, reason: str, started: float) -> web.Response:
        self.metrics.bad_requests.inc(code)
        return self._reply(status, {"error": code, "reason": reason}, started)

    def _reply(self, status: int, body: Mapping[str, object], started: float) -> web.Response:
        self.metrics.requests.inc(str(status))
        response = json_reply(status, body)
        self.metrics.stage_seconds.observe(time.perf_counter() - started, "total")
        return response


def _raw(fresh: list[Element], received_at: datetime) -> list[tuple[str, Any, datetime]]:
    return [(element["signature"], element, received_at) for _index, element in fresh]


async def _read_bounded(request: web.Request, limit: int) -> bytes | None:
    """The body, or None once it passes `limit` bytes (chunked bodies have no length)."""
    if request.content_length is not None:
        return await request.read()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def add_webhook_routes(
    app: web.Application, deps: WebhookDependencies, clock: Clock, metrics: WebhookMetrics
) -> HeliusReceiver:
    """Register POST /webhooks/helius and its resources on `app`."""
    receiver = HeliusReceiver(deps, clock, metrics)
    app.cleanup_ctx.append(receiver.resources)
    app.router.add_post(WEBHOOK_PATH, receiver.handle)
    return receiver
