"""Exit strategies as domain data, and the five presets WallTrack ships with.

Why here: a strategy is validated exactly like a runtime parameter (the operator edits it
from the dashboard), so it shares the parser; the presets are the seed of the
exit_strategies table. Fractions are Decimal (0.5 = 50 %), multipliers are of the entry
price, so comparisons against Decimal prices stay exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from walltrack.domain.params.parsing import bounds, parse_into
from walltrack.errors import InvalidParameterError

D = Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class TakeProfit:
    """At `multiplier` x entry, sell `sell_fraction` of what remains of the ladder part."""

    multiplier: Decimal = field(default=D(2), metadata=bounds(gt=1))
    sell_fraction: Decimal = field(default=D("0.5"), metadata=bounds(gt=0, le=1))


@dataclass(frozen=True, slots=True, kw_only=True)
class TrailingStop:
    """From `activation_multiplier` x entry, sell when the price falls `distance` below its peak."""

    activation_multiplier: Decimal = field(default=D(2), metadata=bounds(gt=1))
    distance: Decimal = field(default=D("0.3"), metadata=bounds(gt=0, le=1))


@dataclass(frozen=True, slots=True, kw_only=True)
class Stagnation:
    """Close when the price moved less than `min_move` within `window_hours`."""

    min_move: Decimal = field(default=D("0.05"), metadata=bounds(gt=0, le=1))
    window_hours: Decimal = field(default=D(6), metadata=bounds(gt=0))


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitStrategy:
    """One exit strategy; checked in order: stop loss, trailing, take-profit, time, mirror."""

    name: str = "balanced"
    take_profits: tuple[TakeProfit, ...] = ()
    stop_loss: Decimal = field(default=D("0.5"), metadata=bounds(gt=0, le=1))
    trailing: TrailingStop | None = None
    max_hold_hours: int | None = field(default=None, metadata=bounds(gt=0))
    stagnation: Stagnation | None = None
    moonbag_fraction: Decimal = field(default=D(0), metadata=bounds(ge=0, le=1))
    moonbag_stop: Decimal | None = field(default=None, metadata=bounds(gt=0, le=1))
    mirror_exit: bool = False

    def problems(self) -> list[tuple[str, str]]:
        """The ladder rises, stops sit above zero, and a moonbag stop needs a moonbag."""
        found: list[tuple[str, str]] = []
        if self.stop_loss >= 1:
            found.append(("stop_loss", "must be below 1 (a 100 % stop never fires)"))
        if self.trailing is not None and self.trailing.distance >= 1:
            found.append(("trailing.distance", "must be below 1 (a 100 % trail never fires)"))
        levels = [tp.multiplier for tp in self.take_profits]
        if levels != sorted(set(levels)):
            found.append(("take_profits", "multipliers must be strictly increasing"))
        if self.moonbag_stop is not None and self.moonbag_fraction == 0:
            found.append(("moonbag_stop", "needs moonbag_fraction > 0"))
        if self.moonbag_fraction == 1 and self.take_profits:
            found.append(("moonbag_fraction", "must be < 1 when there are take-profits"))
        return found


def parse_exit_strategy(data: Mapping[str, Any], path: str = "exit_strategy") -> ExitStrategy:
    """Validate a strategy from JSON; raises InvalidParameterError naming each bad field."""
    problems: list[tuple[str, str]] = []
    strategy = parse_into(ExitStrategy, data, path, problems)
    if problems or strategy is None:
        raise InvalidParameterError(tuple(problems) or ((path, "invalid"),))
    return strategy


def _tp(multiplier: str, fraction: str) -> TakeProfit:
    return TakeProfit(multiplier=D(multiplier), sell_fraction=D(fraction))


CONSERVATIVE = ExitStrategy(
    name="conservative",
    take_profits=(_tp("2", "0.5"), _tp("3", "1")),
    stop_loss=D("0.5"),
    max_hold_hours=72,
)
BALANCED = ExitStrategy(
    name="balanced",
    take_profits=(_tp("2", "0.33"), _tp("3", "0.5")),
    stop_loss=D("0.5"),
    trailing=TrailingStop(activation_multiplier=D(2), distance=D("0.3")),
    max_hold_hours=168,
    moonbag_fraction=D("0.34"),
    moonbag_stop=D("0.3"),
)
MOONBAG_AGGRESSIVE = ExitStrategy(
    name="moonbag_aggressive",
    take_profits=(_tp("2", "0.5"), _tp("3", "1")),
    stop_loss=D("0.5"),
    moonbag_fraction=D("0.5"),
)
QUICK_FLIP = ExitStrategy(
    name="quick_flip",
    take_profits=(_tp("1.5", "1"),),
    stop_loss=D("0.3"),
    max_hold_hours=24,
    stagnation=Stagnation(min_move=D("0.05"), window_hours=D(6)),
)
DIAMOND_HANDS = ExitStrategy(
    name="diamond_hands",
    take_profits=(_tp("5", "0.5"), _tp("10", "1")),
    stop_loss=D("0.6"),
    trailing=TrailingStop(activation_multiplier=D(3), distance=D("0.4")),
    moonbag_fraction=D("0.5"),
    moonbag_stop=D("0.2"),
)

PRESETS: tuple[ExitStrategy, ...] = (
    CONSERVATIVE,
    BALANCED,
    MOONBAG_AGGRESSIVE,
    QUICK_FLIP,
    DIAMOND_HANDS,
)
"""The five presets of domain-rules.md; `balanced` is the default."""
