"""The scorer's batch of signals waiting for their write: when it is due, what leaves it."""

from __future__ import annotations

import dataclasses
from typing import cast

import pytest

from actors.signal_batch import SignalBatch
from tests.trading.kit import scored_signal
from walltrack.domain.messages.signals import SignalScored, WalletSignal
from walltrack.domain.records import SignalDecision
from walltrack.domain.scoring.score import SkipReason

NO_SIGNAL = cast("WalletSignal", None)  # the batch keeps it for a crash; never reads it


def _skipped(mint: str) -> SignalScored:
    traded = scored_signal(mint)
    result = dataclasses.replace(
        traded.result, decision=SignalDecision.SKIP, skip_reason=SkipReason.BELOW_THRESHOLD
    )
    return dataclasses.replace(traded, result=result)


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_skipped_signals_wait_for_company_then_a_reminder_until_their_age_is_up() -> None:
    clock, reminders = _Clock(), list[float]()
    batch = SignalBatch(reminders.append, max_size=3, max_age_s=0.25, clock=clock)
    batch.add(NO_SIGNAL, _skipped("A"))
    clock.now += 0.1
    assert not batch.due()
    assert reminders == [pytest.approx(0.15)]  # the rest of the oldest's wait
    assert not batch.due()
    assert len(reminders) == 1  # one reminder at a time
    clock.now += 0.15
    batch.reminded()
    assert batch.due()
    batch.add(NO_SIGNAL, _skipped("B"))
    batch.add(NO_SIGNAL, _skipped("C"))
    assert batch.full


def test_signals_leave_the_batch_only_once_written() -> None:
    batch = SignalBatch(lambda _s: None, clock=_Clock())
    first, second = _skipped("A"), scored_signal("B")
    batch.add(NO_SIGNAL, first)
    ready = batch.ready()
    batch.add(NO_SIGNAL, second)  # scored while the write was under way
    # The write failed (a crash): nothing left the batch, so the crash requeues it all.
    assert [scored for _s, scored in batch.entries] == [first, second]
    batch.stored(ready)
    assert [scored for _s, scored in batch.entries] == [second]
    assert str(first.signal_id) not in batch
    assert str(second.signal_id) in batch
