"""Config: runtime parameters edited with validation and a preview, applied hot, history.

Why preview then apply: the preview runs the domain's validation on the edited document
and lists each parameter that would move; Apply writes through the config repository
(validated again, versioned, audited) and the tree's config listener pushes it to the
actors, so nothing restarts. The "schedules" entry gathers the job intervals spread over
their sections (edited by their paths like any parameter); exit strategies have their
own editor (dashboard/strategy_editor.py) and share the history.
"""

from __future__ import annotations

import panel as pn

from dashboard.config_preview import Preview, parse_value, preview
from dashboard.detail import OPERATOR
from dashboard.strategy_editor import StrategyEditor
from dashboard.tables import history_frame
from dashboard.widgets import make
from walltrack.dashboard_ports import DashboardCommands, DashboardReads
from walltrack.domain.params import SECTIONS, params_to_json

SCHEDULES = "schedules"
SCHEDULE_PATHS = (
    "tokens.discovery_every_minutes",
    "tokens.surveillance_refresh_hours",
    "discovery.every_minutes",
    "profiling.reprofile_every_hours",
    "decay.check_every_hours",
)
"""The job intervals (the intel actors read them at every tick: applied hot)."""


class ConfigPage:
    """The Config page of one session."""

    def __init__(self, reads: DashboardReads, commands: DashboardCommands) -> None:
        self._reads = reads
        self._commands = commands
        self._preview: Preview | None = None
        self.section = make(
            pn.widgets.Select,
            name="Section",
            options=[*SECTIONS, SCHEDULES],
            value="scoring",
            css_classes=["wt-config-section"],
        )
        self.current = make(
            pn.pane.JSON,
            {},
            depth=2,
            sizing_mode="stretch_width",
            css_classes=["wt-config-current"],
        )
        self.path = make(
            pn.widgets.TextInput,
            name="Parameter path",
            placeholder="scoring.threshold",
            css_classes=["wt-config-path"],
        )
        self.value = make(
            pn.widgets.TextInput,
            name="New value (JSON)",
            placeholder="0.7",
            css_classes=["wt-config-value"],
        )
        self.preview_button = make(
            pn.widgets.Button,
            name="Preview",
            button_type="primary",
            css_classes=["wt-config-preview"],
        )
        self.apply_button = make(
            pn.widgets.Button,
            name="Apply",
            button_type="danger",
            disabled=True,
            css_classes=["wt-config-apply"],
        )
        self.outcome = make(pn.pane.Markdown, "", css_classes=["wt-config-outcome"])
        self.history = make(
            pn.widgets.Tabulator,
            history_frame(()),
            show_index=False,
            height=220,
            disabled=True,
            sizing_mode="stretch_width",
            css_classes=["wt-config-history"],
        )
        self.strategies = StrategyEditor(reads, commands, on_applied=self._load_history)
        self.section.param.watch(lambda _e: self.load(), "value")
        self.path.param.watch(lambda _e: self._invalidate(), "value")
        self.value.param.watch(lambda _e: self._invalidate(), "value")
        self.preview_button.on_click(lambda _e: self._preview_edit())
        self.apply_button.on_click(lambda _e: self._apply())
        self.panel = make(
            pn.Column,
            make(
                pn.Row,
                make(
                    pn.Column,
                    self.section,
                    _scrolling(self.current, 320),
                    sizing_mode="stretch_width",
                ),
                make(
                    pn.Column,
                    self.path,
                    self.value,
                    make(pn.Row, self.preview_button, self.apply_button),
                    self.outcome,
                    sizing_mode="stretch_width",
                ),
                sizing_mode="stretch_width",
            ),
            make(pn.pane.Markdown, "### History"),
            self.history,
            make(pn.pane.Markdown, "### Exit strategies (presets first)"),
            self.strategies.panel,
            sizing_mode="stretch_width",
        )

    def load(self) -> None:
        """Read the parameters in the store, the history and the exit strategies."""
        params = params_to_json(self._reads.params())
        if self.section.value == SCHEDULES:
            self.current.object = {path: _at(params, path) for path in SCHEDULE_PATHS}
        else:
            self.current.object = params[self.section.value]
        self._load_history()
        self.strategies.load()

    def _load_history(self) -> None:
        self.history.value = history_frame(self._reads.config_history(limit=50))

    def _invalidate(self) -> None:
        self._preview = None
        self.apply_button.disabled = True

    def _preview_edit(self) -> None:
        result = preview(
            self._reads.params(), self.path.value or "", parse_value(self.value.value or "")
        )
        self._preview = result
        self.outcome.object = result.describe()
        self.apply_button.disabled = not result.valid

    def _apply(self) -> None:
        result = self._preview
        if result is None or not result.valid:
            self.outcome.object = "Preview the change first."
            return
        try:
            self._commands.update_config(result.path, result.value, OPERATOR)
        except Exception as error:
            self.outcome.object = f"**Refused**: {error}"
            return
        self.outcome.object = (
            f"Applied `{result.path}` = {result.value!r}; the tree applies it hot."
        )
        self._invalidate()
        self.load()


def _at(document: dict[str, dict[str, object]], path: str) -> object:
    section, name = path.split(".", 1)
    return document[section].get(name)


def _scrolling(pane: object, height: int) -> pn.Column:
    """`pane` in a box of fixed height that scrolls (long JSON must not overlap the page)."""
    return make(pn.Column, pane, height=height, scroll=True, sizing_mode="stretch_width")
