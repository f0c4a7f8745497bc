"""Operational rows: configuration, exit strategies, breaker events, webhooks, alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from walltrack.domain.params.exit_presets import ExitStrategy


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigEntry:
    """One stored configuration section and its version (bumped on every change)."""

    section: str
    value: dict[str, Any]
    version: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigChange:
    """One row of the configuration history: who changed what, from what, to what."""

    change_id: int
    section: str
    path: str
    old_value: dict[str, Any] | None
    new_value: dict[str, Any]
    version: int
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitStrategyRecord:
    """A stored exit strategy; presets are seeded, the operator may edit or add more."""

    strategy: ExitStrategy
    is_preset: bool
    updated_at: datetime


class BreakerAction(StrEnum):
    """What a circuit-breaker rule did."""

    WARN = "warn"
    REDUCE_SIZE = "reduce_size"
    PAUSE = "pause"
    BLOCK_UNTIL_NEXT_DAY = "block_until_next_day"
    RESUME = "resume"
    RESET = "reset"


@dataclass(frozen=True, slots=True, kw_only=True)
class CircuitBreakerEventRecord:
    """One circuit-breaker decision with the figures that triggered it."""

    event_id: int | None = None
    occurred_at: datetime
    rule: str
    action: BreakerAction
    reason: str
    metrics: dict[str, Any]
    triggered_by: str = "circuit_breaker"


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookEventRecord:
    """A raw webhook payload, kept as received; the signature is the dedupe key."""

    event_id: int | None = None
    signature: str
    source: str = "helius"
    payload: dict[str, Any] | list[Any]
    received_at: datetime
    processed_at: datetime | None = None


class AlertSeverity(StrEnum):
    """How loudly an alert asks for the operator."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertRecord:
    """Something the operator must see (failed exit, health, breaker)."""

    alert_id: int | None = None
    raised_at: datetime
    severity: AlertSeverity
    source: str
    code: str
    message: str
    details: dict[str, Any]
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
