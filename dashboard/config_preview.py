"""What a configuration edit would change, computed with the domain's own validation.

Why before applying: the operator sees every parameter that moves (old -> new) or every
problem, named by its path, before anything is written; the store validates again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from walltrack.domain.params import RuntimeParams, params_to_json, parse_params, with_value
from walltrack.errors import InvalidParameterError


@dataclass(frozen=True, slots=True, kw_only=True)
class Preview:
    """The outcome of an edit: changed leaves, or the problems that refuse it."""

    path: str
    value: Any
    changes: tuple[tuple[str, Any, Any], ...] = ()
    problems: tuple[tuple[str, str], ...] = ()

    @property
    def valid(self) -> bool:
        """The edit passes validation and changes something."""
        return not self.problems and bool(self.changes)

    def describe(self) -> str:
        """Markdown for the page."""
        if self.problems:
            return "**Refused**\n\n" + "\n".join(f"- `{p}`: {why}" for p, why in self.problems)
        if not self.changes:
            return "No change."
        return "**Will change**\n\n" + "\n".join(
            f"- `{path}`: {json.dumps(old)} → {json.dumps(new)}" for path, old, new in self.changes
        )


def parse_value(text: str) -> Any:
    """The edited value: JSON (numbers, lists, objects), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def leaves(node: Any, prefix: str = "", *, expand_lists: bool = False) -> dict[str, Any]:
    """Every scalar of a JSON document by its dotted path (list items as `path[i]` when
    `expand_lists`, else a list is one value): what a before/after preview compares."""
    if isinstance(node, Mapping):
        found: dict[str, Any] = {}
        for key, child in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found.update(leaves(child, path, expand_lists=expand_lists))
        return found
    if expand_lists and isinstance(node, list):
        found = {}
        for index, child in enumerate(node):
            found.update(leaves(child, f"{prefix}[{index}]", expand_lists=True))
        return found
    return {prefix: node}


def preview(current: RuntimeParams, path: str, value: Any) -> Preview:
    """Validate `path = value` against `current`; list what would change."""
    path = path.strip()
    document = params_to_json(current)
    try:
        updated = parse_params(with_value(document, path, value))
    except InvalidParameterError as error:
        return Preview(path=path, value=value, problems=tuple(error.problems))
    before, after = leaves(document), leaves(params_to_json(updated))
    changes = tuple(
        (leaf, before.get(leaf), after.get(leaf))
        for leaf in sorted(set(before) | set(after))
        if before.get(leaf) != after.get(leaf)
    )
    return Preview(path=path, value=value, changes=changes)
