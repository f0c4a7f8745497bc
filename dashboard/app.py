"""One browser session: status bar and controls on top, the four pages as tabs, the detail
sidebar, and a periodic callback that pushes the hub's changes to the page.

Why a periodic callback per session reading shared views: the hub does the work once per
process; a session only re-renders the parts whose version moved, and only on the page it
shows, so a slow or idle browser costs the tree nothing.
"""

from __future__ import annotations

import panel as pn

from dashboard.confirm import ConfirmedAction
from dashboard.detail import OPERATOR, DetailPanel
from dashboard.hub import Hub
from dashboard.pages.config import ConfigPage
from dashboard.pages.explorer import ExplorerPage
from dashboard.pages.home import HomePage
from dashboard.pages.system import SystemPage
from dashboard.status_bar import StatusBar
from dashboard.widgets import make
from walltrack.dashboard_ports import DashboardCommands

PUSH_EVERY_MS = 200
HOME, EXPLORER, CONFIG, SYSTEM = range(4)


class Session:
    """The widgets of one browser tab and how they follow the hub."""

    def __init__(self, hub: Hub, commands: DashboardCommands) -> None:
        self._hub = hub
        self._commands = commands
        self._seen = {"status": -1, "home": -1, "tree": -1}
        self.detail = DetailPanel(hub.reads, commands)
        self.status_bar = StatusBar()
        self.pause = ConfirmedAction(
            "Pause",
            self._pause,
            button_type="warning",
            css="pause",
        )
        self.resume = ConfirmedAction(
            "Resume",
            self._resume,
            button_type="success",
            css="resume",
        )
        self.reset = ConfirmedAction(
            "Reset breaker",
            self._reset,
            button_type="danger",
            css="reset",
        )
        self.home = HomePage(self.detail.show_position, self.detail.show_signal)
        # Built when first opened (empty slots until then): a fast first render.
        self.explorer: ExplorerPage | None = None
        self.config: ConfigPage | None = None
        self.system: SystemPage | None = None
        self._slots = [make(pn.Column, sizing_mode="stretch_width") for _ in range(3)]
        self.tabs = make(
            pn.Tabs,
            ("Home", self.home.panel),
            ("Explorer", self._slots[0]),
            ("Config", self._slots[1]),
            ("System", self._slots[2]),
            css_classes=["wt-pages"],
            sizing_mode="stretch_width",
        )
        self.tabs.param.watch(lambda _e: self._on_page(), "active")
        self.template = make(
            pn.template.BootstrapTemplate,
            title="WallTrack",
            sidebar=[self.detail.panel],
            main=[
                make(
                    pn.Column,
                    self.status_bar.pane,
                    make(pn.Row, self.pause.panel, self.resume.panel, self.reset.panel),
                    self.tabs,
                    sizing_mode="stretch_width",
                )
            ],
            sidebar_width=360,
        )
        self.push()

    def _pause(self) -> str:
        self._commands.pause(OPERATOR, "operator pause")
        return "pause sent"

    def _resume(self) -> str:
        self._commands.resume(OPERATOR)
        return "resume sent"

    def _reset(self) -> str:
        self._commands.reset_breaker(OPERATOR)
        return "reset sent"

    def _on_page(self) -> None:
        """A page was opened: load what it reads from the stores, render its live parts."""
        self._seen = {"status": -1, "home": -1, "tree": -1}
        page = self.tabs.active
        if page == EXPLORER:
            if self.explorer is None:
                self.explorer = ExplorerPage(self._hub.reads, self._commands, self.detail)
                self._slots[0].objects = [self.explorer.panel]
            self.explorer.load()
        elif page == CONFIG:
            if self.config is None:
                self.config = ConfigPage(self._hub.reads, self._commands)
                self._slots[1].objects = [self.config.panel]
            self.config.load()
        elif page == SYSTEM:
            if self.system is None:
                self.system = SystemPage(self._hub.reads)
                self._slots[2].objects = [self.system.panel]
            self.system.load()
        self.push()

    def push(self) -> None:
        """Render what changed in the hub since the last push (the periodic callback)."""
        hub = self._hub
        page = self.tabs.active
        status_v, home_v, tree_v = hub.status_version, hub.home_version, hub.tree_version
        status, home = hub.status, hub.home
        if status_v != self._seen["status"]:  # first: the bar is what must show at once
            self.status_bar.update(status, home)
            if page == HOME:
                self.home.update_status(home, status)
            elif page == SYSTEM and self.system is not None:
                self.system.update_status(status)
        if home_v != self._seen["home"] and page == HOME:
            self.home.update_home(home, status)
        if tree_v != self._seen["tree"] and page == SYSTEM and self.system is not None:
            self.system.update_tree(hub.tree)
        self._seen = {"status": status_v, "home": home_v, "tree": tree_v}


def build_session(hub: Hub, commands: DashboardCommands) -> pn.template.BootstrapTemplate:
    """The Panel app factory: one Session per browser tab.

    The hub wakes the session when its views change (the push is scheduled on the
    session's own document, the only thread that may touch it); a periodic callback every
    PUSH_EVERY_MS catches anything a wake missed.
    """
    session = Session(hub, commands)
    document = pn.state.curdoc
    if document is not None:

        def wake() -> None:
            document.add_next_tick_callback(session.push)

        # Only once the page is connected: a document still being set up is not touched
        # from another thread.
        pn.state.onload(lambda: hub.on_change(session, wake))
        pn.state.on_session_destroyed(lambda _context: hub.forget(session))
    pn.state.add_periodic_callback(session.push, period=PUSH_EVERY_MS)
    return session.template
