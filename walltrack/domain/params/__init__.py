"""Runtime parameters (domain-rules.md) as frozen dataclasses with pure validation.

`parse_params` validates a JSON document, `with_value` edits one path, `params_to_json`
gives the stored form; exit strategies and their five presets live in `exit_presets`.
"""

from walltrack.domain.params.exit_presets import (
    PRESETS,
    ExitStrategy,
    Stagnation,
    TakeProfit,
    TrailingStop,
    parse_exit_strategy,
)
from walltrack.domain.params.runtime import (
    SECTIONS,
    RuntimeParams,
    default_params,
    params_to_json,
    parse_params,
    with_value,
)

__all__ = [
    "PRESETS",
    "SECTIONS",
    "ExitStrategy",
    "RuntimeParams",
    "Stagnation",
    "TakeProfit",
    "TrailingStop",
    "default_params",
    "params_to_json",
    "parse_exit_strategy",
    "parse_params",
    "with_value",
]
