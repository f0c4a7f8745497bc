"""The state feed's bound, the live-state fold, the config preview and the bind rule."""

from __future__ import annotations

import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dashboard.config_preview import parse_value, preview
from dashboard.feed import BoundedFeed
from dashboard.live_state import LiveState, percentile
from dashboard.server import DashboardServer, origins
from walltrack.domain.messages.control import HaltCause, TradingHalted, TradingResumed
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.params import default_params
from walltrack.errors import ConfigurationError

AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _stamp(at: datetime = AT) -> dict[str, Any]:
    return {"correlation_id": uuid.uuid4(), "ts_event": at, "ts_init": at}


def test_a_full_feed_drops_the_oldest_and_counts_them() -> None:
    feed = BoundedFeed(capacity=3)
    for number in range(5):
        feed.offer(number)
    batch = feed.since(0)
    assert batch.events == (2, 3, 4)
    assert batch.dropped == 2
    assert batch.last_seq == 5
    assert feed.since(4).events == (4,)
    assert feed.wait(5, timeout=0) is False
    assert feed.wait(4, timeout=0) is True


def test_halt_and_resume_fold_into_the_trading_state() -> None:
    state = LiveState()
    assert state.halted is None
    halted = TradingHalted(**_stamp(), cause=HaltCause.OPERATOR_PAUSE, detail="paused by op")
    assert state.apply(halted) is True
    assert state.halted is True
    assert state.halt_cause == HaltCause.OPERATOR_PAUSE
    later = AT + timedelta(seconds=1)
    assert state.apply(TradingResumed(**_stamp(later), requested_by="op")) is True
    assert state.halted is False
    assert state.last_event_at == later
    assert state.apply(object()) is False
    assert [line.kind for line in state.recent] == ["resumed", "halted"]


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.95) == 95.0
    assert percentile(samples, 0.5) == 50.0
    assert percentile([], 0.95) == 0.0


def test_preview_lists_what_moves_or_why_it_is_refused() -> None:
    params = default_params()
    moved = preview(params, "scoring.threshold", parse_value("0.75"))
    assert moved.valid
    assert moved.changes == (("scoring.threshold", 0.7, 0.75),)
    refused = preview(params, "scoring.threshold", parse_value("2"))
    assert not refused.valid
    assert refused.problems
    assert refused.problems[0][0].startswith("scoring")
    unknown = preview(params, "scoring.no_such", 1)
    assert "unknown parameter" in unknown.describe()
    assert not preview(params, "scoring.threshold", 0.7).valid  # no change


def test_a_public_bind_needs_a_token() -> None:
    with pytest.raises(ConfigurationError) as refused:
        DashboardServer(lambda: None, host="0.0.0.0", port=5006, token=None)
    assert "WALLTRACK_DASHBOARD_TOKEN" in str(refused.value)
    DashboardServer(lambda: None, host="0.0.0.0", port=5006, token="t" * 32)
    assert origins("127.0.0.1", 5006) == ["127.0.0.1:5006", "localhost:5006"]


def test_intel_job_progress_shows_running_then_its_last_run() -> None:
    state = LiveState()
    running = IntelJobProgressed(**_stamp(), job="profiling", phase="wallet 3", done=3, total=9)
    assert state.apply(running) is True
    assert state.jobs["profiling"] == "running 3/9: wallet 3"
    done = IntelJobProgressed(
        **_stamp(),
        job="profiling",
        phase="done",
        done=9,
        total=9,
        finished=True,
        summary=(("profiled", 9),),
    )
    state.apply(done)
    assert state.jobs["profiling"] == "last run 12:00:00 (profiled 9)"


def test_a_busy_port_is_refused_at_start() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        server = DashboardServer(lambda: None, host="127.0.0.1", port=port, token=None)
        with pytest.raises(OSError):  # noqa: PT011 - the OS's own errno is the point
            server.start()
