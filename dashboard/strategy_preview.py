"""What an exit-strategy edit would change, checked with the domain's own validation.

Why before applying: the operator sees each field that moves (before -> after), or each
problem named by its field, before anything is written; the store validates again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.config_preview import leaves
from walltrack.domain.params import ExitStrategy, parse_exit_strategy
from walltrack.domain.params.parsing import to_json
from walltrack.errors import InvalidParameterError


@dataclass(frozen=True, slots=True, kw_only=True)
class StrategyPreview:
    """The outcome of an edit: the validated strategy and what moves, or the problems."""

    definition: dict[str, Any] | None = None
    is_new: bool = False
    changes: tuple[tuple[str, Any, Any], ...] = ()
    problems: tuple[tuple[str, str], ...] = ()

    @property
    def valid(self) -> bool:
        """The edit passes validation and changes something."""
        return self.definition is not None and not self.problems and bool(self.changes)

    def describe(self) -> str:
        """Markdown for the page."""
        if self.problems:
            return "**Refused**\n\n" + "\n".join(f"- `{p}`: {why}" for p, why in self.problems)
        if not self.changes:
            return "No change."
        title = "**New strategy**" if self.is_new else "**Will change**"
        return f"{title}\n\n" + "\n".join(
            f"- `{path}`: {json.dumps(old)} → {json.dumps(new)}" for path, old, new in self.changes
        )


def preview_strategy(text: str, strategies: Mapping[str, ExitStrategy]) -> StrategyPreview:
    """Validate the JSON definition `text`; compare it with the stored strategy of its name."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return StrategyPreview(problems=(("definition", f"not JSON: {error.msg}"),))
    if not isinstance(data, dict):
        return StrategyPreview(problems=(("definition", "must be a JSON object"),))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return StrategyPreview(problems=(("name", "a strategy needs a name"),))
    try:
        strategy = parse_exit_strategy(data, name)
    except InvalidParameterError as error:
        return StrategyPreview(problems=tuple(error.problems))
    definition = to_json(strategy)
    current = strategies.get(strategy.name)
    before = leaves(to_json(current), expand_lists=True) if current is not None else {}
    after = leaves(definition, expand_lists=True)
    changes = tuple(
        (leaf, before.get(leaf), after.get(leaf))
        for leaf in sorted(set(before) | set(after))
        if before.get(leaf) != after.get(leaf)
    )
    return StrategyPreview(definition=definition, is_new=current is None, changes=changes)
