"""Typed construction of Panel objects.

Why: Panel's constructors take untyped `**params`, which `mypy --strict` refuses to call
from typed code; routing them through one generic helper keeps every page fully typed.
"""

from __future__ import annotations

from typing import Any


def make[T](cls: type[T], *objects: Any, **params: Any) -> T:
    """`cls(*objects, **params)`, typed as an instance of `cls`."""
    return cls(*objects, **params)
