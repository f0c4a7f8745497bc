"""JSON text for JSONB columns: in one call, or a slice at a time for big documents.

Why slices: the C encoder holds the interpreter lock for a whole `json.dumps` call. An
actor snapshot of a megabyte (the cluster actor's first buys and pending graph edges
while the graph catches up) took 12-40 ms in one call on the snapshot writer's thread,
and every other thread, the signal path included, stood still for that long. Encoded in
slices of a few hundred items, the lock can change hands between slices; the text is the
same as one call would give. Slicing costs about 40 % more CPU, so small documents (a
webhook's raw transaction, 30 us) are encoded in one call.
"""

from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum
from typing import Any

SLICE_ITEMS = 256
"""Items of a list or mapping encoded per call when each is small."""
SMALL = 16
"""A value with at most this many items (or none) counts as small; bigger ones are split."""


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | frozenset | set):
        return list(value)
    msg = f"{type(value).__name__} is not JSON serialisable"
    raise TypeError(msg)


_ENCODER = json.JSONEncoder(default=_json_default, separators=(",", ":"))


def dumps(value: object) -> str:
    """JSON text: Decimal as string, enums by value, tuples and sets as lists."""
    return _ENCODER.encode(value)


def dumps_sliced(value: object) -> str:
    """`dumps`, the interpreter lock free to change hands between slices (snapshots)."""
    return "".join(_parts(value))


def _parts(value: object) -> list[str]:
    """The text of `value` in pieces, each from one encoder call of bounded size."""
    if isinstance(value, dict):
        small = _all_small(list(value.values()))
        if small and len(value) <= SLICE_ITEMS:
            return [_ENCODER.encode(value)]
        if all(isinstance(key, str) for key in value):
            return _container(list(value.items()), mapping=True, small=small)
    elif isinstance(value, list | tuple):
        small = _all_small(value)
        if small and len(value) <= SLICE_ITEMS:
            return [_ENCODER.encode(value)]
        return _container(list(value), mapping=False, small=small)
    return [_ENCODER.encode(value)]  # other keys: the encoder's own rules apply


def _small(value: object) -> bool:
    return not isinstance(value, dict | list | tuple) or len(value) <= SMALL


_SCALARS = frozenset({str, int, float, bool, type(None), Decimal})
_CONTAINERS = frozenset({dict, list, tuple})


def _all_small(values: list[Any] | tuple[Any, ...]) -> bool:
    """Whether every value is small; the common shapes (all scalars, all containers)
    are checked by C-level passes, not a Python call per item."""
    kinds = set(map(type, values))
    if kinds <= _SCALARS:
        return True
    if kinds <= _CONTAINERS:
        return max(map(len, values)) <= SMALL
    return all(map(_small, values))


def _container(items: list[Any], *, mapping: bool, small: bool) -> list[str]:
    """Items SLICE_ITEMS at a time: a slice of small ones in one call, else one by one."""
    parts = ["{" if mapping else "["]
    for start in range(0, len(items), SLICE_ITEMS):
        chunk = items[start : start + SLICE_ITEMS]
        if start:
            parts.append(",")
        if small or _all_small([item[1] for item in chunk] if mapping else chunk):
            parts.append(_ENCODER.encode(dict(chunk) if mapping else chunk)[1:-1])
            continue
        for index, item in enumerate(chunk):
            if index:
                parts.append(",")
            if mapping:
                parts += [_ENCODER.encode(item[0]), ":"]
            parts += _parts(item[1] if mapping else item)
    parts.append("}" if mapping else "]")
    return parts
