"""Convert between database rows and the frozen record dataclasses of walltrack.domain.

Why: one small, type-driven converter instead of a hand-written mapping per column:
NUMERIC(78,0) comes back as Decimal and becomes int when the record says int, text
becomes the record's StrEnum, arrays become tuples; on the way in, enums travel by value,
mappings as JSONB (Decimal written as a string, so money never becomes a float).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from psycopg.types.json import Jsonb

from walltrack.adapters.postgres.json_text import dumps, dumps_sliced

type Row = Mapping[str, Any]
type Converter = Callable[[Any], Any]

_CONVERTERS: dict[type, tuple[tuple[str, Converter], ...]] = {}


def prefixed(prefix: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """`params` with every name prefixed: one part of a statement that writes several rows
    (each CTE's query parameters are named with its part's prefix)."""
    return {prefix + key: value for key, value in params.items()}


def jsonb(value: object, *, sliced: bool = False) -> Jsonb | None:
    """A JSONB parameter (None stays SQL NULL); `sliced` for big documents (snapshots)."""
    return None if value is None else Jsonb(value, dumps=dumps_sliced if sliced else dumps)


def _identity(value: Any) -> Any:
    return value


def _converter(hint: Any) -> Converter:  # noqa: PLR0911
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        inner = _converter(next(a for a in typing.get_args(hint) if a is not type(None)))
        return lambda v: None if v is None else inner(v)
    if origin is tuple:
        return lambda v: tuple(v or ())
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if hint is int:
        return lambda v: v if isinstance(v, int) else int(v)
    if hint is float:
        return lambda v: v if isinstance(v, float) else float(v)
    if hint is Decimal:
        return lambda v: v if isinstance(v, Decimal) else Decimal(str(v))
    return _identity


def _converters(cls: type) -> tuple[tuple[str, Converter], ...]:
    if cls not in _CONVERTERS:
        hints = typing.get_type_hints(cls)
        _CONVERTERS[cls] = tuple(
            (f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls)
        )
    return _CONVERTERS[cls]


def from_row[T](cls: type[T], row: Row, **overrides: Any) -> T:
    """Build record `cls` from a dict row; `overrides` supply fields not read from columns."""
    values: dict[str, Any] = {}
    for name, convert in _converters(cls):
        if name in overrides:
            values[name] = overrides[name]
        elif name in row:
            values[name] = convert(row[name])
    return cls(**values)


def to_params(record: object, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Named SQL parameters from a record's fields: enums by value, mappings as JSONB."""
    params: dict[str, Any] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        if f.name in exclude:
            continue
        value = getattr(record, f.name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, Mapping | list):
            value = jsonb(value)
        elif isinstance(value, tuple):
            value = list(value)
        params[f.name] = value
    return params
