"""Messages internal to the trading actors: timer ticks, worker results, re-watch requests.

Why not domain messages: they carry adapter values (a swap fill) or exist only because an
actor runs work in a thread; nothing outside the trading subtree needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from walltrack.domain.messages.trading import PositionOpened
from walltrack.execution_ports import SwapFill


@dataclass(frozen=True, slots=True)
class Tick:
    """Time moved: run what is due (paper latency, retry backoff, time-based rules)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptFinished:
    """A worker finished one order attempt: its fill, or why it failed."""

    key: str
    attempt: int
    fill: SwapFill | None = None
    error: str | None = None
    balance_lamports: int | None = None  # the wallet's SOL right after the attempt


@dataclass(frozen=True, slots=True)
class BalanceRead:
    """The execution's free SOL, read by the worker at start: the first entry sizes from
    it instead of asking the venue on its own path (an RPC call in live mode)."""

    lamports: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EnsureWatched:
    """Every position still open: the exit watcher adds any it does not watch."""

    openings: tuple[PositionOpened, ...]


@dataclass(frozen=True, slots=True)
class ReportOpenPositions:
    """The exit watcher (re)started: the position actor answers with `EnsureWatched`."""


@dataclass(frozen=True, slots=True)
class ReportHaltState:
    """The position actor (re)started: the circuit breaker publishes the halt state again."""


@dataclass(frozen=True, slots=True)
class Inspect:
    """Tests and the CLI: the actor's state as plain data (an ask)."""
