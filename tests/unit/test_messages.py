"""Messages are immutable, keyword-only, and carry tz-aware times."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

import pytest

from walltrack.domain.messages.control import HaltCause, PauseTrading, TradingHalted

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def test_messages_are_frozen_and_have_an_envelope() -> None:
    correlation = uuid.uuid4()
    event = TradingHalted(
        correlation_id=correlation,
        ts_event=NOW,
        ts_init=NOW,
        cause=HaltCause.OPERATOR_PAUSE,
        detail="x",
    )
    assert event.correlation_id == correlation
    assert isinstance(event.msg_id, uuid.UUID)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.detail = "changed"  # type: ignore[misc]
    assert not hasattr(event, "__dict__")  # slotted


def test_naive_times_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        PauseTrading(
            correlation_id=uuid.uuid4(),
            ts_event=datetime(2026, 11, 22),  # noqa: DTZ001 - the point of the test
            ts_init=NOW,
            requested_by="t",
        )


def test_fields_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        PauseTrading(uuid.uuid4(), NOW, NOW, "t")  # type: ignore[misc]
