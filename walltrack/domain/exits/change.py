"""Moving an open position to another exit strategy without forgetting what it already did.

Why a rule of its own: the exit state counts take-profit levels by index and sizes the
moonbag from the strategy, so swapping the strategy alone would re-sell a level the
position already took, or lose its moonbag. The rule (documented for the operator):

- take-profit: every level of the new ladder at or below the highest multiplier already
  executed under the old one counts as done (profit was already taken at that price); the
  levels above it are still to come. Nothing executed yet: the whole new ladder is ahead.
- moonbag: its size is recomputed from the new `moonbag_fraction` of the initial amount;
  an earned moonbag stays earned if the new strategy keeps one. A position riding as a
  moonbag goes back to a partial exit when the new strategy has no (or a smaller) moonbag.
- trailing stop: recomputed from the peak seen so far with the new activation and
  distance (none if the new strategy has no trailing stop or the peak is below its
  activation); the old strategy's stop is not carried over.
- entry price, peak, open time, stagnation anchor, an exit in flight: unchanged; the time
  rules of the new strategy count from the position's opening.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from walltrack.domain.exits.state import ExitState, floor_amount
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records.trading import PositionState


def _levels_done(state: ExitState, strategy: ExitStrategy) -> int:
    if state.levels_hit <= 0 or not state.strategy.take_profits:
        return 0
    executed = state.strategy.take_profits[
        min(state.levels_hit, len(state.strategy.take_profits)) - 1
    ]
    return sum(1 for level in strategy.take_profits if level.multiplier <= executed.multiplier)


def _trailing_stop(state: ExitState, strategy: ExitStrategy) -> Decimal | None:
    trailing = strategy.trailing
    if trailing is None or state.peak_price < state.entry_price * trailing.activation_multiplier:
        return None
    return state.peak_price * (1 - trailing.distance)


def change_strategy(state: ExitState, strategy: ExitStrategy) -> ExitState:
    """`state` under `strategy`, by the rule of this module's docstring."""
    moonbag = floor_amount(state.initial_amount * strategy.moonbag_fraction)
    earned = state.moonbag_earned and moonbag > 0

    def settled(current: PositionState | None) -> PositionState | None:
        if current not in (PositionState.PARTIAL_EXIT, PositionState.MOONBAG):
            return current
        riding = earned and state.remaining_amount <= moonbag
        return PositionState.MOONBAG if riding else PositionState.PARTIAL_EXIT

    new_state = settled(state.state)
    assert new_state is not None
    return replace(
        state,
        strategy=strategy,
        levels_hit=_levels_done(state, strategy),
        moonbag_amount=moonbag,
        moonbag_earned=earned,
        trailing_stop_price=_trailing_stop(state, strategy),
        state=new_state,
        resume_state=settled(state.resume_state),
    )
