"""Message ids: unique version-4 UUIDs made without a system call."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest

from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.risk import CircuitBreakerReset


def test_ids_are_rfc4122_version4_and_unique() -> None:
    ids = [random_uuid() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {4}
    assert {i.variant for i in ids} == {uuid.RFC_4122}
    # Every random bit varies: none stuck at 0 or 1 over the draws.
    fixed = (0xF000 << 64) | (0xC000 << 48)
    ored = anded = ids[0].int
    for i in ids:
        ored, anded = ored | i.int, anded & i.int
    assert (ored & ~fixed) == ((1 << 128) - 1) & ~fixed
    assert anded & ~fixed == 0


def test_messages_take_their_id_without_reading_the_system_random(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """os.urandom releases the interpreter lock: a message on the decision path must not
    call it (each call let a busy thread in ahead of the signal)."""

    def refuse(_size: int) -> bytes:
        raise AssertionError("os.urandom called")

    monkeypatch.setattr(os, "urandom", refuse)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    stamp = {"ts_event": now, "ts_init": now, "requested_by": "test", "cleared_rules": ()}
    first = CircuitBreakerReset(correlation_id=random_uuid(), **stamp)
    second = CircuitBreakerReset(correlation_id=first.correlation_id, **stamp)
    assert first.msg_id != second.msg_id
    assert first.msg_id.version == 4
