"""Frozen domain values to JSON snapshots and back, driven by their type hints.

Why: the trading actors snapshot values of the pure domain (exit states, order tickets,
positions); a restart must rebuild the very same values, Decimals and datetimes exact,
never via floats or pickles.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any
from uuid import UUID


def encode(value: Any) -> Any:  # noqa: PLR0911
    """The JSON form: Decimal, datetime and UUID as strings, enums by value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(encode(v) for v in value)
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


class EncodingCache[K]:
    """Encodes each frozen value once: a snapshot re-encodes only the values replaced
    since the last one (the position actor's durable save is on the entry path)."""

    def __init__(self) -> None:
        self._entries: dict[K, tuple[Any, Any]] = {}

    def encode_all(self, values: typing.Mapping[K, Any]) -> list[Any]:
        """`encode` of every value, in order; the returned forms must not be mutated."""
        entries: dict[K, tuple[Any, Any]] = {}
        for key, value in values.items():
            cached = self._entries.get(key)
            encoded = cached[1] if cached is not None and cached[0] is value else encode(value)
            entries[key] = (value, encoded)
        self._entries = entries
        return [encoded for _, encoded in entries.values()]


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode[T](cls: type[T], data: Any) -> T:
    """Rebuild a `cls` dataclass from `encode`'s output."""
    return typing.cast("T", _decode(cls, data))


def _decode(hint: Any, data: Any) -> Any:  # noqa: PLR0911, PLR0912
    if isinstance(hint, typing.TypeAliasType):
        hint = hint.__value__
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in data)
        return tuple(_decode(a, v) for a, v in zip(args, data, strict=True))
    if origin is frozenset:
        (item,) = typing.get_args(hint)
        return frozenset(_decode(item, v) for v in data)
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint)
        return {_decode(key_hint, k): _decode(value_hint, v) for k, v in data.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = _hints(hint)
        values = {
            f.name: _decode(hints[f.name], data[f.name])
            for f in dataclasses.fields(hint)
            if f.name in data
        }
        return hint(**values)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    if hint is Decimal:
        return Decimal(data)
    if hint is UUID:
        return UUID(data)
    if hint is datetime:
        return datetime.fromisoformat(data)
    if hint is date:
        return date.fromisoformat(data)
    if hint is float:
        return float(data)
    return data
