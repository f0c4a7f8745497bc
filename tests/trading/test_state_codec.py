"""The trading actors' snapshots survive JSON exactly: Decimals, datetimes, enums, nested
strategies, halts and frozensets come back equal (a restart rebuilds the same values)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

from actors.position_book import Holding, Working
from actors.state_codec import EncodingCache, decode, encode
from tests.trading.kit import START
from walltrack.domain.exits import PRESETS_BY_NAME, on_price, open_exit_state
from walltrack.domain.exits.state import ExitState
from walltrack.domain.orders import entry_order, exit_order
from walltrack.domain.params import default_params
from walltrack.domain.risk import RiskLedger, evaluate, new_ledger, record_trade
from walltrack.domain.sizing import EquityPeaks


def _roundtrip[T](cls: type[T], value: T) -> T:
    return decode(cls, json.loads(json.dumps(encode(value))))


def test_exit_state_with_a_pending_decision_roundtrips() -> None:
    state = open_exit_state(
        position_id=uuid.uuid4(),
        strategy=PRESETS_BY_NAME["balanced"],
        entry_price=Decimal("0.0000000447"),
        amount=4_442_482_804_674,
        opened_at=START,
    )
    state, (decision,) = on_price(state, Decimal("0.0000001"), START + timedelta(minutes=3))
    assert state.pending == decision
    assert _roundtrip(ExitState, state) == state


def test_holdings_and_orders_roundtrip() -> None:
    position_id = uuid.uuid4()
    holding = Holding(
        position_id=position_id,
        signal_id=None,
        correlation_id=uuid.uuid4(),
        wallet="w",
        token_mint="m",
        strategy=PRESETS_BY_NAME["diamond_hands"],
        score=0.93,
        cluster_id="c1",
        factors=(0.8, None, 0.5, 0.61),
        size_lamports=199_000_000,
        entry_price=Decimal("1.5E-8"),
        opened_at=START,
    )
    assert _roundtrip(Holding, holding) == holding
    params = default_params().orders
    state = open_exit_state(
        position_id=position_id,
        strategy=PRESETS_BY_NAME["balanced"],
        entry_price=Decimal(1),
        amount=1_000,
        opened_at=START,
    )
    _state, (decision,) = on_price(state, Decimal("0.4"), START)
    for work in (
        Working(
            order_id=uuid.uuid4(),
            ticket=entry_order(position_id, 10, params, START),
            token_mint="m",
            due_at=START,
        ),
        Working(
            order_id=uuid.uuid4(),
            ticket=exit_order(decision, params, START),
            token_mint="m",
            decision=decision,
            due_at=START,
            dispatched=True,
        ),
    ):
        assert _roundtrip(Working, work) == work


def test_risk_ledger_with_halts_and_alerts_roundtrips() -> None:
    params = default_params()
    ledger = new_ledger(10_000_000_000, START)
    for _ in range(5):
        ledger = record_trade(ledger, -100_000_000, START, keep=50, equity_lamports=None)
    ledger = evaluate(ledger, params, START + timedelta(hours=49)).ledger
    assert ledger.halts
    assert ledger.alerts
    assert _roundtrip(RiskLedger, ledger) == ledger


def test_equity_peaks_roundtrip() -> None:
    peaks = EquityPeaks().record(10 * 10**9, START, 30)
    peaks = peaks.record(9 * 10**9, START + timedelta(days=1), 30)
    assert _roundtrip(EquityPeaks, peaks) == peaks
    assert _roundtrip(EquityPeaks, peaks).peak(START + timedelta(days=1), 30) == 10 * 10**9


def test_the_encoding_cache_re_encodes_only_replaced_values() -> None:
    peaks = EquityPeaks().record(5 * 10**9, START, 1)
    first, second = peaks, peaks.record(6 * 10**9, START + timedelta(hours=1), 1)
    cache: EncodingCache[str] = EncodingCache()

    once = cache.encode_all({"a": first, "b": second})
    replaced = cache.encode_all({"a": first, "b": second.record(7 * 10**9, START, 1)})
    cache.encode_all({"b": second})  # "a" left the state
    returned = cache.encode_all({"a": first})

    assert once == [encode(first), encode(second)]
    assert replaced[0] is once[0]  # the same value: its encoded form is reused
    assert replaced[1] == encode(second.record(7 * 10**9, START, 1)) != once[1]
    assert returned == [encode(first)]
    assert returned[0] is not once[0]  # "a" was forgotten: encoded again
