"""Which exit strategy a new position gets: by score, unless the operator overrides it.

>= 0.90 Diamond Hands, >= 0.80 Moonbag Aggressive, else the default (Balanced); the
thresholds and the default come from `ExitParams`, the strategies from the stored
exit_strategies (seeded with the presets), so an edited strategy applies to new positions.
"""

from __future__ import annotations

from collections.abc import Mapping

from walltrack.domain.params.exit_presets import PRESETS, ExitStrategy
from walltrack.domain.params.trading import ExitParams
from walltrack.errors import ConfigurationError, InvalidInputError

PRESETS_BY_NAME: Mapping[str, ExitStrategy] = {preset.name: preset for preset in PRESETS}
DIAMOND_HANDS = "diamond_hands"
MOONBAG_AGGRESSIVE = "moonbag_aggressive"


def assign_strategy(
    score: float,
    params: ExitParams,
    strategies: Mapping[str, ExitStrategy] = PRESETS_BY_NAME,
    override: str | None = None,
) -> ExitStrategy:
    """The strategy for a position opened from a signal scoring `score`."""
    if override is not None:
        chosen = strategies.get(override)
        if chosen is None:
            raise InvalidInputError(f"unknown exit strategy {override!r}")
        return chosen
    if score >= params.diamond_hands_min_score and DIAMOND_HANDS in strategies:
        return strategies[DIAMOND_HANDS]
    if score >= params.moonbag_aggressive_min_score and MOONBAG_AGGRESSIVE in strategies:
        return strategies[MOONBAG_AGGRESSIVE]
    default = strategies.get(params.default_strategy)
    if default is None:
        raise ConfigurationError(
            "exits.default_strategy", f"no exit strategy named {params.default_strategy!r}"
        )
    return default
