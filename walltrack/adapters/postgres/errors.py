"""Map psycopg failures onto the WallTrack error taxonomy.

Why: callers react by class (retry, reject, crash) and must never parse driver messages.
Connection trouble becomes StoreUnavailableError (retry with backoff); a refused write
becomes ConstraintViolationError / DuplicateKeyError naming the table and constraint;
anything else (SQL bugs) propagates unchanged so the actor crashes loudly.
"""

from __future__ import annotations

import re

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import PoolTimeout

from walltrack.errors import (
    ConstraintViolationError,
    DuplicateKeyError,
    StoreUnavailableError,
    WallTrackError,
)

VENUE = "postgres"

_SECRET_PATTERNS = (
    re.compile(r"(password\s*=\s*)\S+", re.IGNORECASE),
    re.compile(r"(://[^:/@\s]*:)[^@\s]*(@)"),
)


def redact(text: str) -> str:
    """`text` with any password (key=value or URI form) replaced by ***."""
    text = _SECRET_PATTERNS[0].sub(r"\1***", text)
    return _SECRET_PATTERNS[1].sub(r"\1***\2", text)


def is_connection_error(error: BaseException) -> bool:
    """True when the error means the connection (not the statement) is the problem."""
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError | PoolTimeout)


def translate(error: BaseException) -> WallTrackError | None:
    """The taxonomy error for a psycopg error, or None when it should propagate as is."""
    if is_connection_error(error):
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        detail = redact(f"{type(error).__name__}: {first_line}".rstrip(": "))
        return StoreUnavailableError(VENUE, detail)
    if isinstance(error, psycopg.IntegrityError | psycopg.DataError):
        diag = error.diag
        table = diag.table_name or "?"
        constraint = diag.constraint_name or type(error).__name__
        detail = diag.message_primary or str(error)
        if diag.message_detail:
            detail = f"{detail} ({diag.message_detail})"
        if isinstance(error, pg_errors.UniqueViolation):
            return DuplicateKeyError(table, constraint, detail)
        return ConstraintViolationError(table, constraint, detail)
    return None
