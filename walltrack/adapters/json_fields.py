"""Lenient readers for venue JSON fields: amounts as int/Decimal, times as aware datetimes.

Why: venues send the same quantity as a number here and a string there (Jupiter amounts
are strings, DexScreener USD values numbers, Birdeye prices floats). Reading through these
keeps money exact (Decimal from the decimal text, never from a binary float's error) and
turns a malformed field into one clear UpstreamError instead of a KeyError deep in a parser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from walltrack.errors import UpstreamError


class MalformedResponseError(UpstreamError):
    """A venue answered 2xx with a body that does not have the documented shape."""


def obj(value: Any, venue: str, what: str) -> Mapping[str, Any]:
    """`value` as a JSON object, or MalformedResponseError."""
    if not isinstance(value, Mapping):
        raise MalformedResponseError(
            venue, f"{what}: expected an object, got {type(value).__name__}"
        )
    return value


def arr(value: Any, venue: str, what: str) -> list[Any]:
    """`value` as a JSON array (null reads as empty), or MalformedResponseError."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedResponseError(
            venue, f"{what}: expected an array, got {type(value).__name__}"
        )
    return value


def req_int(data: Mapping[str, Any], key: str, venue: str) -> int:
    """A required integer field (number or decimal string)."""
    value = opt_int(data.get(key))
    if value is None:
        raise MalformedResponseError(venue, f"field {key!r} missing or not an integer")
    return value


def req_str(data: Mapping[str, Any], key: str, venue: str) -> str:
    """A required non-empty string field."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise MalformedResponseError(venue, f"field {key!r} missing or not a string")
    return value


def opt_int(value: Any) -> int | None:
    """An integer from a JSON number or string; None when absent or not integral."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def opt_str(value: Any) -> str | None:
    """A string, or None for anything else (null, missing, empty)."""
    return value if isinstance(value, str) and value else None


def opt_decimal(value: Any) -> Decimal | None:
    """A Decimal from a JSON number or string, exact to its printed digits."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None


def opt_float(value: Any) -> float | None:
    """A float for rates and percentages (never for money)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def from_unix_s(value: Any) -> datetime | None:
    """An aware UTC datetime from unix seconds."""
    seconds = opt_float(value)
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def from_unix_ms(value: Any) -> datetime | None:
    """An aware UTC datetime from unix milliseconds (DexScreener `pairCreatedAt`)."""
    millis = opt_float(value)
    return None if millis is None else datetime.fromtimestamp(millis / 1000, UTC)


def compact_json(value: Any) -> str | None:
    """A JSON value as compact text (TransactionError objects); None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
