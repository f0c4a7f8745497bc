"""The settling half of the position actor: what a filled order does to its position.

Why separate: a fill moves money and state in several places at once — the orders and
fills tables, the position row, the events the exit watcher and the circuit breaker
learn from, and the feedback to the source wallet's actor — and reads best on its own.
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from dataclasses import replace
from decimal import Decimal

from actors.names import wallet_actor
from actors.position_book import Holding, Working, price_of
from actors.runtime.base import SupervisedActor
from actors.runtime.registry import UnknownActorError
from actors.trading_deps import TradingDeps
from walltrack.domain.exits.state import floor_amount
from walltrack.domain.messages.trading import (
    OrderFilled,
    PositionClosed,
    PositionReduced,
)
from walltrack.domain.messages.wallets import TradeClosedFeedback
from walltrack.domain.orders import OrderPurpose, filled
from walltrack.domain.records import OrderState
from walltrack.domain.records.trading import ExitReason, FillRecord, PositionState
from walltrack.execution_ports import SwapFill
from walltrack.logging import get_logger

_log = get_logger("positions")


class PositionSettlement(SupervisedActor):
    """Fills applied to positions; subclasses own `holdings` and `working`."""

    deps: TradingDeps
    holdings: dict[uuid.UUID, Holding]
    working: dict[str, Working]

    @abstractmethod
    def _transition(self, work: Working, state: OrderState, **changes: object) -> None:
        """Move an order to `state` and persist it (the position actor owns the orders)."""

    def _filled(self, work: Working, fill: SwapFill) -> None:
        now = self.context.clock.now()
        ticket = filled(work.ticket)
        del self.working[ticket.key]
        holding = self.holdings[ticket.position_id]
        is_entry = ticket.purpose is OrderPurpose.ENTRY
        tokens, lamports = (
            (fill.out_amount, fill.in_amount) if is_entry else (fill.in_amount, fill.out_amount)
        )
        price = price_of(lamports, tokens, fill.token_decimals) if tokens else holding.entry_price
        record = FillRecord(
            order_id=work.order_id,
            tx_signature=fill.tx_signature,
            filled_at=now,
            in_amount=fill.in_amount,
            out_amount=fill.out_amount,
            price_sol=price or Decimal(0),
            fee_lamports=fill.fee_lamports,
        )
        opened = (
            replace(
                holding,
                state=PositionState.OPEN,
                token_decimals=fill.token_decimals,
                token_amount=fill.out_amount,
                remaining_amount=fill.out_amount,
                entry_lamports=fill.in_amount + fill.fee_lamports,
                entry_price=price,
            )
            if is_entry
            else None
        )
        if opened is None:
            self._transition(work, OrderState.FILLED, tx_signature=fill.tx_signature)
            self.deps.records.record_fill(record)
        elif not self.deps.records.settle_entry_fill(record, opened.to_record(), now):
            _log.warning("order_row_already_moved", key=ticket.key, state="filled")
        self.publish(
            OrderFilled(
                correlation_id=holding.correlation_id,
                ts_event=now,
                ts_init=now,
                order_id=work.order_id,
                idempotency_key=ticket.key,
                position_id=ticket.position_id,
                side=ticket.side,
                purpose=ticket.purpose,
                tx_signature=fill.tx_signature,
                in_amount=fill.in_amount,
                out_amount=fill.out_amount,
                price=price or Decimal(0),
                fee_lamports=fill.fee_lamports,
            )
        )
        if opened is not None:
            self._keep(opened)  # its row was written with the fill
            self.publish(opened.opened_event(now))
        else:
            self._sold(holding, work, fill)

    def _sold(self, holding: Holding, work: Working, fill: SwapFill) -> None:
        now = self.context.clock.now()
        sold = min(fill.in_amount, holding.remaining_amount)
        remaining = holding.remaining_amount - sold
        proceeds = fill.out_amount - fill.fee_lamports
        reason = ExitReason(work.ticket.purpose.value)
        moonbag = floor_amount(holding.token_amount * holding.strategy.moonbag_fraction)
        ladder_done = reason in (ExitReason.TAKE_PROFIT, ExitReason.TRAILING_STOP)
        if remaining == 0:
            state = PositionState.CLOSED
        elif holding.state is PositionState.MOONBAG or (ladder_done and remaining <= moonbag):
            state = PositionState.MOONBAG
        else:
            state = PositionState.PARTIAL_EXIT
        holding = replace(
            holding,
            state=state,
            remaining_amount=remaining,
            proceeds_lamports=holding.proceeds_lamports + proceeds,
            closed_at=now if remaining == 0 else None,
            exit_reason=reason if remaining == 0 else holding.exit_reason,
        )
        self._store(holding)
        if remaining:
            self.publish(
                PositionReduced(
                    correlation_id=holding.correlation_id,
                    ts_event=now,
                    ts_init=now,
                    position_id=holding.position_id,
                    token_mint=holding.token_mint,
                    reason=reason,
                    sold_amount=sold,
                    proceeds_lamports=proceeds,
                    remaining_amount=remaining,
                    state=state,
                )
            )
            return
        closed = PositionClosed(
            correlation_id=holding.correlation_id,
            ts_event=now,
            ts_init=now,
            position_id=holding.position_id,
            signal_id=holding.signal_id,
            wallet=holding.wallet,
            token_mint=holding.token_mint,
            cluster_id=holding.cluster_id,
            entry_lamports=holding.entry_lamports,
            proceeds_lamports=holding.proceeds_lamports,
            exit_reason=reason,
            opened_at=holding.opened_at,
            closed_at=now,
        )
        self.publish(closed)
        self._feedback(holding, closed)

    def _feedback(self, holding: Holding, closed: PositionClosed) -> None:
        wallet, cluster, token, context = holding.factors
        feedback = TradeClosedFeedback(
            correlation_id=holding.correlation_id,
            ts_event=closed.closed_at,
            ts_init=closed.closed_at,
            wallet=holding.wallet,
            position_id=holding.position_id,
            signal_id=holding.signal_id,
            cost_lamports=holding.entry_lamports,
            pnl_lamports=closed.realized_pnl_lamports,
            wallet_factor=wallet,
            cluster_factor=cluster,
            token_factor=token,
            context_factor=context,
        )
        try:
            self.tell(wallet_actor(holding.wallet), feedback)
        except UnknownActorError:
            _log.warning("feedback_wallet_not_tracked", wallet=holding.wallet)
        self.publish(feedback)

    def _store(self, holding: Holding) -> None:
        """Write the row; a closed position leaves memory (its row stays the record)."""
        self.deps.records.save_position(holding.to_record())
        self._keep(holding)

    def _keep(self, holding: Holding) -> None:
        """Hold `holding` in memory (its row is written); a closed one leaves."""
        if holding.is_open:
            self.holdings[holding.position_id] = holding
        else:
            self.holdings.pop(holding.position_id, None)
        self.mark_dirty()
