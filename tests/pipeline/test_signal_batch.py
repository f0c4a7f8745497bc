"""The scorer's batch of signals waiting for their write: when it is due, what leaves it."""

from __future__ import annotations

import dataclasses
import threading
from typing import cast

import pytest

from actors.signal_batch import SignalBatch, SignalsWritten, StoreSignals
from tests.trading.kit import scored_signal
from walltrack.domain.messages.signals import SignalScored, WalletSignal
from walltrack.domain.records import SignalDecision, SignalRecord
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


class _Store:
    """The signal store, held by the test until it lets a write finish (or fail)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.fail = False
        self.written: list[SignalRecord] = []

    def insert_many(self, records: list[SignalRecord]) -> None:
        assert self.release.wait(30)
        if self.fail:
            raise ConnectionError("postgres went away")
        self.written += records


def _ignore(_message: SignalsWritten | StoreSignals) -> None:
    """The scorer's mailbox, when the test asks the batch itself."""


def test_signals_wait_for_company_then_a_reminder_until_their_age_is_up() -> None:
    clock, reminders = _Clock(), list[float]()
    batch = SignalBatch(
        _Store().insert_many, _ignore, arm=reminders.append, max_size=3, max_age_s=0.25, clock=clock
    )
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


def test_signals_leave_the_batch_only_once_their_write_is_confirmed() -> None:
    store, told = _Store(), list[SignalsWritten | StoreSignals]()
    batch = SignalBatch(store.insert_many, told.append, clock=_Clock())
    first, second = _skipped("A"), scored_signal("B")
    batch.add(NO_SIGNAL, first)
    assert batch.start_write()
    batch.add(NO_SIGNAL, second)  # scored while the write is under way
    assert not batch.start_write()  # one write at a time
    assert str(first.signal_id) in batch  # still a duplicate while in flight
    store.release.set()
    answer = batch.wait()
    assert answer is not None
    assert [scored for _s, scored in batch.written(answer)] == [first]
    assert [r.signal_id for r in store.written] == [first.signal_id]
    assert str(first.signal_id) not in batch
    assert [scored for _s, scored in batch.entries] == [second]
    batch.close()
    assert told == [answer]  # the writer thread told the scorer too (a stale answer now)
    assert batch.written(answer) == []


def test_a_failed_write_keeps_its_signals_in_flight_for_the_crash_to_requeue() -> None:
    store = _Store()
    store.fail = True
    store.release.set()
    batch = SignalBatch(store.insert_many, _ignore, clock=_Clock())
    signal = _skipped("A")
    batch.add(NO_SIGNAL, signal)
    batch.start_write()
    answer = batch.wait()
    assert answer is not None
    assert answer.failed is not None
    with pytest.raises(RuntimeError, match="storing 1 signals failed"):
        batch.written(answer)
    assert [scored for _s, scored in batch.in_flight] == [signal]
    batch.close()


def test_a_crashed_incarnations_late_answer_matches_nothing() -> None:
    store = _Store()
    store.release.set()
    crashed = SignalBatch(store.insert_many, _ignore, clock=_Clock())
    restarted = SignalBatch(store.insert_many, _ignore, clock=_Clock())
    for batch in (crashed, restarted):
        batch.add(NO_SIGNAL, _skipped("A"))
        batch.start_write()
    late = crashed.wait()
    assert late is not None
    assert restarted.written(late) == []  # its own write is still the one in flight
    assert len(restarted.in_flight) == 1
    crashed.close()
    restarted.close()


def test_a_traded_signal_is_held_out_of_the_writes_until_its_entry_had_time() -> None:
    store, clock, reminders = _Store(), _Clock(), list[float]()
    store.release.set()
    batch = SignalBatch(
        store.insert_many, _ignore, arm=reminders.append, max_age_s=0.25, hold_s=0.25, clock=clock
    )
    traded, skipped = scored_signal("A"), _skipped("B")
    batch.add(NO_SIGNAL, traded, hold=True)
    assert not batch.due()
    assert reminders == [pytest.approx(0.25)]  # the end of the hold, with nothing else
    batch.add(NO_SIGNAL, skipped)
    assert str(traded.signal_id) in batch  # a duplicate all the same
    assert [scored for _s, scored in batch.waiting] == [skipped, traded]  # a crash requeues
    assert batch.start_write()  # a full batch, say: the held one stays out
    answer = batch.wait()
    assert answer is not None
    assert [scored for _s, scored in batch.written(answer)] == [skipped]
    clock.now += 0.25
    batch.reminded()
    assert batch.due()  # released at the age it was added: written at once
    assert batch.start_write()
    answer = batch.wait()
    assert answer is not None
    assert [scored for _s, scored in batch.written(answer)] == [traded]
    assert [r.signal_id for r in store.written] == [skipped.signal_id, traded.signal_id]
    batch.close()


def test_a_held_signal_is_written_when_everything_must_be() -> None:
    store = _Store()
    store.release.set()
    batch = SignalBatch(store.insert_many, _ignore, clock=_Clock())
    traded = scored_signal("A")
    batch.add(NO_SIGNAL, traded, hold=True)
    assert not batch.start_write()
    assert batch.start_write(held_too=True)  # the scorer stops, or a Ping settles it
    answer = batch.wait()
    assert answer is not None
    assert [scored for _s, scored in batch.written(answer)] == [traded]
    assert batch.waiting == []
    batch.close()
