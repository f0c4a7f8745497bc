"""One PostgreSQL schema per mode: paper and live never share a table.

Why: a paper run must not be able to read or corrupt live positions, and each backtest
run gets a clean, disposable set of tables. Names are validated here because they are
spliced into SQL as identifiers.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from psycopg import Connection, sql

from walltrack.errors import ConfigurationError

_RUN_ID = re.compile(r"^[a-z0-9_]{1,40}$")
SCHEMA_PREFIX = "walltrack_"


class StoreMode(StrEnum):
    """The trading modes, each with its own schema."""

    PAPER = "paper"
    LIVE = "live"
    BACKTEST = "backtest"


def schema_for(mode: str, run: str | None = None) -> str:
    """`walltrack_paper`, `walltrack_live` or `walltrack_backtest_<run>`."""
    try:
        store_mode = StoreMode(mode)
    except ValueError:
        raise ConfigurationError("WALLTRACK_MODE", f"unknown mode {mode!r}") from None
    if store_mode is StoreMode.BACKTEST:
        if run is None or not _RUN_ID.match(run):
            raise ConfigurationError(
                "backtest run", "needs a run id of 1-40 characters from [a-z0-9_]"
            )
        return f"{SCHEMA_PREFIX}backtest_{run}"
    if run is not None:
        raise ConfigurationError("backtest run", f"only backtest mode takes a run id, not {mode}")
    return f"{SCHEMA_PREFIX}{store_mode.value}"


def check_schema_name(schema: str) -> str:
    """`schema` unchanged when it is one of ours, else ConfigurationError."""
    if schema in (schema_for("paper"), schema_for("live")):
        return schema
    prefix = f"{SCHEMA_PREFIX}backtest_"
    if schema.startswith(prefix) and _RUN_ID.match(schema.removeprefix(prefix)):
        return schema
    raise ConfigurationError("schema", f"{schema!r} is not a WallTrack schema name")


def drop_backtest_schema(conn: Connection[Any], schema: str) -> None:
    """Remove a finished backtest run's schema; paper and live are never dropped here."""
    check_schema_name(schema)
    if not schema.startswith(f"{SCHEMA_PREFIX}backtest_"):
        raise ConfigurationError("schema", f"refusing to drop non-backtest schema {schema!r}")
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
