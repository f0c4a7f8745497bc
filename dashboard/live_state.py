"""What the feed's events say about the tree right now: halt state, prices, activity, latency.

Why a fold: the hub applies each batch of events in order to one `LiveState`; sessions
render the resulting value. Pure (no I/O), so it is tested without a server.
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
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import (
    OrderFilled,
    OrderSubmitted,
    PositionClosed,
    PositionOpened,
    PriceUpdated,
)

RECENT_EVENTS = 50
LATENCY_SAMPLES = 500
PENDING_KEPT = 2000


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
    _signal_at: dict[str, datetime] = field(default_factory=dict)
    _order_at: dict[str, datetime] = field(default_factory=dict)

    def apply(self, event: Any) -> bool:
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
            case OrderFilled():
                self._measure("order_to_fill", self._order_at.pop(str(event.order_id), None), at)
            case PriceUpdated():
                self.prices[event.token_mint] = event.price
            case IntelJobProgressed():
                self.jobs[event.job] = _job_line(event)
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
        self._line(event, "signal", self.last_signal)

    def _line(self, event: Any, kind: str, text: str) -> None:
        self.recent.appendleft(ActivityLine(at=event.ts_event, kind=kind, text=text))

    def _measure(self, stage: str, start: datetime | None, end: datetime | None) -> None:
        if start is None or end is None:
            return
        samples = self.latencies_ms.setdefault(stage, deque(maxlen=LATENCY_SAMPLES))
        samples.append(max(0.0, (end - start).total_seconds() * 1000))

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


def _short(address: str) -> str:
    return address if len(address) <= 12 else f"{address[:4]}…{address[-4:]}"
