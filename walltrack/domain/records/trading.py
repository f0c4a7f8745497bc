"""Positions, orders and fills, with the order and position state machines.

Amounts: SOL in lamports (int), tokens in raw units (int, any size), prices in SOL per
token as Decimal. The transitions live here so the store and the actors agree on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from walltrack.domain.records.signals import TradeSide
from walltrack.errors import IllegalTransitionError


class PositionState(StrEnum):
    """Life of a copied position."""

    PENDING = "pending"
    OPEN = "open"
    PARTIAL_EXIT = "partial_exit"
    MOONBAG = "moonbag"
    CLOSING = "closing"
    CLOSED = "closed"


class ExitReason(StrEnum):
    """Why (part of) a position was sold."""

    STOP_LOSS = "stop_loss"
    TAKE_PROFIT = "take_profit"
    TRAILING_STOP = "trailing_stop"
    TIME_LIMIT = "time_limit"
    STAGNATION = "stagnation"
    MIRROR = "mirror"
    MOONBAG_STOP = "moonbag_stop"
    MANUAL = "manual"
    EMERGENCY = "emergency"
    ENTRY_FAILED = "entry_failed"
    """Nothing was bought: every entry attempt failed (the position is void)."""


class OrderState(StrEnum):
    """pending -> submitted -> confirming -> filled; failed -> retry (pending) | cancelled."""

    PENDING = "pending"
    SUBMITTED = "submitted"
    CONFIRMING = "confirming"
    FILLED = "filled"
    FAILED = "failed"
    CANCELLED = "cancelled"


_P = PositionState
POSITION_TRANSITIONS: dict[PositionState, frozenset[PositionState]] = {
    _P.PENDING: frozenset({_P.OPEN, _P.CLOSED}),
    _P.OPEN: frozenset({_P.PARTIAL_EXIT, _P.MOONBAG, _P.CLOSING, _P.CLOSED}),
    _P.PARTIAL_EXIT: frozenset({_P.MOONBAG, _P.CLOSING, _P.CLOSED}),
    _P.MOONBAG: frozenset({_P.CLOSING, _P.CLOSED}),
    _P.CLOSING: frozenset({_P.OPEN, _P.PARTIAL_EXIT, _P.MOONBAG, _P.CLOSED}),
    _P.CLOSED: frozenset(),
}
"""A closing position whose exit failed falls back to the state it came from."""

_O = OrderState
ORDER_TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    _O.PENDING: frozenset({_O.SUBMITTED, _O.FAILED, _O.CANCELLED}),
    _O.SUBMITTED: frozenset({_O.CONFIRMING, _O.FILLED, _O.FAILED}),
    _O.CONFIRMING: frozenset({_O.FILLED, _O.FAILED}),
    _O.FAILED: frozenset({_O.PENDING, _O.CANCELLED}),
    _O.FILLED: frozenset(),
    _O.CANCELLED: frozenset(),
}
"""Terminal: filled, cancelled. A failed order is retried by going back to pending."""


def check_position_transition(
    position_id: UUID, current: PositionState, new: PositionState
) -> None:
    """Raise IllegalTransitionError unless `current -> new` is allowed (same state is fine)."""
    if new != current and new not in POSITION_TRANSITIONS[current]:
        raise IllegalTransitionError(f"position {position_id}", current.value, new.value)


def check_order_transition(order_id: UUID, current: OrderState, new: OrderState) -> None:
    """Raise IllegalTransitionError unless `current -> new` is an allowed order move."""
    if new not in ORDER_TRANSITIONS[current]:
        raise IllegalTransitionError(f"order {order_id}", current.value, new.value)


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionRecord:
    """A copied position; `remaining_amount` is what is still held, in raw token units."""

    position_id: UUID
    signal_id: UUID | None = None
    wallet_address: str
    token_mint: str
    token_decimals: int
    state: PositionState
    exit_strategy: str
    entry_price_sol: Decimal | None = None
    peak_price_sol: Decimal | None = None
    trailing_stop_price_sol: Decimal | None = None
    entry_lamports: int = 0
    token_amount: int = 0
    remaining_amount: int = 0
    proceeds_lamports: int = 0
    realized_pnl_lamports: int | None = None
    take_profits_hit: int = 0
    score: float | None = None
    cluster_id: str | None = None
    opened_at: datetime
    closed_at: datetime | None = None
    exit_reason: ExitReason | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRecord:
    """One swap order; `idempotency_key` guarantees a restart never sends it twice.

    `amount_in` is lamports for a buy and raw token units for a sell.
    """

    order_id: UUID
    idempotency_key: str
    position_id: UUID
    side: TradeSide
    purpose: str
    state: OrderState
    attempt: int = 0
    amount_in: int
    expected_out: int | None = None
    min_out: int | None = None
    slippage_bps: int
    priority_fee_lamports: int = 0
    venue: str
    tx_signature: str | None = None
    error: str | None = None
    quote: dict[str, Any] | None = None
    created_at: datetime
    submitted_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FillRecord:
    """What a confirmed order actually did on chain (or in the paper ledger)."""

    fill_id: int | None = None
    order_id: UUID
    tx_signature: str
    filled_at: datetime
    in_amount: int
    out_amount: int
    price_sol: Decimal
    fee_lamports: int = 0
    slippage_bps: int | None = None
    raw: dict[str, Any] | None = None
