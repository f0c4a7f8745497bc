"""The bar on top of every page: mode, trading state, webhook, jobs, stores, tree, feed.

Why HTML with fixed classes: the bar must be unmistakable (LIVE is red, a halt is red with
its reason) and the browser tests find each part by its class.
"""

from __future__ import annotations

import html

import panel as pn

from dashboard.hub import HomeView, StatusView
from dashboard.tables import when
from dashboard.widgets import make

_STYLE = """
<style>
.wt-bar {display:flex; flex-wrap:wrap; gap:8px; font-family:sans-serif; font-size:13px;}
.wt-chip {padding:4px 10px; border-radius:12px; background:#eef1f4; color:#222;}
.wt-ok {background:#d7f5dd; color:#0b5c1d;}
.wt-bad {background:#fbd9d9; color:#8a0e0e; font-weight:bold;}
.wt-live {background:#c40000; color:#fff; font-weight:bold;}
.wt-paper {background:#1f5fbf; color:#fff; font-weight:bold;}
</style>
"""


def _chip(css: str, text: str, title: str = "") -> str:
    return f'<span class="wt-chip {css}" title="{html.escape(title)}">{html.escape(text)}</span>'


def render_status(status: StatusView, home: HomeView) -> str:
    """The status bar as HTML."""
    mode = status.mode.upper()
    chips = [_chip(f"wt-mode {'wt-live' if mode == 'LIVE' else 'wt-paper'}", mode)]
    if status.halted is None:
        chips.append(_chip("wt-trading", "TRADING: unknown"))
    elif status.halted:
        reason = f"HALTED: {status.halt_cause} ({status.halt_detail})"
        chips.append(_chip("wt-trading wt-bad", reason))
    else:
        chips.append(_chip("wt-trading wt-ok", "TRADING: running"))
    hooks = home.webhooks
    hook_text = (
        "webhook: -"
        if hooks is None
        else f"webhook: last {when(hooks.last_event_at)}, today {hooks.events_today}"
    )
    chips.append(_chip("wt-webhook", hook_text))
    for job, line in sorted(status.jobs.items()):
        chips.append(_chip("wt-job", f"{job}: {line}"))
    healthy = [item for item in status.health if item.healthy]
    if healthy:
        names = ", ".join(item.name for item in healthy)
        chips.append(_chip("wt-health wt-ok", f"{len(healthy)} services ok", title=names))
    for item in status.health:
        if not item.healthy:
            chips.append(_chip("wt-health wt-bad", f"{item.name}: {item.detail or 'down'}"))
    stores_css = "wt-ok" if status.stores_ok else "wt-bad"
    stores_text = "stores: up" if status.stores_ok else f"stores: DOWN {home.error}"
    chips.append(_chip(f"wt-stores {stores_css}", stores_text))
    tree_css = "wt-ok" if status.tree_ok else "wt-bad"
    chips.append(_chip(f"wt-tree {tree_css}", f"tree: {status.tree_detail}"))
    feed = f"events: {status.events_seen}"
    if status.dropped:
        feed += f" (dropped {status.dropped})"
    chips.append(_chip("wt-events", feed))
    if status.config_rejected:
        chips.append(_chip("wt-config wt-bad", f"config rejected: {status.config_rejected}"))
    return _STYLE + '<div class="wt-bar">' + "".join(chips) + "</div>"


class StatusBar:
    """One session's status bar."""

    def __init__(self) -> None:
        self.pane = make(pn.pane.HTML, "", sizing_mode="stretch_width", css_classes=["wt-status"])

    def update(self, status: StatusView, home: HomeView) -> None:
        """Re-render from the hub's views."""
        self.pane.object = render_status(status, home)
