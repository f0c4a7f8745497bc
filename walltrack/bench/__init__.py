"""Benchmarks as commands, never as timed tests: one module per benchmark.

A benchmark module defines `run() -> dict[str, float | int]` returning its metrics; it is
found by its module name, so `walltrack/bench/stores.py` is `walltrack bench stores`.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Protocol, cast

type Metrics = dict[str, float | int]


class _BenchModule(Protocol):
    def run(self) -> Metrics: ...


def available_benches() -> list[str]:
    """Names of every benchmark module in this package."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def run_bench(name: str) -> Metrics:
    """Import and run one benchmark."""
    module = cast("_BenchModule", importlib.import_module(f"walltrack.bench.{name}"))
    return module.run()
