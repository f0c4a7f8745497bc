"""Settings: paper by default, fail fast naming the variable, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from solders.keypair import Keypair

from walltrack.config import Mode, Settings, load_settings
from walltrack.errors import ConfigurationError


def test_defaults_are_paper_mode_on_loopback() -> None:
    settings = load_settings({})
    assert settings.mode is Mode.PAPER
    assert settings.webhook_host == "127.0.0.1"
    assert settings.dashboard_port == 5006
    assert settings.db_schema == "walltrack_paper"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"WALLTRACK_MODE": "yolo"}, "WALLTRACK_MODE"),
        ({"WALLTRACK_WEBHOOK_PORT": "99999"}, "WALLTRACK_WEBHOOK_PORT"),
        ({"WALLTRACK_WEBHOOK_PORT": "eighty"}, "WALLTRACK_WEBHOOK_PORT"),
        ({"WALLTRACK_RPC_URLS": "ftp://x"}, "WALLTRACK_RPC_URLS"),
        ({"WALLTRACK_LOG_LEVEL": "LOUD"}, "WALLTRACK_LOG_LEVEL"),
        ({"WALLTRACK_SNAPSHOT_STALENESS_S": "0"}, "WALLTRACK_SNAPSHOT_STALENESS_S"),
        ({"WALLTRACK_MODE": "live"}, "WALLTRACK_KEYPAIR"),
        ({"WALLTRACK_KEYPAIR": "not-a-key"}, "WALLTRACK_KEYPAIR"),
        ({"WALLTRACK_HELIUS_APIKEY": "typo"}, "WALLTRACK_HELIUS_APIKEY"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(env)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ")


def test_errors_never_echo_the_rejected_value() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"WALLTRACK_KEYPAIR": "my-very-secret-but-broken-key"})
    assert "my-very-secret" not in str(caught.value)


def test_live_mode_with_a_valid_keypair_is_accepted() -> None:
    secret = str(Keypair())
    settings = load_settings({"WALLTRACK_MODE": "live", "WALLTRACK_KEYPAIR": secret})
    assert settings.mode is Mode.LIVE
    assert settings.db_schema == "walltrack_live"
    assert settings.keypair is not None
    assert settings.keypair.get_secret_value() == secret


def test_redacted_view_hides_every_secret() -> None:
    env = {
        "WALLTRACK_HELIUS_API_KEY": "helius-secret-123",
        "WALLTRACK_PG_DSN": "postgresql://u:pw-secret@h/db",
        "WALLTRACK_CONTROL_TOKEN": "control-secret-123",
        "WALLTRACK_RPC_URLS": "http://127.0.0.1:1, http://127.0.0.1:2",
    }
    shown = load_settings(env).redacted()
    text = repr(shown)
    for secret in ("helius-secret-123", "pw-secret", "control-secret-123"):
        assert secret not in text
    assert shown["rpc_urls"] == ["http://127.0.0.1:1", "http://127.0.0.1:2"]
    assert shown["helius_api_key"] == "**********"


def test_test_variables_are_not_settings() -> None:
    assert load_settings({"WALLTRACK_TEST_PG_DSN": "postgresql://x"}).pg_dsn is None


def test_env_example_lists_every_setting() -> None:
    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"WALLTRACK_{name.upper()}=" not in text]
    assert missing == []
