"""One per server: drains the state feed, keeps the shared view the sessions render.

Why shared: ten open browsers must not mean ten times the database reads. The hub folds
feed events into a `LiveState` and refreshes the Home figures from the read model when an
event says they changed (at most every `min_refresh_s`, and every `slow_refresh_s` for
what no event announces, e.g. webhook counts). Each refresh bumps a version; a session's
periodic callback re-renders only the parts whose version moved.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from dashboard.live_state import LiveState
from walltrack.dashboard_ports import (
    DashboardReads,
    EquityPoint,
    HealthProbe,
    Kpis,
    OpenPositionView,
    ServiceHealth,
    StateFeed,
    WebhookStats,
)
from walltrack.domain.messages.control import TradingHalted, TradingResumed
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import (
    ExitStrategyChanged,
    PositionClosed,
    PositionOpened,
    PositionReduced,
)
from walltrack.domain.records import AlertRecord, SignalRecord
from walltrack.domain.tree import TreeSnapshot
from walltrack.logging import get_logger
from walltrack.ports import TreeControl

_log = get_logger("dashboard_hub")

MIN_STEP_S = 0.03
"""Shortest pause between two refreshes, so a stream of events is folded in batches."""
STORE_EVENTS = (
    SignalScored,
    PositionOpened,
    PositionClosed,
    PositionReduced,
    ExitStrategyChanged,
    TradingHalted,
    TradingResumed,
)
"""Events after which the Home figures in the stores have changed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeView:
    """The Home page's figures from the read model at one refresh."""

    kpis: Kpis | None = None
    equity: tuple[EquityPoint, ...] = ()
    positions: tuple[OpenPositionView, ...] = ()
    signals: tuple[SignalRecord, ...] = ()
    alerts: tuple[AlertRecord, ...] = ()
    webhooks: WebhookStats | None = None
    error: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusView:
    """What the status bar shows."""

    mode: str
    halted: bool | None
    halt_cause: str
    halt_detail: str
    events_seen: int
    dropped: int
    last_signal: str
    last_event_at: datetime | None
    config_rejected: str
    tree_ok: bool
    tree_detail: str
    stores_ok: bool
    health: tuple[ServiceHealth, ...] = ()
    activity: tuple[str, ...] = field(default=())
    latencies: dict[str, list[float]] = field(default_factory=dict)
    prices: dict[str, Decimal] = field(default_factory=dict)
    jobs: dict[str, str] = field(default_factory=dict)


class Hub:
    """The dashboard's shared state, refreshed on its own thread."""

    def __init__(
        self,
        *,
        feed: StateFeed,
        reads: DashboardReads,
        control: TreeControl,
        mode: str,
        probes: Sequence[HealthProbe] = (),
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        tick_s: float = 0.25,
        min_refresh_s: float = 0.5,
        slow_refresh_s: float = 5.0,
        tree_every_s: float = 1.0,
    ) -> None:
        self.reads = reads
        self.control = control
        self.mode = mode
        self._feed = feed
        self._probes = tuple(probes)
        self._now = now
        self._tick_s = tick_s
        self._min_refresh_s = min_refresh_s
        self._slow_refresh_s = slow_refresh_s
        self._tree_every_s = tree_every_s
        self._live = LiveState()
        self._seq = 0
        self._dropped = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.status_version = 0
        self.home_version = 0
        self.tree_version = 0
        self._status: StatusView | None = None
        self._home = HomeView()
        self._tree: TreeSnapshot | None = None
        self._wakers: dict[object, Callable[[], None]] = {}
        self._home_dirty = True
        self._home_at = float("-inf")
        self._tree_at = float("-inf")

    # ----- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Refresh once (so the first page has data), then keep refreshing on a thread."""
        self.step()
        self._thread = threading.Thread(target=self._run, name="dashboard-hub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the refresh thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._feed.wait(self._seq, self._tick_s)  # wakes on the next event
            if self._stop.wait(MIN_STEP_S):  # a busy tree is folded in batches
                return
            try:
                self.step()
            except Exception:  # a failing read must not end the dashboard: logged, retried
                _log.exception("dashboard_refresh_failed")

    # ----- one refresh ----------------------------------------------------------------------
    def step(self) -> None:
        """Fold new events; refresh the tree and the Home figures when due."""
        clock = time.monotonic()
        batch = self._feed.since(self._seq)
        status_changed = batch.dropped != self._dropped
        for event in batch.events:
            status_changed |= self._live.apply(event)
            if isinstance(event, STORE_EVENTS):
                self._home_dirty = True
        self._seq, self._dropped = batch.last_seq, batch.dropped
        if clock - self._tree_at >= self._tree_every_s:
            self._tree_at = clock
            tree = self.control.tree()
            if tree != self._tree:
                summary_before = _tree_summary(self._tree)
                with self._lock:
                    self._tree = tree
                    self.tree_version += 1
                # uptimes move every second: only a change the bar shows wakes the sessions
                status_changed |= _tree_summary(tree) != summary_before
        if status_changed or self._status is None:
            self._publish_status()  # before the store reads: a halt shows at once
        due = self._home_dirty and clock - self._home_at >= self._min_refresh_s
        if due or clock - self._home_at >= self._slow_refresh_s:
            self._home_at = clock
            self._home_dirty = False
            home = self._read_home()
            with self._lock:
                self._home = home
                self.home_version += 1
            self._publish_status()  # KPI cards and the stores chip follow; sessions wake

    def _publish_status(self) -> None:
        status = self._status_view()
        with self._lock:
            self._status = status
            self.status_version += 1
        self._notify()

    def _notify(self) -> None:
        """Wake every session now (each schedules its push on its own document)."""
        for wake in list(self._wakers.values()):
            try:
                wake()
            except Exception:
                _log.debug("dashboard_wake_failed")

    def on_change(self, key: object, wake: Callable[[], None]) -> None:
        """Call `wake()` (from the hub's thread) whenever the views changed."""
        self._wakers[key] = wake

    def forget(self, key: object) -> None:
        """Stop waking the session registered under `key`."""
        self._wakers.pop(key, None)

    def _read_home(self) -> HomeView:
        now = self._now()
        try:
            return HomeView(
                kpis=self.reads.kpis(now),
                equity=self.reads.equity_curve(),
                positions=self.reads.open_positions(),
                signals=self.reads.signals(limit=25),
                alerts=self.reads.alerts(limit=10),
                webhooks=self.reads.webhook_stats(now),
            )
        except Exception as error:  # the stores restart: say so, keep the last figures
            _log.warning("dashboard_read_failed", error=type(error).__name__)
            return HomeView(
                kpis=self._home.kpis,
                equity=self._home.equity,
                positions=self._home.positions,
                signals=self._home.signals,
                alerts=self._home.alerts,
                webhooks=self._home.webhooks,
                error=f"stores unavailable: {type(error).__name__}",
            )

    def _status_view(self) -> StatusView:
        live = self._live
        tree = self._tree
        restarting = [a.name for a in tree.actors if a.state.value == "restarting"] if tree else []
        quarantined = len(tree.quarantined) if tree else 0
        tree_ok = tree is not None and not restarting and quarantined == 0
        detail = (
            "no tree"
            if tree is None
            else f"{len(tree.actors)} actors, {tree.inactive_count} passivated"
            + (f", restarting: {', '.join(restarting)}" if restarting else "")
            + (f", {quarantined} quarantined" if quarantined else "")
        )
        health: list[ServiceHealth] = []
        for probe in self._probes:
            try:
                health.extend(probe.health())
            except Exception as error:
                health.append(ServiceHealth(name="probe", healthy=False, detail=str(error)))
        return StatusView(
            mode=self.mode,
            halted=live.halted,
            halt_cause=str(live.halt_cause),
            halt_detail=live.halt_detail,
            events_seen=live.events_seen,
            dropped=self._dropped,
            last_signal=live.last_signal,
            last_event_at=live.last_event_at,
            config_rejected=live.config_rejected,
            tree_ok=tree_ok,
            tree_detail=detail,
            stores_ok=self.control.ready() and not self._home.error,
            health=tuple(health),
            activity=tuple(f"{a.at:%H:%M:%S} {a.text}" for a in live.recent),
            latencies={k: list(v) for k, v in live.latencies_ms.items()},
            prices=dict(live.prices),
            jobs=live.job_lines(),
        )

    # ----- what sessions read ----------------------------------------------------------------
    @property
    def status(self) -> StatusView:
        """The latest status (the first refresh ran in `start`)."""
        with self._lock:
            assert self._status is not None, "Hub.start() was not called"
            return self._status

    @property
    def home(self) -> HomeView:
        """The latest Home figures."""
        with self._lock:
            return self._home

    @property
    def tree(self) -> TreeSnapshot | None:
        """The latest tree snapshot."""
        with self._lock:
            return self._tree


def _tree_summary(tree: TreeSnapshot | None) -> tuple[object, ...]:
    """What the status bar says about the tree (not uptimes or message counts)."""
    if tree is None:
        return ()
    return (
        tuple((a.name, a.state, a.restarts) for a in tree.actors),
        len(tree.quarantined),
        tree.inactive_count,
    )
