"""The Config page's exit-strategy editor: pick, edit the JSON, preview, apply.

Why its own widget: strategies are not runtime parameters (they live in their own table
and positions refer to them by name), but they are edited the same way: the domain's
validation and a before -> after preview first, then Apply stores the strategy with a
history row and hands it to the position actor, which assigns new positions from it at
once (open positions keep theirs unless the operator changes them).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import panel as pn

from dashboard.detail import OPERATOR
from dashboard.strategy_preview import StrategyPreview, preview_strategy
from dashboard.widgets import make
from walltrack.dashboard_ports import DashboardCommands, DashboardReads
from walltrack.domain.params import ExitStrategy
from walltrack.domain.params.parsing import to_json

NEW = "(new strategy)"


class StrategyEditor:
    """One session's editor; `on_applied` reloads the page (history, list)."""

    def __init__(
        self,
        reads: DashboardReads,
        commands: DashboardCommands,
        on_applied: Callable[[], None] = lambda: None,
    ) -> None:
        self._reads = reads
        self._commands = commands
        self._on_applied = on_applied
        self._strategies: dict[str, ExitStrategy] = {}
        self._preview: StrategyPreview | None = None
        self.choice = make(
            pn.widgets.Select, name="Strategy", options=[NEW], css_classes=["wt-strategy-choice"]
        )
        self.definition = make(
            pn.widgets.TextAreaInput,
            name="Definition (JSON; fractions: 0.5 = 50 %)",
            height=260,
            sizing_mode="stretch_width",
            css_classes=["wt-strategy-definition"],
        )
        self.preview_button = make(
            pn.widgets.Button,
            name="Preview strategy",
            button_type="primary",
            css_classes=["wt-strategy-preview"],
        )
        self.apply_button = make(
            pn.widgets.Button,
            name="Apply strategy",
            button_type="danger",
            disabled=True,
            css_classes=["wt-strategy-apply"],
        )
        self.outcome = make(pn.pane.Markdown, "", css_classes=["wt-strategy-outcome"])
        self.choice.param.watch(lambda _e: self._show_choice(), "value")
        self.definition.param.watch(lambda _e: self._invalidate(), "value")
        self.preview_button.on_click(lambda _e: self._preview_edit())
        self.apply_button.on_click(lambda _e: self._apply())
        self.panel = make(
            pn.Row,
            make(pn.Column, self.choice, self.definition, sizing_mode="stretch_width"),
            make(
                pn.Column,
                make(pn.Row, self.preview_button, self.apply_button),
                self.outcome,
                sizing_mode="stretch_width",
            ),
            sizing_mode="stretch_width",
        )

    def load(self, prefer: str | None = None) -> None:
        """Read the stored strategies; show `prefer`, else keep the choice if it exists."""
        self._strategies = {r.strategy.name: r.strategy for r in self._reads.exit_strategies()}
        chosen = prefer or self.choice.value
        self.choice.options = [*self._strategies, NEW]
        if chosen not in self.choice.options:
            chosen = next(iter(self._strategies), NEW)
        if self.choice.value == chosen:
            self._show_choice()
        else:
            self.choice.value = chosen  # the watcher shows it

    def _show_choice(self) -> None:
        strategy = self._strategies.get(str(self.choice.value))
        document = to_json(strategy) if strategy is not None else to_json(ExitStrategy(name=""))
        self.definition.value = json.dumps(document, indent=1)
        self._invalidate()

    def _invalidate(self) -> None:
        self._preview = None
        self.apply_button.disabled = True

    def _preview_edit(self) -> None:
        text = self.definition.value_input or self.definition.value or ""
        result = preview_strategy(text, self._strategies)
        self._preview = result
        self.outcome.object = result.describe()
        self.apply_button.disabled = not result.valid

    def _apply(self) -> None:
        result = self._preview
        if result is None or not result.valid or result.definition is None:
            self.outcome.object = "Preview the change first."
            return
        try:
            record = self._commands.update_exit_strategy(result.definition, OPERATOR)
        except Exception as error:
            self.outcome.object = f"**Refused**: {error}"
            return
        name = record.strategy.name
        self.outcome.object = (
            f"Applied strategy `{name}`: new positions use it now; open positions keep "
            "theirs unless changed from their detail."
        )
        self.load(prefer=name)
        self._on_applied()
