"""System: the supervisor tree, quarantined messages, venue breakers and health, latencies.

Why here and not in logs: when the operator is away the tree may have restarted actors or
set messages aside; this page shows each actor's state, restarts, last error, mailbox and
throughput, and the per-stage latency percentiles the feed measured.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd  # type: ignore[import-untyped]
import panel as pn

from dashboard.hub import StatusView
from dashboard.live_state import STAGES, percentile
from dashboard.tables import breaker_frame, quarantine_frame, set_frame, tree_frame
from dashboard.widgets import make
from walltrack.dashboard_ports import DashboardReads
from walltrack.domain.tree import TreeSnapshot


def latency_frame(status: StatusView) -> pd.DataFrame:
    """p50/p95/p99 per stage in milliseconds, every pipeline stage in order (none yet: -)."""
    others = sorted(set(status.latencies) - set(STAGES))
    rows = []
    for stage in (*STAGES, *others):
        samples = status.latencies.get(stage, [])
        rows.append(
            {
                "stage": stage,
                "samples": len(samples),
                **{
                    f"p{share}_ms": round(percentile(samples, share / 100), 1) if samples else "-"
                    for share in (50, 95, 99)
                },
            }
        )
    return pd.DataFrame(rows, columns=["stage", "samples", "p50_ms", "p95_ms", "p99_ms"])


def health_frame(status: StatusView) -> pd.DataFrame:
    """Venue breakers, rate limits, stores and jobs as the probes report them."""
    rows = [
        {
            "service": item.name,
            "healthy": "yes" if item.healthy else "NO",
            "detail": item.detail,
            **{key: str(value) for key, value in item.extra.items()},
        }
        for item in status.health
    ]
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=["service", "healthy", "detail"])


def _table(frame: pd.DataFrame, css: str, height: int) -> pn.widgets.Tabulator:
    return make(
        pn.widgets.Tabulator,
        frame,
        show_index=False,
        disabled=True,
        height=height,
        sizing_mode="stretch_width",
        css_classes=[css],
    )


class SystemPage:
    """The System page of one session."""

    def __init__(self, reads: DashboardReads) -> None:
        self._reads = reads
        self.tree = _table(tree_frame(None), "wt-tree-table", 360)
        self.quarantine = _table(quarantine_frame(None), "wt-quarantine", 140)
        self.health = _table(health_frame(_empty_status()), "wt-health-table", 160)
        self.breakers = _table(breaker_frame(()), "wt-breakers", 180)
        self.latencies = _table(latency_frame(_empty_status()), "wt-latencies", 140)
        self.feed = make(pn.pane.Str, "", css_classes=["wt-feed-stats"])
        self.panel = make(
            pn.Column,
            make(pn.pane.Markdown, "### Supervisor tree"),
            self.tree,
            make(pn.pane.Markdown, "### Quarantined messages"),
            self.quarantine,
            make(pn.pane.Markdown, "### Venues, breakers, rate limits, stores"),
            self.health,
            make(pn.pane.Markdown, "### Circuit-breaker events (24 h)"),
            self.breakers,
            make(pn.pane.Markdown, "### Latency per stage"),
            self.latencies,
            self.feed,
            sizing_mode="stretch_width",
        )

    def update_tree(self, tree: TreeSnapshot | None) -> None:
        """New tree snapshot."""
        set_frame(self.tree, tree_frame(tree))
        set_frame(self.quarantine, quarantine_frame(tree))

    def update_status(self, status: StatusView) -> None:
        """Health, latencies, feed counters."""
        set_frame(self.health, health_frame(status))
        set_frame(self.latencies, latency_frame(status))
        self.feed.object = f"state feed: {status.events_seen} events, {status.dropped} dropped"

    def load(self) -> None:
        """Read the breaker events of the last day."""
        since = datetime.now(UTC) - timedelta(days=1)
        set_frame(self.breakers, breaker_frame(self._reads.breaker_events(since, limit=100)))


def _empty_status() -> StatusView:
    return StatusView(
        mode="",
        halted=None,
        halt_cause="",
        halt_detail="",
        events_seen=0,
        dropped=0,
        last_signal="",
        last_event_at=None,
        config_rejected="",
        tree_ok=False,
        tree_detail="",
        stores_ok=False,
    )
