"""Turn JSON-shaped mappings into frozen parameter dataclasses, and back, with checks.

Why: runtime parameters arrive as JSON (config table, dashboard, CLI). One generic parser
driven by the dataclass type hints and per-field bounds keeps every section short and makes
every error name the exact parameter path ("scoring.threshold: must be within [0, 1]").
Unknown keys are rejected; missing keys take the default, so a newer release can add a
parameter without rewriting stored configuration.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

type Problems = list[tuple[str, str]]
type Number = int | float | Decimal


@dataclass(frozen=True, slots=True)
class Bounds:
    """Allowed values of one parameter; every part is optional."""

    ge: Number | None = None
    le: Number | None = None
    gt: Number | None = None
    choices: tuple[object, ...] | None = None

    def problem(self, value: object) -> str | None:  # noqa: PLR0911
        """Why `value` is out of bounds, or None when it is fine."""
        if self.choices is not None:
            if value not in self.choices:
                return "must be one of " + ", ".join(str(c) for c in self.choices)
            return None
        if not isinstance(value, int | float | Decimal):
            return None
        low_ok = (self.ge is None or value >= self.ge) and (self.gt is None or value > self.gt)
        high_ok = self.le is None or value <= self.le
        if low_ok and high_ok:
            return None
        if self.gt is not None and self.le is not None:
            return f"must be within ({self.gt}, {self.le}]"
        if self.gt is not None:
            return f"must be > {self.gt}"
        if self.ge is not None and self.le is not None:
            return f"must be within [{self.ge}, {self.le}]"
        if self.ge is not None:
            return f"must be >= {self.ge}"
        return f"must be <= {self.le}"


def bounds(
    *,
    ge: Number | None = None,
    le: Number | None = None,
    gt: Number | None = None,
    choices: tuple[object, ...] | None = None,
) -> dict[str, Bounds]:
    """Field metadata declaring a parameter's allowed values, checked by `parse_into`."""
    return {"bounds": Bounds(ge=ge, le=le, gt=gt, choices=choices)}


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """Resolved field types of a parameter class, cached (resolution is slow)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def parse_into[T](cls: type[T], data: object, path: str, problems: Problems) -> T | None:
    """Build `cls` from `data`, appending every problem found under `path`."""
    if not isinstance(data, Mapping):
        problems.append((path, "must be an object"))
        return None
    hints = _hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in known:
            problems.append((_join(path, str(key)), "unknown parameter"))
    values: dict[str, Any] = {}
    before = len(problems)
    for name, fld in known.items():
        if name not in data:
            continue
        sub = _join(path, name)
        value = _convert(hints[name], data[name], sub, problems)
        bounds: Bounds | None = fld.metadata.get("bounds")
        if value is not None and bounds is not None and (reason := bounds.problem(value)):
            problems.append((sub, reason))
        values[name] = value
    if len(problems) > before:
        return None
    instance = cls(**values)
    check = getattr(instance, "problems", None)
    if callable(check):
        problems.extend((_join(path, rel), why) for rel, why in check())
    return instance


def _join(path: str, name: str) -> str:
    if not name:
        return path
    return f"{path}.{name}" if path else name


def _convert(hint: Any, value: object, path: str, problems: Problems) -> Any:  # noqa: PLR0911, PLR0912
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _convert(args[0], value, path, problems)
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        if not isinstance(value, list | tuple):
            problems.append((path, "must be a list"))
            return None
        items = [_convert(item_hint, v, f"{path}[{i}]", problems) for i, v in enumerate(value)]
        return tuple(items)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return parse_into(hint, value, path, problems)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in hint)
            problems.append((path, f"must be one of {allowed}"))
            return None
    if hint is bool:
        if not isinstance(value, bool):
            problems.append((path, "must be true or false"))
            return None
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append((path, "must be an integer"))
            return None
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            problems.append((path, "must be a number"))
            return None
        number = float(value)
        if not math.isfinite(number):
            problems.append((path, "must be a finite number"))
            return None
        return number
    if hint is Decimal:
        return _to_decimal(value, path, problems)
    if hint is str:
        if not isinstance(value, str) or not value:
            problems.append((path, "must be a non-empty string"))
            return None
        return value
    msg = f"unsupported parameter type {hint!r} at {path}"
    raise TypeError(msg)


def _to_decimal(value: object, path: str, problems: Problems) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        problems.append((path, "must be a decimal number"))
        return None
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        problems.append((path, "must be a decimal number"))
        return None
    if not number.is_finite():
        problems.append((path, "must be a finite number"))
        return None
    return number


def to_json(value: Any) -> Any:
    """The JSON form of a parameter value: Decimal as string, tuples as lists, enums by value.

    Decimals travel as strings so money never passes through a binary float.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    return value
