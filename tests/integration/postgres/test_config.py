"""Hot configuration: validated updates with history, pushed to a listener at commit."""

from __future__ import annotations

import queue
from decimal import Decimal

import pytest

from tests.integration.pg_fixtures import PG_SCHEMA, admin_connect
from walltrack.adapters.postgres.config_listener import APPLICATION_NAME, ConfigListener
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.config import ConfigRepository
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.errors import InvalidParameterError

pytestmark = pytest.mark.integration

WAIT_S = 10


def test_seeded_config_is_the_domain_defaults(pg_db: Database) -> None:
    config = ConfigRepository(pg_db)
    assert config.load_params() == default_params()
    assert {e.version for e in config.entries()} == {1}


def test_update_one_parameter_writes_value_version_and_history(pg_db: Database) -> None:
    config = ConfigRepository(pg_db)
    params = config.update("scoring.threshold", 0.75, "dashboard")
    assert params.scoring.threshold == 0.75
    assert config.load_params().scoring.threshold == 0.75

    entry = next(e for e in config.entries() if e.section == "scoring")
    assert (entry.version, entry.updated_by) == (2, "dashboard")
    [change] = config.history(section="scoring")
    assert change.path == "scoring.threshold"
    assert change.old_value is not None
    assert change.old_value["threshold"] == 0.7
    assert change.new_value["threshold"] == 0.75
    assert (change.version, change.changed_by) == (2, "dashboard")


def test_update_a_whole_section_keeps_money_exact(pg_db: Database) -> None:
    config = ConfigRepository(pg_db)
    params = config.update("sizing", {"min_position_sol": "0.015", "max_position_sol": 2}, "cli")
    assert params.sizing.min_position_sol == Decimal("0.015")
    assert params.sizing.max_position_sol == Decimal(2)
    assert params.sizing.max_concurrent_positions == 5  # omitted keys take the defaults
    assert config.load_params().sizing == params.sizing


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("scoring.threshold", 1.5, "scoring.threshold: must be within [0, 1]"),
        ("scoring.threshold", "high", "scoring.threshold: must be a number"),
        ("scoring.high_conviction", 0.5, "scoring.high_conviction: must be >= threshold"),
        ("tokens.surveillance_refresh_hours", 3, "must be one of 1, 2, 4, 8"),
        ("risk.max_drawdown", 0, "risk.max_drawdown: must be within (0, 1]"),
        ("scoring.weights.wallet", 0.5, "scoring.weights: weights must sum to 1"),
        ("scoring.no_such_knob", 1, "scoring.no_such_knob: unknown parameter"),
        ("nonsense", {}, "nonsense: unknown section"),
    ],
)
def test_bad_values_are_rejected_naming_the_parameter(
    pg_db: Database, path: str, value: object, message: str
) -> None:
    config = ConfigRepository(pg_db)
    with pytest.raises(
        InvalidParameterError, match=message.replace("(", r"\(").replace("[", r"\[")
    ):
        config.update(path, value, "dashboard")
    assert config.load_params() == default_params()
    assert config.history() == []


def test_listener_receives_each_committed_change(pg_db: Database, pg_dsn: str) -> None:
    received: queue.Queue[tuple[RuntimeParams, frozenset[str]]] = queue.Queue()
    listener = ConfigListener(
        pg_dsn, schema=PG_SCHEMA, on_change=lambda p, s: received.put((p, s)), poll_s=0.05
    )
    initial = listener.start()
    try:
        assert initial == default_params()
        config = ConfigRepository(pg_db)
        config.update("sizing.max_concurrent_positions", 3, "dashboard")
        params, sections = received.get(timeout=WAIT_S)
        assert params.sizing.max_concurrent_positions == 3
        assert sections == frozenset({"sizing"})

        with pytest.raises(InvalidParameterError):
            config.update("sizing.max_concurrent_positions", 0, "dashboard")
        config.update("risk.daily_loss_limit", 0.04, "cli")
        params, sections = received.get(timeout=WAIT_S)
        assert sections == frozenset({"risk"})  # the rejected change was never announced
        assert params.risk.daily_loss_limit == 0.04
        assert params.sizing.max_concurrent_positions == 3
    finally:
        listener.stop()


def test_listener_ignores_other_schemas_and_reports_hand_written_bad_config(
    pg_dsn: str,
) -> None:
    changes: queue.Queue[frozenset[str]] = queue.Queue()
    invalid: queue.Queue[InvalidParameterError] = queue.Queue()
    listener = ConfigListener(
        pg_dsn,
        schema=PG_SCHEMA,
        on_change=lambda _p, s: changes.put(s),
        on_invalid=invalid.put,
        poll_s=0.05,
    )
    listener.start()
    try:
        with admin_connect(pg_dsn) as conn:
            conn.execute(
                "SELECT pg_notify('walltrack_config',"
                ' \'{"schema": "walltrack_live", "section": "risk"}\')'
            )
            conn.execute(
                "UPDATE walltrack_paper.config"
                " SET value = jsonb_set(value, '{threshold}', '7') WHERE section = 'scoring'"
            )
        error = invalid.get(timeout=WAIT_S)
        assert "scoring.threshold: must be within [0, 1]" in str(error)
        assert changes.empty()
    finally:
        listener.stop()


def test_listener_reconnects_and_reloads_after_losing_its_connection(
    pg_db: Database, pg_dsn: str
) -> None:
    received: queue.Queue[frozenset[str]] = queue.Queue()
    listener = ConfigListener(
        pg_dsn,
        schema=PG_SCHEMA,
        on_change=lambda _p, s: received.put(s),
        poll_s=0.05,
        reconnect_backoff_s=0.05,
    )
    listener.start()
    try:
        with admin_connect(pg_dsn) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                (APPLICATION_NAME,),
            )
        assert received.get(timeout=WAIT_S) == frozenset({"*"})  # reload after reconnect
        assert listener.reconnects == 1
        ConfigRepository(pg_db).update("decay.dormant_days", 45, "cli")
        assert received.get(timeout=WAIT_S) == frozenset({"decay"})
    finally:
        listener.stop()
