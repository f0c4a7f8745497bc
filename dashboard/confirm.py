"""A button whose action runs only after the operator confirms it.

Why: pause, reset, close and blacklist act on money; a stray click must not do them.
"""

from __future__ import annotations

from collections.abc import Callable

import panel as pn

from dashboard.widgets import make
from walltrack.logging import get_logger

_log = get_logger("dashboard_controls")


class ConfirmedAction:
    """`[label]` -> "Confirm <label>?" [Confirm] [Cancel] -> the action, its outcome shown."""

    def __init__(
        self,
        label: str,
        action: Callable[[], str],
        *,
        button_type: str = "primary",
        css: str = "",
    ) -> None:
        self._action = action
        self.button = make(
            pn.widgets.Button,
            name=label,
            button_type=button_type,
            css_classes=[f"wt-btn-{css}"] if css else [],
        )
        self.confirm = make(
            pn.widgets.Button,
            name=f"Confirm {label.lower()}",
            button_type="danger",
            visible=False,
            css_classes=[f"wt-confirm-{css}"] if css else [],
        )
        self.cancel = make(pn.widgets.Button, name="Cancel", visible=False)
        self.outcome = make(pn.pane.Str, "", css_classes=[f"wt-outcome-{css}"] if css else [])
        self.button.on_click(lambda _e: self._ask())
        self.confirm.on_click(lambda _e: self._run())
        self.cancel.on_click(lambda _e: self._hide())
        self.panel = make(pn.Row, self.button, self.confirm, self.cancel, self.outcome)

    def _ask(self) -> None:
        self.confirm.visible = True
        self.cancel.visible = True

    def _hide(self) -> None:
        self.confirm.visible = False
        self.cancel.visible = False

    def _run(self) -> None:
        self._hide()
        try:
            self.outcome.object = self._action()
        except Exception as error:
            _log.warning("dashboard_action_failed", error=type(error).__name__)
            self.outcome.object = f"refused: {error}"
