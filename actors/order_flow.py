"""The order half of the position actor: store, dispatch, settle, retry, escalate.

Why a worker: an attempt (quote, swap, sign, send, confirm) takes seconds; it runs in the
injected single-thread worker and comes back as `AttemptFinished`, so the mailbox never
waits on a venue. Each attempt is dispatched through `perform_once(attempt_key)`: its
journal entry and the snapshot are durable before the worker may send anything (an entry
sent in the message that decided it is journaled in its own statement instead).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from actors.names import EXIT_WATCHER
from actors.order_attempts import attempt_job
from actors.position_book import Holding, Working
from actors.position_settlement import PositionSettlement
from actors.runtime.registry import Registry
from actors.state_codec import encode
from actors.trading_deps import TradingDeps
from actors.trading_protocol import AttemptFinished
from walltrack.domain.exits.state import ExitDecision
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.trading import (
    EntrySkipped,
    ExitAbandoned,
    OrderFailed,
    OrderSubmitted,
)
from walltrack.domain.orders import GiveUp, OrderPurpose, OrderTicket, failed, submitted
from walltrack.domain.params import RuntimeParams
from walltrack.domain.records import AlertSeverity, OrderState, PositionRecord, SignalRecord
from walltrack.domain.records.operations import AlertRecord
from walltrack.domain.records.trading import ExitReason, PositionState
from walltrack.errors import IllegalTransitionError
from walltrack.execution_ports import EntryJournal
from walltrack.logging import get_logger

_log = get_logger("positions")
_ORDER_IDS = uuid.UUID("0e6f5d8a-2b1c-4f7e-8a9d-3c4b5a6f7e80")


class OrderFlow(PositionSettlement):
    """Orders of the position actor; subclasses own `holdings` and `working`."""

    deps: TradingDeps
    params: RuntimeParams
    holdings: dict[uuid.UUID, Holding]
    working: dict[str, Working]
    balance: int | None

    def new_order(self, ticket: OrderTicket, mint: str, decision: ExitDecision | None) -> Working:
        """A new order's working state (its id derives from its key); not stored yet."""
        return Working(
            order_id=uuid.uuid5(_ORDER_IDS, ticket.key),
            ticket=ticket,
            token_mint=mint,
            decision=decision,
            due_at=self.context.clock.now() + timedelta(seconds=self.deps.execution.latency_s),
        )

    def add_order(self, ticket: OrderTicket, mint: str, decision: ExitDecision | None) -> None:
        """Store a new order (once per key) and schedule its first attempt."""
        if ticket.key in self.working:
            return
        work = self.new_order(ticket, mint, decision)
        if not self.deps.records.insert_order(work.to_record(self.deps.execution.mode)):
            self._adopt(work)
            return
        self.order_stored(work)

    def order_stored(self, work: Working) -> None:
        """`work`'s row is written: schedule its first attempt."""
        self.working[work.ticket.key] = work
        self.mark_dirty()

    def _adopt(self, work: Working) -> None:
        """The key is stored already (a crash after the insert): take the stored order
        over as it is — unsent, or sent and to be settled — never send a second one."""
        row = self.deps.records.order(work.ticket.key)
        if row is None or row.state in (OrderState.FILLED, OrderState.CANCELLED):
            _log.warning("order_exists_not_resent", key=work.ticket.key)
            return
        sent = row.state in (OrderState.SUBMITTED, OrderState.CONFIRMING)
        ticket = replace(work.ticket, state=row.state, attempt=row.attempt, amount_in=row.amount_in)
        if row.state is OrderState.FAILED:  # it failed and was not rescheduled: retry it
            self._transition(work, OrderState.PENDING)
            ticket = replace(ticket, state=OrderState.PENDING, attempt=row.attempt + 1)
        work = replace(work, order_id=row.order_id, ticket=ticket, dispatched=sent)
        self.working[ticket.key] = work
        self.mark_dirty()
        if sent:
            self.recover_attempt(work)

    def run_due(self) -> None:
        """Dispatch every attempt whose time came, most urgent first."""
        now = self.context.clock.now()
        due = [w for w in self.working.values() if not w.dispatched and w.due_at <= now]
        for work in sorted(due, key=lambda w: w.ticket.priority):
            self._dispatch(work)

    def new_entry(self, ticket: OrderTicket, mint: str) -> Working:
        """An entry's working state; with no modelled venue delay (live) it is submitted
        in the message that decides it, its row stored as submitted with its position."""
        work = self.new_order(ticket, mint, None)
        if self.deps.execution.latency_s > 0:
            return work
        return replace(work, ticket=submitted(ticket), dispatched=True)

    def open_entry(
        self, holding: Holding, work: Working, signal: SignalRecord | None
    ) -> PositionRecord | None:
        """Store an entry: its signal, position and order in one statement. An order sent
        at once (no modelled venue delay) has its attempt journaled in that statement too
        (the position and the order, not the whole snapshot: see position_restart.py), then
        is sent: one durable round trip before the venue. None when stored; else the row
        the position already had, and nothing was written or changed."""
        self.holdings[holding.position_id] = holding
        self.working[work.ticket.key] = work
        key = work.ticket.attempt_key
        journal = None
        if work.dispatched:
            entry = {"holding": encode(holding), "working": encode(work)}
            journal = EntryJournal(position_id=holding.position_id, attempt_key=key, entry=entry)
            self.remember_effect(key)
        record = work.to_record(self.deps.execution.mode)
        stored = self.deps.records.open_position(holding.to_record(), signal, record, journal)
        if stored is not None:
            del self.holdings[holding.position_id], self.working[work.ticket.key]
            if journal is not None:
                self.forget_effect(key)
            return stored
        self.mark_dirty()
        if journal is not None:
            self._launcher(work)()
        return None

    def _dispatch(self, work: Working) -> None:
        work = replace(work, ticket=submitted(work.ticket), dispatched=True)
        self.working[work.ticket.key] = work
        self._transition(work, OrderState.SUBMITTED)
        # Journal the attempt (durable), then announce it and hand it to the worker.
        self.perform_once(work.ticket.attempt_key, self._launcher(work))

    def _launcher(self, work: Working) -> Callable[[], None]:
        """What sends `work`'s attempt: announce it, then hand it to the worker."""
        now = self.context.clock.now()
        ticket = work.ticket
        holding = self.holdings.get(ticket.position_id)
        event = OrderSubmitted(
            # the swap's correlation id: the dashboard times signal -> order by it
            correlation_id=holding.correlation_id if holding else random_uuid(),
            ts_event=now,
            ts_init=now,
            order_id=work.order_id,
            idempotency_key=ticket.key,
            position_id=ticket.position_id,
            side=ticket.side,
            purpose=ticket.purpose,
            attempt=ticket.attempt,
            amount_in=ticket.amount_in,
            slippage_bps=ticket.slippage_bps,
            priority_fee_lamports=ticket.priority_fee_lamports,
        )
        job = attempt_job(work, self.deps, self.reply_to(), self.context.clock, recover=False)

        def send() -> None:
            self.publish(event)
            self.deps.worker.submit(job)

        return send

    def recover_attempt(self, work: Working) -> None:
        """After a restart: settle an attempt that may have run, never run it again."""
        clock = self.context.clock
        self.deps.worker.submit(attempt_job(work, self.deps, self.reply_to(), clock, recover=True))

    def reply_to(self) -> tuple[Registry, str]:
        return self.context.registry, self.name

    def _transition(self, work: Working, state: OrderState, **changes: Any) -> None:
        try:
            self.deps.records.transition_order(
                work.order_id, state, self.context.clock.now(), **changes
            )
        except IllegalTransitionError as error:  # the row moved before a crash: keep going
            _log.warning("order_row_already_moved", key=work.ticket.key, error=str(error))

    # ----- results ----------------------------------------------------------------------
    def attempt_finished(self, result: AttemptFinished) -> None:
        """A worker's answer: settle the fill, or retry / give up on the failure."""
        if result.balance_lamports is not None:
            self.balance = result.balance_lamports
        work = self.working.get(result.key)
        if work is None or not work.dispatched or work.ticket.attempt != result.attempt:
            return  # a late duplicate of an attempt already settled
        if result.fill is not None:
            self._filled(work, result.fill)
        else:
            self._failed(work, result.error or "unknown failure")
        self.mark_dirty()

    def _failed(self, work: Working, error: str) -> None:
        now = self.context.clock.now()
        outcome = failed(work.ticket, error, self.params.orders, now)
        self._transition(work, OrderState.FAILED, error=error[:500])
        ticket = outcome.ticket
        retry_at = None if isinstance(outcome, GiveUp) else ticket.not_before
        emergency = outcome.emergency if isinstance(outcome, GiveUp) else None
        self.publish(
            OrderFailed(
                correlation_id=random_uuid(),
                ts_event=now,
                ts_init=now,
                order_id=work.order_id,
                idempotency_key=ticket.key,
                position_id=ticket.position_id,
                purpose=ticket.purpose,
                attempt=work.ticket.attempt,
                error=error[:500],
                retry_at=retry_at,
                emergency_follows=emergency is not None,
            )
        )
        if not isinstance(outcome, GiveUp):
            self._transition(work, OrderState.PENDING)
            due = ticket.not_before or now
            self.working[ticket.key] = replace(work, ticket=ticket, due_at=due, dispatched=False)
            return
        del self.working[ticket.key]
        self._transition(work, OrderState.CANCELLED, error=error[:500])
        self._alert(work, outcome.alert)
        holding = self.holdings[ticket.position_id]
        if emergency is not None:
            self.add_order(emergency, work.token_mint, work.decision)
        elif ticket.purpose is OrderPurpose.ENTRY:
            void = replace(
                holding,
                state=PositionState.CLOSED,
                closed_at=now,
                exit_reason=ExitReason.ENTRY_FAILED,
            )
            self._store(void)
            self.publish(
                EntrySkipped(
                    correlation_id=holding.correlation_id,
                    ts_event=now,
                    ts_init=now,
                    signal_id=holding.signal_id,
                    wallet=holding.wallet,
                    token_mint=holding.token_mint,
                    reason=outcome.alert,
                )
            )
        elif work.decision is not None:
            self.tell(
                EXIT_WATCHER,
                ExitAbandoned(
                    correlation_id=holding.correlation_id,
                    ts_event=now,
                    ts_init=now,
                    position_id=holding.position_id,
                    sequence=work.decision.sequence,
                    reason=outcome.alert,
                ),
            )

    def _alert(self, work: Working, message: str) -> None:
        exit_order = work.ticket.is_exit
        log = _log.critical if exit_order else _log.error
        log("order_given_up", key=work.ticket.key, alert=message)
        self.deps.records.raise_alert(
            AlertRecord(
                raised_at=self.context.clock.now(),
                severity=AlertSeverity.CRITICAL if exit_order else AlertSeverity.WARNING,
                source=self.name,
                code=f"{work.ticket.purpose.value}_order_failed",
                message=message,
                details={"position_id": str(work.ticket.position_id), "key": work.ticket.key},
            )
        )
