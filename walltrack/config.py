"""Process configuration: read once from the environment, validated before any actor starts.

Why: a bad value must stop start-up with a message that names the variable, secrets must
only ever come from the environment and never be printed, and paper trading is the default.
Runtime trading parameters (weights, thresholds, exits) are not here: they live in the
config table and are hot-reloaded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from walltrack.errors import ConfigurationError

ENV_PREFIX = "WALLTRACK_"
TEST_ENV_PREFIX = "WALLTRACK_TEST_"
REDACTED = "**********"


class Mode(StrEnum):
    """Which world the tree trades in; paper and live never share tables."""

    PAPER = "paper"
    LIVE = "live"
    BACKTEST = "backtest"


class LogFormat(StrEnum):
    """How log lines are rendered."""

    AUTO = "auto"  # JSON unless stdout is a TTY
    JSON = "json"
    CONSOLE = "console"


class Settings(BaseSettings):
    """Every setting of the process; each field is the variable `WALLTRACK_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        frozen=True,
        extra="forbid",
        case_sensitive=False,
        validate_default=True,
    )

    mode: Mode = Mode.PAPER
    data_dir: Path = Path("data")
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.AUTO

    pg_dsn: SecretStr | None = None
    graph_uri: str | None = None
    graph_user: str = "root"
    graph_password: SecretStr | None = None
    graph_database: str = "walltrack"

    helius_api_key: SecretStr | None = None
    helius_webhook_secret: SecretStr | None = None
    helius_webhook_hmac_secret: SecretStr | None = None
    helius_base_url: str = "https://api-mainnet.helius-rpc.com"
    rpc_urls: Annotated[tuple[str, ...], NoDecode] = ("https://api.mainnet-beta.solana.com",)
    jupiter_base_url: str = "https://lite-api.jup.ag"
    jupiter_api_key: SecretStr | None = None
    dexscreener_base_url: str = "https://api.dexscreener.com"
    birdeye_base_url: str = "https://public-api.birdeye.so"
    birdeye_api_key: SecretStr | None = None
    keypair: SecretStr | None = None

    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_public_url: str | None = None
    """Where Helius reaches /webhooks/helius from the internet (e.g. behind a proxy); the
    watchlist is synced to Helius' webhook address list only when it is set."""
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = Field(default=5006, ge=1, le=65535)
    dashboard_token: SecretStr | None = None
    control_token: SecretStr | None = None

    snapshot_staleness_s: float = Field(default=1.0, gt=0, le=60)
    passivate_after_s: float = Field(default=300.0, gt=0)
    restart_max: int = Field(default=5, ge=0)
    restart_window_s: float = Field(default=30.0, gt=0)
    poison_threshold: int = Field(default=3, ge=1)

    @field_validator("rpc_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            msg = "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
            raise ValueError(msg)
        return level

    @field_validator(
        "helius_base_url", "jupiter_base_url", "dexscreener_base_url", "birdeye_base_url"
    )
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            msg = "must be an http:// or https:// URL"
            raise ValueError(msg)
        return value.rstrip("/")

    @field_validator("rpc_urls")
    @classmethod
    def _http_urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            msg = "needs at least one RPC URL"
            raise ValueError(msg)
        for url in value:
            if not url.startswith(("http://", "https://")):
                msg = "every RPC URL must be an http:// or https:// URL"
                raise ValueError(msg)
        return value

    @field_validator("keypair")
    @classmethod
    def _usable_keypair(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        """Live mode needs a keypair, and a keypair must parse; the value is never echoed."""
        if value is None:
            if info.data.get("mode") is Mode.LIVE:
                msg = "live mode needs the trading wallet's secret key"
                raise ValueError(msg)
            return None
        from solders.keypair import Keypair  # noqa: PLC0415 - only needed when a key is set

        try:
            Keypair.from_base58_string(value.get_secret_value().strip())
        except ValueError:
            msg = "not a base58-encoded 64-byte Solana secret key"
            raise ValueError(msg) from None
        return value

    @property
    def db_schema(self) -> str:
        """The PostgreSQL schema of this mode: paper and live never share tables."""
        return f"walltrack_{self.mode.value}"

    def redacted(self) -> dict[str, Any]:
        """Every effective setting with secrets replaced, for `walltrack config show`."""
        shown: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, SecretStr):
                shown[name] = REDACTED
            elif isinstance(value, StrEnum):
                shown[name] = value.value
            elif isinstance(value, Path):
                shown[name] = str(value)
            elif isinstance(value, tuple):
                shown[name] = list(value)
            else:
                shown[name] = value
        return shown


def _unknown_variables(environ: Mapping[str, str]) -> list[str]:
    known = {f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields}
    return sorted(
        key
        for key in environ
        if key.upper().startswith(ENV_PREFIX)
        and not key.upper().startswith(TEST_ENV_PREFIX)
        and key.upper() not in known
    )


def _variable_of(location: tuple[int | str, ...]) -> str:
    field = str(location[0]) if location else "settings"
    if field in Settings.model_fields:
        return f"{ENV_PREFIX}{field.upper()}"
    return ENV_PREFIX.rstrip("_")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings; raise ConfigurationError naming the bad variable."""
    env = dict(os.environ if environ is None else environ)
    unknown = _unknown_variables(env)
    if unknown:
        raise ConfigurationError(unknown[0], "unknown setting (check the spelling)")
    values = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in env.items()
        if key.upper().startswith(ENV_PREFIX) and not key.upper().startswith(TEST_ENV_PREFIX)
    }
    try:
        # Values are passed explicitly so the result never depends on a stray .env file.
        return Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        variable = _variable_of(tuple(first["loc"]))
        # The message never echoes the input: it may be a secret.
        raise ConfigurationError(variable, first["msg"].removeprefix("Value error, ")) from None
