"""Exit strategies at work: a pure per-position state and the step that evaluates it."""

from walltrack.domain.exits.assignment import PRESETS_BY_NAME, assign_strategy
from walltrack.domain.exits.change import change_strategy
from walltrack.domain.exits.evaluate import close_now, on_price, on_source_sold
from walltrack.domain.exits.state import (
    ExitDecision,
    ExitState,
    apply_failure,
    apply_fill,
    open_exit_state,
)

__all__ = [
    "PRESETS_BY_NAME",
    "ExitDecision",
    "ExitState",
    "apply_failure",
    "apply_fill",
    "assign_strategy",
    "change_strategy",
    "close_now",
    "on_price",
    "on_source_sold",
    "open_exit_state",
]
