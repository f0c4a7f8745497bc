"""Map `neo4j` driver failures onto the WallTrack error taxonomy.

Why: callers react by class (retry, reject, halt) and must never parse driver messages or
import the driver. Connection trouble and transient server states become
StoreUnavailableError (retry with backoff); a uniqueness violation becomes
DuplicateKeyError naming the label and the index; bad credentials or a missing database
are configuration errors; anything else (a Cypher bug) propagates unchanged so the actor
crashes loudly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import exceptions as neo

from walltrack.errors import (
    ConfigurationError,
    ConstraintViolationError,
    DuplicateKeyError,
    StoreUnavailableError,
    WallTrackError,
)

VENUE = "graph"

_DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
# ArcadeDB: "Duplicated key [x] found on index 'Wallet[address]' already assigned to ..."
_ARCADE_INDEX = re.compile(r"index '(?P<label>\w+)\[(?P<prop>[\w,\s]+)\]'")
# Neo4j: "Node(12) already exists with label `Wallet` and property `address` = 'x'"
_NEO4J_LABEL = re.compile(r"label `(?P<label>\w+)` and propert(?:y|ies) `(?P<prop>[\w,\s]+)`")
# Storage record ids mean nothing outside the server; keep them out of our messages.
_RECORD_ID = re.compile(r"\s*(?:already assigned to record #\d+:\d+|Node\(\d+\))")


def _constraint_error(error: neo.ConstraintError) -> ConstraintViolationError:
    message = error.message or str(error)
    detail = _RECORD_ID.sub("", message).strip()
    found = _ARCADE_INDEX.search(message) or _NEO4J_LABEL.search(message)
    label = found.group("label") if found else "graph"
    constraint = f"{found.group('label')}[{found.group('prop')}]" if found else "unique"
    if "already exists" in message or "Duplicated key" in message:
        return DuplicateKeyError(label, constraint, detail)
    return ConstraintViolationError(label, constraint, detail)


def translate(error: BaseException, database: str) -> WallTrackError | None:
    """The taxonomy error for a driver error, or None when it should propagate as is."""
    if isinstance(error, neo.AuthError):
        return ConfigurationError(
            "WALLTRACK_GRAPH_PASSWORD", "the graph server rejected the user or password"
        )
    if isinstance(error, neo.ClientError) and error.code == _DATABASE_NOT_FOUND:
        return ConfigurationError(
            "WALLTRACK_GRAPH_DATABASE", f"database {database!r} does not exist on the server"
        )
    if isinstance(error, neo.ConstraintError):
        return _constraint_error(error)
    if isinstance(
        error,
        neo.ServiceUnavailable
        | neo.SessionExpired
        | neo.ConnectionPoolError
        | neo.TransientError
        | neo.IncompleteCommit
        | OSError,
    ):
        return StoreUnavailableError(VENUE, f"{type(error).__name__}: {_first_line(error)}")
    return None


def _first_line(error: BaseException) -> str:
    text = (error.message if isinstance(error, neo.Neo4jError) else None) or str(error)
    lines = text.strip().splitlines()
    return lines[0] if lines else "no detail"


@contextmanager
def translated_errors(database: str) -> Iterator[None]:
    """Run the block and re-raise driver failures as taxonomy errors (cause kept)."""
    try:
        yield
    except WallTrackError:
        raise
    except Exception as error:
        mapped = translate(error, database)
        if mapped is None:
            raise
        raise mapped from error
