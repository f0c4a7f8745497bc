"""The webhook store's group commit: deliveries waiting on a write go out together."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from walltrack.adapters.webhook.group_commit import GroupCommitWriter, RawEvent, record_batch
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore
from walltrack.errors import StoreUnavailableError

AT = datetime(2026, 11, 22, tzinfo=UTC)


def _events(*signatures: str) -> list[RawEvent]:
    return [(s, {"signature": s}, AT) for s in signatures]


class BatchRecordingStore:
    """Counts each store call's size; the first call waits until the test releases it."""

    blocks = True

    def __init__(self) -> None:
        self.inner = InMemoryWebhookEventStore()
        self.calls: list[list[str]] = []
        self.first_call_started = threading.Event()
        self.release = threading.Event()
        self.down = False

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        raise AssertionError("a batch store is called once per batch")

    def record_many(self, events: Sequence[RawEvent]) -> list[bool]:
        self.calls.append([signature for signature, _, _ in events])
        if len(self.calls) == 1:
            self.first_call_started.set()
            self.release.wait(30)
        if self.down:
            raise StoreUnavailableError("postgres", "connection refused")
        return self.inner.record_many(events)


def test_deliveries_queued_behind_a_write_share_the_next_one() -> None:
    store = BatchRecordingStore()
    writer = GroupCommitWriter(store, writers=1)
    writer.start()
    try:
        first = writer.submit(_events("a"))
        assert store.first_call_started.wait(30)
        second = writer.submit(_events("b", "c"))
        third = writer.submit(_events("b", "d"))  # "b" again, from another delivery
        store.release.set()
        assert first.result(30) == [True]
        assert second.result(30) == [True, True]
        assert third.result(30) == [False, True]
    finally:
        writer.close()
    assert store.calls == [["a"], ["b", "c", "b", "d"]]


def test_an_outage_refuses_every_delivery_of_the_batch() -> None:
    store = BatchRecordingStore()
    store.down = True
    writer = GroupCommitWriter(store, writers=1)
    writer.start()
    try:
        first = writer.submit(_events("a"))
        assert store.first_call_started.wait(30)
        second = writer.submit(_events("b"))
        store.release.set()
        assert first.result(30) == [None]
        assert second.result(30) == [None]
    finally:
        writer.close()
    assert store.inner.signatures() == frozenset()


def test_close_finishes_what_was_queued_and_refuses_more() -> None:
    store = InMemoryWebhookEventStore()
    writer = GroupCommitWriter(store, writers=2)
    writer.start()
    answers = [writer.submit(_events(f"s{i}")) for i in range(50)]
    writer.close()
    assert [a.result(0) for a in answers] == [[True]] * 50
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(_events("late"))


class OneByOneStore:
    """A store without `record_many` that fails from its third call on."""

    blocks = True

    def __init__(self) -> None:
        self.recorded: list[str] = []

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        if len(self.recorded) == 2:
            raise StoreUnavailableError("postgres", "connection refused")
        self.recorded.append(signature)
        return True


def test_a_store_without_batches_is_called_per_event_until_its_outage() -> None:
    store = OneByOneStore()
    assert record_batch(store, _events("a", "b", "c", "d")) == [True, True, None, None]
    assert store.recorded == ["a", "b"]


class CallLog:
    """A batch store that only notes each call's signatures."""

    blocks = True

    def __init__(self) -> None:
        self.inner = InMemoryWebhookEventStore()
        self.calls: list[list[str]] = []

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        raise AssertionError("a batch store is called once per batch")

    def record_many(self, events: Sequence[RawEvent]) -> list[bool]:
        self.calls.append([signature for signature, _, _ in events])
        return self.inner.record_many(events)


def test_a_busy_writer_gathers_until_its_interval_or_a_full_batch() -> None:
    store = CallLog()
    # An interval far longer than the test: only a full batch or close() may end a wait.
    writer = GroupCommitWriter(store, writers=1, max_batch=3, min_interval_s=3600)
    writer.start()
    try:
        assert writer.submit(_events("a")).result(30) == [True]  # idle: written at once
        second = writer.submit(_events("b"))
        third = writer.submit(_events("c"))
        assert not second.done()  # waits for company within the interval
        fourth = writer.submit(_events("d"))  # the batch is full: written now
        assert [f.result(30) for f in (second, third, fourth)] == [[True]] * 3
        fifth = writer.submit(_events("e"))
    finally:
        writer.close()  # ends the wait of the fifth without its interval
    assert fifth.result(0) == [True]
    assert store.calls == [["a"], ["b", "c", "d"], ["e"]]


def test_a_negative_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="min_interval_s"):
        GroupCommitWriter(CallLog(), min_interval_s=-0.01)
