"""Circuit-breaker events, webhook events (dedupe by signature) and alerts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.integration.postgres.builders import PLUS_5, T0
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.alerts import AlertRepository
from walltrack.adapters.postgres.repositories.circuit_breaker_events import (
    CircuitBreakerEventRepository,
)
from walltrack.adapters.postgres.repositories.webhook_events import WebhookEventRepository
from walltrack.domain.records import (
    AlertRecord,
    AlertSeverity,
    BreakerAction,
    CircuitBreakerEventRecord,
    WebhookEventRecord,
)

pytestmark = pytest.mark.integration


def test_breaker_events_round_trip_newest_first(pg_db: Database) -> None:
    events = CircuitBreakerEventRepository(pg_db)
    first = CircuitBreakerEventRecord(
        occurred_at=T0,
        rule="drawdown",
        action=BreakerAction.WARN,
        reason="drawdown 15.2% >= 15%",
        metrics={"drawdown": "0.152", "peak_lamports": 10_000_000_000},
    )
    stored = events.record(first)
    later = events.record(
        replace(first, occurred_at=T0 + timedelta(minutes=5), action=BreakerAction.PAUSE)
    )
    assert stored.event_id is not None
    assert replace(stored, event_id=None) == first
    assert [e.action for e in events.since(T0)] == [BreakerAction.PAUSE, BreakerAction.WARN]
    assert events.since(T0 + timedelta(minutes=1)) == [later]


def test_webhook_event_is_deduplicated_by_signature(pg_db: Database) -> None:
    webhooks = WebhookEventRepository(pg_db)
    payload = [{"signature": "sigA", "type": "SWAP", "tokenTransfers": [], "fee": 5000}]
    event = WebhookEventRecord(signature="sigA", payload=payload, received_at=T0.astimezone(PLUS_5))

    assert webhooks.record(event) is True
    assert webhooks.record(replace(event, received_at=T0 + timedelta(seconds=3))) is False

    stored = webhooks.get("sigA")
    assert stored is not None
    assert stored.event_id is not None
    assert replace(stored, event_id=None) == event
    assert [e.signature for e in webhooks.unprocessed()] == ["sigA"]
    webhooks.mark_processed("sigA", T0 + timedelta(seconds=1))
    assert webhooks.unprocessed() == []


def test_alerts_raise_and_acknowledge(pg_db: Database) -> None:
    alerts = AlertRepository(pg_db)
    alert = alerts.raise_alert(
        AlertRecord(
            raised_at=T0,
            severity=AlertSeverity.CRITICAL,
            source="position_actor",
            code="exit_failed",
            message="exit of MintA failed 3 times; emergency exit sent",
            details={"attempts": 3, "slippage_bps": [100, 300, 500]},
        )
    )
    assert alert.alert_id is not None
    assert alert.severity is AlertSeverity.CRITICAL
    assert alerts.open_alerts() == [alert]

    acked = alerts.acknowledge(alert.alert_id, by="operator", at=T0 + timedelta(minutes=2))
    assert acked is not None
    assert acked.acknowledged_by == "operator"
    assert alerts.acknowledge(alert.alert_id, by="again", at=T0) is None
    assert alerts.open_alerts() == []
    assert alerts.recent() == [acked]


def test_webhook_events_recorded_in_one_statement_are_new_once(pg_db: Database) -> None:
    webhooks = WebhookEventRepository(pg_db)
    earlier = WebhookEventRecord(signature="sigOld", payload={"n": 0}, received_at=T0)
    assert webhooks.record(earlier) is True
    batch = [
        WebhookEventRecord(signature="sigB", payload={"n": 1}, received_at=T0),
        WebhookEventRecord(signature="sigOld", payload={"n": 2}, received_at=T0),
        WebhookEventRecord(signature="sigC", payload=[{"n": 3}], received_at=T0),
        WebhookEventRecord(signature="sigB", payload={"n": 4}, received_at=T0),
    ]

    assert webhooks.record_many(batch) == [True, False, True, False]
    assert webhooks.record_many([]) == []

    payloads = {s: getattr(webhooks.get(s), "payload", None) for s in ("sigB", "sigC", "sigOld")}
    assert payloads == {
        "sigB": {"n": 1},  # the first occurrence wins
        "sigC": [{"n": 3}],
        "sigOld": {"n": 0},  # a duplicate never overwrites
    }
