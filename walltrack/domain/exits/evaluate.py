"""One price update (or a sale by the source wallet) against a position's exit strategy.

Check order on each price update, first match wins (domain-rules.md):
1. stop loss: price <= entry x (1 - stop_loss); for a moonbag, its own stop
   price <= entry x (1 - moonbag_stop) instead (no moonbag stop: it rides to zero);
2. trailing stop: active once the peak reached entry x activation; its stop sits
   `distance` below the peak and only ever rises; sells the ladder part, keeps the moonbag;
3. take-profit: every level not yet hit that the price reached, compounded into one sale
   of `sell_fraction` of what remains of the ladder part per level;
4. time rules: held >= max_hold_hours, or stagnation (no move of `min_move` from the last
   anchor price within `window_hours`).
The mirror exit is driven by the source wallet's sale, not by a price (`on_source_sold`).
A moonbag answers only to its own stop and to mirror, manual and emergency exits.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from walltrack.domain.exits.state import ExitDecision, ExitState, begin_exit, floor_amount
from walltrack.domain.records.trading import ExitReason, PositionState

type Step = tuple[ExitState, tuple[ExitDecision, ...]]


def _track(state: ExitState, price: Decimal, now: datetime) -> ExitState:
    """Peak, trailing stop (ratchets up only) and stagnation anchor after a price."""
    strategy = state.strategy
    peak = max(state.peak_price, price)
    trailing = state.trailing_stop_price
    if (
        strategy.trailing is not None
        and peak >= state.entry_price * strategy.trailing.activation_multiplier
    ):
        candidate = peak * (1 - strategy.trailing.distance)
        trailing = candidate if trailing is None else max(trailing, candidate)
    anchor_price, anchor_at = state.anchor_price, state.anchor_at
    if strategy.stagnation is not None:
        move = abs(price - anchor_price) / anchor_price
        if move >= strategy.stagnation.min_move:
            anchor_price, anchor_at = price, now
    return replace(
        state,
        peak_price=peak,
        trailing_stop_price=trailing,
        anchor_price=anchor_price,
        anchor_at=anchor_at,
    )


def _decide(
    state: ExitState,
    reason: ExitReason,
    amount: int,
    price: Decimal,
    now: datetime,
    *,
    levels: tuple[int, ...] = (),
) -> Step:
    amount = min(amount, state.remaining_amount)
    if amount <= 0:
        return state, ()
    decision = ExitDecision(
        position_id=state.position_id,
        sequence=state.exits_decided,
        reason=reason,
        sell_amount=amount,
        fraction_of_remaining=Decimal(amount) / Decimal(state.remaining_amount),
        price=price,
        levels=levels,
        closes_position=amount == state.remaining_amount,
        decided_at=now,
    )
    return begin_exit(state, decision), (decision,)


def _ordinary_exit_amount(state: ExitState) -> int:
    """Before the moonbag is earned everything goes; after, only the ladder part."""
    return state.ladder_amount if state.moonbag_earned else state.remaining_amount


def _take_profit(state: ExitState, price: Decimal) -> tuple[int, tuple[int, ...]]:
    ladder_left = state.ladder_amount
    sold, levels = 0, []
    for index, level in enumerate(state.strategy.take_profits):
        if index < state.levels_hit:
            continue
        if price < state.entry_price * level.multiplier:
            break
        sale = floor_amount(ladder_left * level.sell_fraction)
        sold += sale
        ladder_left -= sale
        levels.append(index)
    return sold, tuple(levels)


def _time_rule(state: ExitState, now: datetime) -> ExitReason | None:
    strategy = state.strategy
    if strategy.max_hold_hours is not None and now - state.opened_at >= timedelta(
        hours=strategy.max_hold_hours
    ):
        return ExitReason.TIME_LIMIT
    stagnation = strategy.stagnation
    if stagnation is not None and now - state.anchor_at >= timedelta(
        hours=float(stagnation.window_hours)
    ):
        return ExitReason.STAGNATION
    return None


type Rule = tuple[ExitReason, int, tuple[int, ...]]


def _moonbag_rule(state: ExitState, price: Decimal) -> Rule | None:
    stop = state.strategy.moonbag_stop
    if stop is not None and price <= state.entry_price * (1 - stop):
        return ExitReason.MOONBAG_STOP, state.remaining_amount, ()
    return None


def _first_rule(state: ExitState, price: Decimal, now: datetime) -> Rule | None:
    """The first rule of the check order that fires, with the amount it sells."""
    if state.state is PositionState.MOONBAG:
        return _moonbag_rule(state, price)
    if price <= state.entry_price * (1 - state.strategy.stop_loss):
        return ExitReason.STOP_LOSS, _ordinary_exit_amount(state), ()
    if state.trailing_stop_price is not None and price <= state.trailing_stop_price:
        return ExitReason.TRAILING_STOP, state.ladder_amount, ()
    sold, levels = _take_profit(state, price)
    if levels:
        return ExitReason.TAKE_PROFIT, sold, levels
    reason = _time_rule(state, now)
    return None if reason is None else (reason, _ordinary_exit_amount(state), ())


def on_price(state: ExitState, price: Decimal, now: datetime) -> Step:
    """The next state and the exit decisions (none or one) after a price update."""
    if price <= 0:
        return state, ()
    state = _track(state, price, now)
    rule = _first_rule(state, price, now) if state.is_active else None
    if rule is None:
        return state, ()
    reason, amount, levels = rule
    return _decide(state, reason, amount, price, now, levels=levels)


def on_source_sold(state: ExitState, sold_fraction: Decimal, price: Decimal, now: datetime) -> Step:
    """Mirror exit: the source wallet sold `sold_fraction` of its holding; sell the same share."""
    if not state.strategy.mirror_exit or not state.is_active or sold_fraction <= 0:
        return state, ()
    amount = (
        state.remaining_amount
        if sold_fraction >= 1
        else floor_amount(state.remaining_amount * sold_fraction)
    )
    return _decide(state, ExitReason.MIRROR, amount, price, now)


def close_now(state: ExitState, reason: ExitReason, price: Decimal, now: datetime) -> Step:
    """Sell everything now (manual or emergency), whatever the strategy says."""
    if state.state in (PositionState.PENDING, PositionState.CLOSED):
        return state, ()
    if state.pending is not None:
        state = replace(
            state, state=state.resume_state or state.state, pending=None, resume_state=None
        )
    return _decide(state, reason, state.remaining_amount, price, now)
