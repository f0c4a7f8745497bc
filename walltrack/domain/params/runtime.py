"""All runtime parameters in one frozen value, with parsing, defaults and path updates.

Why: the config table stores one JSONB document per section; actors receive a validated
`RuntimeParams` whenever it changes. Everything here is pure so the dashboard, the CLI
and the store validate with the very same rules.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from walltrack.domain.params.clusters import ClusterParams
from walltrack.domain.params.market import DiscoveryParams, TokenParams
from walltrack.domain.params.parsing import parse_into, to_json
from walltrack.domain.params.risk import RiskParams
from walltrack.domain.params.scoring import ScoringParams
from walltrack.domain.params.trading import ExitParams, OrderParams, SizingParams
from walltrack.domain.params.wallets import (
    DecayParams,
    FeedbackParams,
    ProfilingParams,
    WatchlistParams,
)
from walltrack.errors import InvalidParameterError


@dataclass(frozen=True, slots=True, kw_only=True)
class RuntimeParams:
    """Every tunable number of WallTrack, grouped by the section that owns it."""

    tokens: TokenParams = field(default_factory=TokenParams)
    discovery: DiscoveryParams = field(default_factory=DiscoveryParams)
    profiling: ProfilingParams = field(default_factory=ProfilingParams)
    watchlist: WatchlistParams = field(default_factory=WatchlistParams)
    decay: DecayParams = field(default_factory=DecayParams)
    clusters: ClusterParams = field(default_factory=ClusterParams)
    scoring: ScoringParams = field(default_factory=ScoringParams)
    sizing: SizingParams = field(default_factory=SizingParams)
    exits: ExitParams = field(default_factory=ExitParams)
    orders: OrderParams = field(default_factory=OrderParams)
    risk: RiskParams = field(default_factory=RiskParams)
    feedback: FeedbackParams = field(default_factory=FeedbackParams)


SECTIONS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(RuntimeParams))
"""Section names, which are also the keys of the config table."""


def default_params() -> RuntimeParams:
    """The defaults of domain-rules.md."""
    return RuntimeParams()


def parse_params(document: Mapping[str, Any]) -> RuntimeParams:
    """Validate a whole configuration document {section: {...}}.

    Raises InvalidParameterError listing every problem, each with its parameter path.
    """
    problems: list[tuple[str, str]] = []
    params = parse_into(RuntimeParams, document, "", problems)
    if problems or params is None:
        raise InvalidParameterError(tuple(problems) or (("config", "invalid"),))
    return params


def params_to_json(params: RuntimeParams) -> dict[str, dict[str, Any]]:
    """{section: JSON object}: what the config table stores."""
    return {name: to_json(getattr(params, name)) for name in SECTIONS}


def with_value(document: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `document` with the parameter (or whole section) at `path` replaced.

    `path` is "section" or "section.name[.name...]"; unknown paths are rejected so a typo
    never silently adds a parameter. Validate the result with `parse_params`.
    """
    parts = path.split(".")
    if parts[0] not in SECTIONS:
        raise InvalidParameterError(((path, "unknown section"),))
    updated = copy.deepcopy(dict(document))
    if len(parts) == 1:
        updated[parts[0]] = copy.deepcopy(value)
        return updated
    defaults: Any = params_to_json(default_params())
    node: dict[str, Any] = updated.setdefault(parts[0], {})
    shape: Any = defaults[parts[0]]
    for depth, part in enumerate(parts[1:], start=1):
        if not isinstance(shape, dict) or part not in shape:
            raise InvalidParameterError(((".".join(parts[: depth + 1]), "unknown parameter"),))
        if depth == len(parts) - 1:
            node[part] = copy.deepcopy(value)
        else:
            shape = shape[part]
            child = node.get(part)
            node[part] = dict(child) if isinstance(child, Mapping) else copy.deepcopy(shape)
            node = node[part]
    return updated
