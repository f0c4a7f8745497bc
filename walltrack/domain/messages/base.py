"""The envelope every WallTrack message carries.

Why: messages cross threads, so they are frozen and carry everything a handler or a log line
needs to trace them: a unique id, the correlation id of the flow that caused them, when the
underlying event happened (`ts_event`) and when this message object was made (`ts_init`).
Times are passed in, never read here, so the domain stays free of clock reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar, dataclass_transform
from uuid import UUID

from walltrack.domain.ids import random_uuid

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def MESSAGE(cls: type[_T]) -> type[_T]:  # noqa: N802, UP047 - reads as a marker; mypy needs a TypeVar
    """The one decorator for messages: immutable, slotted, keyword-only."""
    return dataclass(frozen=True, slots=True, kw_only=True)(cls)


@dataclass(frozen=True, slots=True, kw_only=True)  # mypy cannot apply MESSAGE in its own module
class Message:
    """Base of all commands and events."""

    correlation_id: UUID
    ts_event: datetime
    ts_init: datetime
    msg_id: UUID = field(default_factory=random_uuid)

    def __post_init__(self) -> None:
        # Read directly, not in a loop of getattr: every message of the tree passes here.
        if self.ts_event.tzinfo is None or self.ts_init.tzinfo is None:
            name = "ts_event" if self.ts_event.tzinfo is None else "ts_init"
            value = getattr(self, name)
            msg = f"{type(self).__name__}.{name} must be timezone-aware, got {value!r}"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True, kw_only=True)
class Command(Message):
    """A request to do something; named in the imperative (`OpenPosition`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Message):
    """A fact that happened; named in the past tense (`PositionOpened`)."""
