"""What the feed's events say about the tree right now: halt state, prices, activity, latency.

Why a fold: the hub applies each batch of events in order to one `LiveState`; sessions
render the resulting value. Pure (no I/O), so it is tested without a server.

Latency stages follow one swap by its correlation id through the events the tree
publishes (STAGES, in pipeline order): the swap's block time to its scored signal, the
scored signal to its entry order, the order to its fill, and end to end the swap to the
open position; the hub adds the tree event to the dashboard.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from walltrack.domain.messages.config import RuntimeConfigChanged, RuntimeConfigRejected
from walltrack.domain.messages.control import TradingHalted, TradingResumed
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.messages.jobs import JobScheduled
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import (
    ExitStrategyChanged,
    ExitStrategyChangeRefused,
    ExitStrategyUpdated,
    OrderFilled,
    OrderSubmitted,
    PositionClosed,
    PositionOpened,
    PriceUpdated,
)
from walltrack.domain.orders import OrderPurpose

RECENT_EVENTS = 50
LATENCY_SAMPLES = 500
PENDING_KEPT = 2000
STAGES = (
    "swap_to_scored",
    "scored_to_order",
    "order_to_fill",
    "signal_to_open",
    "event_to_dashboard",
)
"""Latency stages in pipeline order (the System page lists them so)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityLine:
    """One line of the live activity list."""

    at: datetime
    kind: str
    text: str


@dataclass(slots=True)
class LiveState:
    """The tree as the event stream describes it (mutable; owned by the hub's thread)."""

    halted: bool | None = None  # None until the first halt/resume event
    halt_cause: str = ""
    halt_detail: str = ""
    events_seen: int = 0
    signals_seen: int = 0
    last_signal: str = ""
    last_event_at: datetime | None = None
    config_version: int = 0
    config_rejected: str = ""
    threshold: float | None = None
    prices: dict[str, Decimal] = field(default_factory=dict)
    recent: deque[ActivityLine] = field(default_factory=lambda: deque(maxlen=RECENT_EVENTS))
    latencies_ms: dict[str, deque[float]] = field(default_factory=dict)
    jobs: dict[str, str] = field(default_factory=dict)  # job -> what it did last
    next_runs: dict[str, datetime] = field(default_factory=dict)  # job -> its next run
    _signal_at: dict[str, datetime] = field(default_factory=dict)
    _scored_at: dict[str, datetime] = field(default_factory=dict)  # by correlation id
    _order_at: dict[str, datetime] = field(default_factory=dict)

    def apply(self, event: Any) -> bool:  # noqa: PLR0912 - one case per event
        """Fold one event in; True when it changes something the pages show."""
        self.events_seen += 1
        at = getattr(event, "ts_event", None)
        if isinstance(at, datetime):
            self.last_event_at = at
        match event:
            case TradingHalted():
                self.halted, self.halt_cause, self.halt_detail = True, event.cause, event.detail
                self._line(event, "halted", f"trading halted: {event.cause} ({event.detail})")
            case TradingResumed():
                self.halted, self.halt_cause, self.halt_detail = False, "", ""
                self._line(event, "resumed", f"trading running (by {event.requested_by})")
            case SignalScored():
                self._on_signal(event)
            case PositionOpened():
                self._measure("signal_to_open", self._signal_at.pop(str(event.signal_id), None), at)
                self._line(
                    event, "opened", f"opened {_short(event.token_mint)} @ {event.entry_price}"
                )
            case PositionClosed():
                pnl = event.proceeds_lamports - event.entry_lamports
                self._line(event, "closed", f"closed {_short(event.token_mint)} pnl {pnl} lamports")
            case OrderSubmitted():
                _remember(self._order_at, str(event.order_id), at)
                if event.purpose is OrderPurpose.ENTRY and event.attempt <= 1:
                    start = self._scored_at.pop(str(event.correlation_id), None)
                    self._measure("scored_to_order", start, at)
            case OrderFilled():
                self._measure("order_to_fill", self._order_at.pop(str(event.order_id), None), at)
            case PriceUpdated():
                self.prices[event.token_mint] = event.price
            case IntelJobProgressed():
                self.jobs[event.job] = _job_line(event)
            case JobScheduled():
                self.next_runs[event.job] = event.next_run_at
            case ExitStrategyChanged() | ExitStrategyChangeRefused() | ExitStrategyUpdated():
                self._line(event, "strategy", _strategy_line(event))
            case RuntimeConfigChanged() | RuntimeConfigRejected():
                self._on_config(event)
            case _:
                return False
        return True

    def _on_config(self, event: RuntimeConfigChanged | RuntimeConfigRejected) -> None:
        if isinstance(event, RuntimeConfigChanged):
            self.config_version += 1
            self.config_rejected = ""
            self.threshold = event.params.scoring.threshold
            self._line(event, "config", f"config applied ({', '.join(sorted(event.sections))})")
        else:
            self.config_rejected = event.describe()
            self._line(event, "config", f"config rejected: {self.config_rejected}")

    def _on_signal(self, event: SignalScored) -> None:
        self.signals_seen += 1
        result = event.result
        reason = f" ({result.skip_reason})" if result.skip_reason else ""
        self.last_signal = (
            f"{_short(event.wallet)} -> {_short(event.token_mint)}: "
            f"{result.score:.2f} {result.decision}{reason}"
        )
        _remember(self._signal_at, str(event.signal_id), event.ts_event)
        _remember(self._scored_at, str(event.correlation_id), event.ts_init)
        self._measure("swap_to_scored", event.ts_event, event.ts_init)
        self._line(event, "signal", self.last_signal)

    def _line(self, event: Any, kind: str, text: str) -> None:
        self.recent.appendleft(ActivityLine(at=event.ts_event, kind=kind, text=text))

    def _measure(self, stage: str, start: datetime | None, end: datetime | None) -> None:
        if start is None or end is None:
            return
        samples = self.latencies_ms.setdefault(stage, deque(maxlen=LATENCY_SAMPLES))
        samples.append(max(0.0, (end - start).total_seconds() * 1000))

    def job_lines(self) -> dict[str, str]:
        """Per job: `<last run or progress> · next run HH:MM:SS` (what is known of each)."""
        lines: dict[str, str] = {}
        for job in sorted(set(self.jobs) | set(self.next_runs)):
            parts = [self.jobs.get(job, "last run -")]
            if job in self.next_runs:
                parts.append(f"next run {self.next_runs[job]:%H:%M:%S}")
            lines[job] = " · ".join(parts)
        return lines

    def record_latency(self, stage: str, millis: float) -> None:
        """A latency measured outside the events (e.g. event to dashboard)."""
        samples = self.latencies_ms.setdefault(stage, deque(maxlen=LATENCY_SAMPLES))
        samples.append(max(0.0, millis))


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile of `samples` (0 < share <= 1); 0.0 when empty."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[rank]


def _remember(pending: dict[str, datetime], key: str, at: datetime | None) -> None:
    if at is None:
        return
    if len(pending) >= PENDING_KEPT:
        pending.pop(next(iter(pending)))
    pending[key] = at


def _job_line(event: IntelJobProgressed) -> str:
    """`last run 06:20:01 (found 12, ...)` or `running 40/120: <phase>`."""
    if event.finished:
        counters = ", ".join(f"{name} {count}" for name, count in event.summary)
        return f"last run {event.ts_event:%H:%M:%S}" + (f" ({counters})" if counters else "")
    progress = f"{event.done}/{event.total}" if event.total else f"{event.done}"
    return f"running {progress}: {event.phase}"


def _strategy_line(
    event: ExitStrategyChanged | ExitStrategyChangeRefused | ExitStrategyUpdated,
) -> str:
    if isinstance(event, ExitStrategyChanged):
        position = str(event.position_id)[:8]
        return f"position {position}: exit strategy {event.previous} → {event.strategy.name}"
    if isinstance(event, ExitStrategyChangeRefused):
        position = str(event.position_id)[:8]
        return f"position {position}: change to {event.strategy_name} refused: {event.reason}"
    return f"exit strategy {event.strategy.name} updated (new positions use it)"


def _short(address: str) -> str:
    return address if len(address) <= 12 else f"{address[:4]}…{address[-4:]}"
