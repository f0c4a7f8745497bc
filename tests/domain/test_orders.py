"""Order state machine: deterministic keys, retries with backoff, escalation, emergency exit."""

from __future__ import annotations

import dataclasses
import itertools
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from walltrack.domain.exits import ExitDecision
from walltrack.domain.orders import (
    GiveUp,
    OrderPurpose,
    OrderTicket,
    Retry,
    cancelled,
    confirming,
    entry_order,
    exit_order,
    failed,
    filled,
    order_key,
    order_priority,
    submitted,
)
from walltrack.domain.params import default_params
from walltrack.domain.records.signals import TradeSide
from walltrack.domain.records.trading import ExitReason, OrderState
from walltrack.errors import IllegalTransitionError

PARAMS = default_params().orders
NOW = datetime(2025, 6, 1, tzinfo=UTC)
PID = UUID("12345678-1234-5678-1234-567812345678")


def _decision(reason: ExitReason = ExitReason.TAKE_PROFIT, sequence: int = 2) -> ExitDecision:
    return ExitDecision(
        position_id=PID,
        sequence=sequence,
        reason=reason,
        sell_amount=5_000,
        fraction_of_remaining=Decimal("0.5"),
        price=Decimal("0.0001"),
        closes_position=False,
        decided_at=NOW,
    )


def test_keys_are_deterministic_and_distinct_per_decision() -> None:
    first = exit_order(_decision(), PARAMS, NOW)
    after_restart = exit_order(_decision(), PARAMS, NOW + timedelta(hours=1))
    assert first.key == after_restart.key
    assert first.key == order_key(PID, OrderPurpose.TAKE_PROFIT, 2)
    others = {
        exit_order(_decision(sequence=3), PARAMS, NOW).key,
        exit_order(_decision(ExitReason.STOP_LOSS), PARAMS, NOW).key,
        entry_order(PID, 10**8, PARAMS, NOW).key,
        order_key(UUID(int=7), OrderPurpose.TAKE_PROFIT, 2),
    }
    assert first.key not in others
    assert len(others) == 4
    assert first.key.startswith("wt-")


def test_happy_path() -> None:
    ticket = entry_order(PID, 10**8, PARAMS, NOW)
    assert (ticket.state, ticket.side, ticket.slippage_bps) == (
        OrderState.PENDING,
        TradeSide.BUY,
        100,
    )
    ticket = filled(confirming(submitted(ticket, "sig")))
    assert (ticket.state, ticket.tx_signature) == (OrderState.FILLED, "sig")
    with pytest.raises(IllegalTransitionError, match=ticket.key):
        submitted(ticket)


def _fail_until_gave_up(ticket: OrderTicket) -> tuple[list[OrderTicket], GiveUp]:
    retries: list[OrderTicket] = []
    at = NOW
    while True:
        outcome = failed(submitted(ticket), "blockhash expired", PARAMS, at)
        if isinstance(outcome, GiveUp):
            return retries, outcome
        assert isinstance(outcome, Retry)
        ticket = outcome.ticket
        retries.append(ticket)
        assert ticket.not_before is not None
        at = ticket.not_before


def test_exit_retries_escalate_then_an_emergency_exit_goes_out() -> None:
    ticket = exit_order(_decision(), PARAMS, NOW)
    retries, gave_up = _fail_until_gave_up(ticket)
    assert [r.attempt for r in retries] == [1, 2, 3]
    assert [r.slippage_bps for r in retries] == [200, 300, 400]
    assert [r.priority_fee_lamports for r in retries] == [100_000, 200_000, 400_000]
    times = [NOW, *(r.not_before or NOW for r in retries)]
    delays = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert delays == [timedelta(seconds=s) for s in (5, 15, 45)]
    assert all(r.key == ticket.key and r.state is OrderState.PENDING for r in retries)
    assert len({r.attempt_key for r in retries}) == 3
    assert gave_up.ticket.state is OrderState.CANCELLED
    emergency = gave_up.emergency
    assert emergency is not None
    assert (emergency.purpose, emergency.slippage_bps, emergency.priority_fee_lamports) == (
        OrderPurpose.EMERGENCY,
        500,
        1_000_000,
    )
    assert emergency.amount_in == ticket.amount_in
    assert emergency.key == order_key(PID, OrderPurpose.EMERGENCY, 2)
    assert "emergency exit sent" in gave_up.alert


def test_slippage_escalation_stops_at_the_cap() -> None:
    params = dataclasses.replace(PARAMS, max_retries=6, retry_backoff_s=(1.0,) * 6)
    ticket = exit_order(_decision(), params, NOW)
    slippages = []
    for _ in range(6):
        outcome = failed(submitted(ticket), "slippage exceeded", params, NOW)
        assert isinstance(outcome, Retry)
        ticket = outcome.ticket
        slippages.append(ticket.slippage_bps)
    assert slippages == [200, 300, 400, 500, 500, 500]
    assert ticket.priority_fee_lamports == 1_000_000  # 50k x 2^6 capped


def test_entries_never_escalate_and_no_emergency_follows_them() -> None:
    retries, gave_up = _fail_until_gave_up(entry_order(PID, 10**8, PARAMS, NOW))
    assert {r.slippage_bps for r in retries} == {100}
    assert {r.priority_fee_lamports for r in retries} == {50_000}
    assert gave_up.emergency is None
    assert "entry failed 4 times" in gave_up.alert


def test_a_failed_emergency_exit_calls_for_the_operator() -> None:
    _, gave_up = _fail_until_gave_up(exit_order(_decision(ExitReason.STOP_LOSS), PARAMS, NOW))
    assert gave_up.emergency is not None
    _, final = _fail_until_gave_up(gave_up.emergency)
    assert final.emergency is None
    assert "needs the operator" in final.alert


def test_cancel_from_pending_and_from_submitted() -> None:
    assert cancelled(entry_order(PID, 1, PARAMS, NOW), "halted").state is OrderState.CANCELLED
    assert (
        cancelled(submitted(entry_order(PID, 1, PARAMS, NOW)), "timeout").state
        is OrderState.CANCELLED
    )


def test_priorities_follow_the_reference() -> None:
    expected = [
        OrderPurpose.EMERGENCY,
        OrderPurpose.STOP_LOSS,
        OrderPurpose.TRAILING_STOP,
        OrderPurpose.TAKE_PROFIT,
        OrderPurpose.MANUAL,
        OrderPurpose.TIME_LIMIT,
        OrderPurpose.ENTRY,
    ]
    assert [order_priority(p) for p in expected] == sorted(order_priority(p) for p in expected)
    assert len({order_priority(p) for p in expected}) == len(expected)
    rng = random.Random(3)
    # every reason a sale can have (entry_failed closes a void position: nothing to sell)
    sells = [reason for reason in ExitReason if reason is not ExitReason.ENTRY_FAILED]
    tickets = [entry_order(UUID(int=i), 10, PARAMS, NOW) for i in range(3)]
    tickets += [
        exit_order(_decision(rng.choice(sells), sequence=i), PARAMS, NOW + timedelta(seconds=i))
        for i in range(20)
    ]
    rng.shuffle(tickets)
    ordered = sorted(tickets, key=lambda t: t.priority)
    ranks = [order_priority(t.purpose) for t in ordered]
    assert ranks == sorted(ranks)
    assert ordered[-1].purpose is OrderPurpose.ENTRY


def test_zero_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="positive amount"):
        entry_order(PID, 0, PARAMS, NOW)
