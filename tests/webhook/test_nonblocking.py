"""The reply never waits for the tree, and never waits past its budget for the store."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pykka

from tests.webhook.kit import RecordingSink, post, real_payloads, webhook_client
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.errors import StoreUnavailableError


class StuckIngress(pykka.ThreadingActor):
    """An ingress actor whose handling blocks on an event the test never sets."""

    def __init__(self, received: threading.Event, release: threading.Event) -> None:
        super().__init__()
        self.received = received
        self.release = release
        self.finished = threading.Event()

    def on_receive(self, message: Any) -> None:
        self.received.set()
        self.release.wait()
        self.finished.set()


class TellSink:
    """The sink the pipeline uses: a `tell` to the ingress actor."""

    def __init__(self, ref: pykka.ActorRef[Any]) -> None:
        self._ref = ref

    def submit(self, message: SwapObserved) -> None:
        self._ref.tell(message)


async def test_the_reply_is_sent_while_the_ingress_is_still_blocked() -> None:
    received, release = threading.Event(), threading.Event()
    ref = StuckIngress.start(received, release)
    proxy_finished: threading.Event = ref.proxy().finished.get(timeout=5)
    payloads = real_payloads()
    buy, sell = payloads["11"], payloads["12"]
    try:
        async with webhook_client(sink=TellSink(ref), tracked=[buy["feePayer"]]) as client:
            status, reply = await post(client, [buy])
            assert (status, reply["swaps"]) == (200, 1)
            assert received.wait(10)  # the actor has the swap and is stuck handling it
            status, reply = await post(client, [sell])  # still answered at once
            assert (status, reply["swaps"]) == (200, 1)
            assert not proxy_finished.is_set()
            assert ref.is_alive()
    finally:
        release.set()
        ref.stop(timeout=10)
    assert proxy_finished.is_set()


class GatedStore:
    """A store whose answers wait for the test: slow or unavailable on demand."""

    blocks = True

    def __init__(self) -> None:
        self.inner = InMemoryWebhookEventStore()
        self.gate = threading.Event()
        self.gate.set()
        self.calls = threading.Semaphore(0)
        self.answered = threading.Semaphore(0)
        self.down = False
        self.recorded_at = datetime.now(UTC)

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        self.calls.release()
        self.gate.wait()
        if self.down:
            raise StoreUnavailableError("postgres", "connection refused")
        new = self.inner.record_new(signature, payload, received_at)
        self.answered.release()
        return new

    def recent_signatures(self, limit: int) -> list[str]:
        return self.inner.recent_signatures(limit)


async def test_an_unavailable_store_gets_503_and_the_retry_is_recorded_not_handed_on_again() -> (
    None
):
    buy, sell = real_payloads()["18"], real_payloads()["12"]
    store, sink = GatedStore(), RecordingSink()
    store.down = True
    tracked = [buy["feePayer"], sell["feePayer"]]
    async with webhook_client(store=store, sink=sink, tracked=tracked) as client:
        status, reply = await post(client, [buy])
        assert status == 503
        assert reply["unavailable"] == [0]
        assert reply["accepted"] == 0
        # Handed on while its record was written (the store had not failed before).
        assert [m.signature for m in sink.messages] == [buy["signature"]]
        status, reply = await post(client, [sell])  # the store failed: fail closed now
        assert status == 503
        assert [m.signature for m in sink.messages] == [buy["signature"]]
        store.down = False  # PostgreSQL is back; Helius retries a minute later
        status, reply = await post(client, [buy])
        assert (status, reply["accepted"], reply["swaps"]) == (200, 1, 0)  # recorded only
        status, reply = await post(client, [sell])
        assert (status, reply["accepted"], reply["swaps"]) == (200, 1, 1)
        page = await (await client.get("/metrics")).text()
    assert "walltrack_webhook_events_store_unavailable_total 2" in page
    assert [m.signature for m in sink.messages] == [buy["signature"], sell["signature"]]
    assert store.inner.record_new(buy["signature"], buy, store.recorded_at) is False


async def test_a_store_slower_than_the_budget_gets_503_and_the_swap_goes_on_once() -> None:
    buy = real_payloads()["18"]
    store, sink = GatedStore(), RecordingSink()
    store.gate.clear()  # the store hangs until the test lets it answer
    async with webhook_client(
        store=store, sink=sink, tracked=[buy["feePayer"]], store_budget_s=0.05
    ) as client:
        status, reply = await post(client, [buy])
        assert status == 503  # Helius gets an answer inside its 1 s budget
        assert reply["pending"] == 1
        assert store.calls.acquire(timeout=10)
        # The tree has the swap already: it was handed on as its record was submitted.
        assert [m.signature for m in sink.messages] == [buy["signature"]]
        store.gate.set()  # the store answers late: nothing is handed on twice
        assert await asyncio.to_thread(store.answered.acquire, True, 10)
        status, reply = await post(client, [buy])  # the retry is a duplicate
        assert (status, reply["duplicates"], reply["swaps"]) == (200, 1, 0)
    assert len(sink.messages) == 1


async def test_a_swap_is_handed_on_while_its_record_is_written_and_the_reply_waits_for_it() -> None:
    buy = real_payloads()["18"]
    store, sink = GatedStore(), RecordingSink()
    store.gate.clear()  # the record is being written until the test lets it finish
    async with webhook_client(
        store=store, sink=sink, tracked=[buy["feePayer"]], store_budget_s=30
    ) as client:
        replying = asyncio.create_task(post(client, [buy]))
        [message] = await asyncio.to_thread(sink.wait_for, 1)
        assert message.signature == buy["signature"]
        assert store.calls.acquire(timeout=10)
        assert not replying.done()  # a 200 still means "recorded"
        store.gate.set()
        status, reply = await replying
        assert (status, reply["accepted"], reply["swaps"]) == (200, 1, 1)
    assert len(sink.messages) == 1
