"""The order state machine: idempotency keys, retries, escalation, priority, emergency exit.

pending -> submitted -> confirming -> filled; failed -> retry (back to pending) | cancelled.

Why the key is derived, not random: a restarted position actor recomputes the key of the
order it was about to send from the position and the decision (entry, or the nth exit and
its reason), finds it already stored, and never sends the same trade twice.

Retries: `max_retries` (3) after the first attempt, waiting 5 s / 15 s / 45 s. Exits retry
with escalating slippage (+100 bps per retry from 100 bps, capped at 500) and priority fee
(x2 per retry, capped). When the last retry of an exit fails, an emergency exit of the same
amount goes out at the cap, and the operator gets a loud alert. Order of execution when
several are waiting: emergency, stop loss, trailing, take-profit, manual, other exits,
entries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from walltrack.domain.exits.state import ExitDecision
from walltrack.domain.params.trading import OrderParams
from walltrack.domain.records.signals import TradeSide
from walltrack.domain.records.trading import ORDER_TRANSITIONS, ExitReason, OrderState
from walltrack.errors import IllegalTransitionError


class OrderPurpose(StrEnum):
    """Why the order exists; decides its priority and whether it escalates."""

    ENTRY = "entry"
    EMERGENCY = "emergency"
    STOP_LOSS = "stop_loss"
    MOONBAG_STOP = "moonbag_stop"
    TRAILING_STOP = "trailing_stop"
    TAKE_PROFIT = "take_profit"
    MANUAL = "manual"
    TIME_LIMIT = "time_limit"
    STAGNATION = "stagnation"
    MIRROR = "mirror"


_PRIORITY: dict[OrderPurpose, int] = {
    OrderPurpose.EMERGENCY: 0,
    OrderPurpose.STOP_LOSS: 1,
    OrderPurpose.MOONBAG_STOP: 1,
    OrderPurpose.TRAILING_STOP: 2,
    OrderPurpose.TAKE_PROFIT: 3,
    OrderPurpose.MANUAL: 4,
    OrderPurpose.TIME_LIMIT: 5,
    OrderPurpose.STAGNATION: 5,
    OrderPurpose.MIRROR: 5,
    OrderPurpose.ENTRY: 6,
}


def order_priority(purpose: OrderPurpose) -> int:
    """0 goes first: protecting capital before taking profit before opening positions."""
    return _PRIORITY[purpose]


def purpose_of(reason: ExitReason) -> OrderPurpose:
    """The order purpose of an exit decided for `reason` (the names are shared)."""
    return OrderPurpose(reason.value)


def order_key(position_id: UUID, purpose: OrderPurpose, sequence: int = 0) -> str:
    """The idempotency key of the order for `position_id`'s `sequence`th decision."""
    material = f"walltrack-order:{position_id}:{purpose.value}:{sequence}".encode()
    return "wt-" + hashlib.sha256(material).hexdigest()[:40]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderTicket:
    """One order and where it is in its life. `amount_in`: lamports (buy), raw units (sell)."""

    key: str
    position_id: UUID
    side: TradeSide
    purpose: OrderPurpose
    sequence: int
    amount_in: int
    state: OrderState = OrderState.PENDING
    attempt: int = 0  # 0 = first try, then 1..max_retries
    slippage_bps: int
    priority_fee_lamports: int
    created_at: datetime
    not_before: datetime | None = None  # a retry waits until then
    tx_signature: str | None = None
    error: str | None = None

    @property
    def attempt_key(self) -> str:
        """Key of this attempt's transaction: a resend of the same attempt is a duplicate."""
        return f"{self.key}:{self.attempt}"

    @property
    def priority(self) -> tuple[int, datetime, str]:
        """Sort key: purpose first, then the oldest, then the key for a stable order."""
        return order_priority(self.purpose), self.created_at, self.key

    @property
    def is_exit(self) -> bool:
        """Sells close (part of) a position."""
        return self.side is TradeSide.SELL


def slippage_for(purpose: OrderPurpose, attempt: int, params: OrderParams) -> int:
    """Exits widen their slippage with each retry up to the cap; entries never do."""
    if purpose is OrderPurpose.EMERGENCY:
        return params.max_slippage_bps
    if purpose is OrderPurpose.ENTRY:
        return params.slippage_bps
    return min(
        params.max_slippage_bps, params.slippage_bps + params.exit_slippage_step_bps * attempt
    )


def priority_fee_for(purpose: OrderPurpose, attempt: int, params: OrderParams) -> int:
    """Exits raise their priority fee with each retry up to the cap; entries never do."""
    if purpose is OrderPurpose.EMERGENCY:
        return params.max_priority_fee_lamports
    if purpose is OrderPurpose.ENTRY:
        return params.priority_fee_lamports
    grown = params.priority_fee_lamports * params.exit_priority_fee_growth**attempt
    return min(params.max_priority_fee_lamports, int(grown))


def _ticket(
    *,
    position_id: UUID,
    side: TradeSide,
    purpose: OrderPurpose,
    sequence: int,
    amount_in: int,
    params: OrderParams,
    now: datetime,
) -> OrderTicket:
    if amount_in <= 0:
        msg = f"an order needs a positive amount, got {amount_in}"
        raise ValueError(msg)
    return OrderTicket(
        key=order_key(position_id, purpose, sequence),
        position_id=position_id,
        side=side,
        purpose=purpose,
        sequence=sequence,
        amount_in=amount_in,
        slippage_bps=slippage_for(purpose, 0, params),
        priority_fee_lamports=priority_fee_for(purpose, 0, params),
        created_at=now,
    )


def entry_order(
    position_id: UUID, lamports: int, params: OrderParams, now: datetime
) -> OrderTicket:
    """The buy that opens a position."""
    return _ticket(
        position_id=position_id,
        side=TradeSide.BUY,
        purpose=OrderPurpose.ENTRY,
        sequence=0,
        amount_in=lamports,
        params=params,
        now=now,
    )


def exit_order(decision: ExitDecision, params: OrderParams, now: datetime) -> OrderTicket:
    """The sell carrying out an exit decision."""
    return _ticket(
        position_id=decision.position_id,
        side=TradeSide.SELL,
        purpose=purpose_of(decision.reason),
        sequence=decision.sequence,
        amount_in=decision.sell_amount,
        params=params,
        now=now,
    )


def _move(ticket: OrderTicket, new: OrderState, **changes: object) -> OrderTicket:
    if new not in ORDER_TRANSITIONS[ticket.state]:
        raise IllegalTransitionError(f"order {ticket.key}", ticket.state.value, new.value)
    return replace(ticket, state=new, **changes)  # type: ignore[arg-type]


def submitted(ticket: OrderTicket, tx_signature: str | None = None) -> OrderTicket:
    """The transaction was sent (or the paper fill started)."""
    return _move(ticket, OrderState.SUBMITTED, tx_signature=tx_signature, not_before=None)


def confirming(ticket: OrderTicket) -> OrderTicket:
    """The transaction landed and waits for confirmation."""
    return _move(ticket, OrderState.CONFIRMING)


def filled(ticket: OrderTicket) -> OrderTicket:
    """Confirmed: the swap happened."""
    return _move(ticket, OrderState.FILLED)


def cancelled(ticket: OrderTicket, reason: str) -> OrderTicket:
    """Given up before or after a failure (a pending order may be cancelled too)."""
    if OrderState.CANCELLED not in ORDER_TRANSITIONS[ticket.state]:
        ticket = _move(ticket, OrderState.FAILED, error=reason)
    return _move(ticket, OrderState.CANCELLED, error=reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class Retry:
    """Try again at `ticket.not_before` with `ticket`'s (escalated) terms."""

    ticket: OrderTicket


@dataclass(frozen=True, slots=True, kw_only=True)
class GiveUp:
    """No retry left: the order is cancelled; an exit becomes an emergency exit."""

    ticket: OrderTicket
    emergency: OrderTicket | None
    alert: str


type FailureOutcome = Retry | GiveUp


def failed(ticket: OrderTicket, error: str, params: OrderParams, now: datetime) -> FailureOutcome:
    """The attempt failed with `error`: retry after the backoff, or give up."""
    failed_ticket = _move(ticket, OrderState.FAILED, error=error)
    if ticket.attempt < params.max_retries:
        attempt = ticket.attempt + 1
        delay = params.retry_backoff_s[ticket.attempt]
        retry = _move(
            failed_ticket,
            OrderState.PENDING,
            attempt=attempt,
            slippage_bps=slippage_for(ticket.purpose, attempt, params),
            priority_fee_lamports=priority_fee_for(ticket.purpose, attempt, params),
            not_before=now + timedelta(seconds=delay),
            tx_signature=None,
        )
        return Retry(ticket=retry)
    gave_up = _move(failed_ticket, OrderState.CANCELLED)
    tries = ticket.attempt + 1
    if ticket.is_exit and ticket.purpose is not OrderPurpose.EMERGENCY:
        emergency = _ticket(
            position_id=ticket.position_id,
            side=TradeSide.SELL,
            purpose=OrderPurpose.EMERGENCY,
            sequence=ticket.sequence,
            amount_in=ticket.amount_in,
            params=params,
            now=now,
        )
        alert = f"{ticket.purpose.value} exit failed {tries} times ({error}); emergency exit sent"
        return GiveUp(ticket=gave_up, emergency=emergency, alert=alert)
    if ticket.purpose is OrderPurpose.EMERGENCY:
        alert = f"emergency exit failed {tries} times ({error}); position needs the operator"
    else:
        alert = f"entry failed {tries} times ({error}); position abandoned"
    return GiveUp(ticket=gave_up, emergency=None, alert=alert)
