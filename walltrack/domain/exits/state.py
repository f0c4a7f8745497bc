"""What the exit watcher remembers about one position, and how fills move it.

Why a value and not an object: the watcher's state is snapshotted and rebuilt after a
restart, so it is a frozen value that pure functions turn into the next value.

The position is split at open into a ladder part and a moonbag part (moonbag_fraction of
the amount). Take-profits sell fractions of what remains of the ladder part. The moonbag
is *earned* by the first filled take-profit or a fired trailing stop: from then on ordinary
exits sell the ladder part only and the moonbag rides under its own stop. Before that, a
losing position has nothing to keep: stop loss, time and stagnation exits sell everything.

While an exit order is in flight the position is `closing`; the fill (`apply_fill`) or the
failure (`apply_failure`) of that order decides the next state, so a failed sell is
re-decided on the next price update instead of being forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from uuid import UUID

from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records.trading import ExitReason, PositionState


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitDecision:
    """Sell `sell_amount` raw units of the position now, and why."""

    position_id: UUID
    sequence: int  # nth exit decided for this position: part of the order's idempotency key
    reason: ExitReason
    sell_amount: int
    fraction_of_remaining: Decimal
    price: Decimal
    levels: tuple[int, ...] = ()  # take-profit levels (0-based) this sale completes
    closes_position: bool
    decided_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitState:
    """One position as the exit strategy sees it; prices in SOL per token."""

    position_id: UUID
    strategy: ExitStrategy
    state: PositionState
    entry_price: Decimal
    opened_at: datetime
    initial_amount: int
    remaining_amount: int
    moonbag_amount: int
    moonbag_earned: bool = False
    peak_price: Decimal
    trailing_stop_price: Decimal | None = None
    levels_hit: int = 0
    anchor_price: Decimal  # stagnation: the price the next significant move is measured from
    anchor_at: datetime
    exits_decided: int = 0
    pending: ExitDecision | None = None
    resume_state: PositionState | None = None

    @property
    def moonbag_held(self) -> int:
        """Raw units set aside as moonbag that are still held."""
        return min(self.moonbag_amount, self.remaining_amount)

    @property
    def ladder_amount(self) -> int:
        """Raw units of the ladder part still held."""
        return self.remaining_amount - self.moonbag_held

    @property
    def is_active(self) -> bool:
        """Price updates may produce decisions (not pending, closing or closed)."""
        return self.state in (PositionState.OPEN, PositionState.PARTIAL_EXIT, PositionState.MOONBAG)


def floor_amount(value: Decimal) -> int:
    """Raw token units never round up: an exit never sells more than is held."""
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def open_exit_state(
    *,
    position_id: UUID,
    strategy: ExitStrategy,
    entry_price: Decimal,
    amount: int,
    opened_at: datetime,
) -> ExitState:
    """The state of a freshly filled position."""
    if entry_price <= 0 or amount <= 0:
        msg = f"a position needs a positive entry price and amount, got {entry_price}, {amount}"
        raise ValueError(msg)
    return ExitState(
        position_id=position_id,
        strategy=strategy,
        state=PositionState.OPEN,
        entry_price=entry_price,
        opened_at=opened_at,
        initial_amount=amount,
        remaining_amount=amount,
        moonbag_amount=floor_amount(amount * strategy.moonbag_fraction),
        peak_price=entry_price,
        anchor_price=entry_price,
        anchor_at=opened_at,
    )


def begin_exit(state: ExitState, decision: ExitDecision) -> ExitState:
    """The position waits for `decision`'s order: no new decision until it ends."""
    return replace(
        state,
        state=PositionState.CLOSING,
        pending=decision,
        resume_state=state.state,
        exits_decided=state.exits_decided + 1,
    )


def apply_fill(state: ExitState, sold_amount: int) -> ExitState:
    """The pending exit sold `sold_amount` raw units (capped to what is held)."""
    decision = state.pending
    sold = max(0, min(sold_amount, state.remaining_amount))
    remaining = state.remaining_amount - sold
    levels_hit = state.levels_hit
    earned = state.moonbag_earned
    if decision is not None and decision.reason is ExitReason.TAKE_PROFIT and decision.levels:
        levels_hit = max(levels_hit, decision.levels[-1] + 1)
        earned = True
    if decision is not None and decision.reason is ExitReason.TRAILING_STOP:
        earned = True
    earned = earned and state.moonbag_amount > 0
    if remaining == 0:
        new_state = PositionState.CLOSED
    elif earned and remaining <= state.moonbag_amount:
        new_state = PositionState.MOONBAG
    else:
        new_state = PositionState.PARTIAL_EXIT
    return replace(
        state,
        state=new_state,
        remaining_amount=remaining,
        levels_hit=levels_hit,
        moonbag_earned=earned,
        pending=None,
        resume_state=None,
    )


def apply_failure(state: ExitState) -> ExitState:
    """The pending exit failed for good: back to the state before it, to be re-decided."""
    if state.pending is None:
        return state
    return replace(
        state,
        state=state.resume_state or PositionState.OPEN,
        pending=None,
        resume_state=None,
    )
