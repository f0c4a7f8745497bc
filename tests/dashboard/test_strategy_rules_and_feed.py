"""The rule of a strategy change, the strategy edit preview, job schedules and stage
latencies in the live state (pure: no server)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from dashboard.live_state import LiveState
from dashboard.strategy_preview import preview_strategy
from walltrack.domain.exits import PRESETS_BY_NAME, apply_fill, change_strategy, on_price
from walltrack.domain.exits.state import open_exit_state
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.messages.jobs import JobScheduled
from walltrack.domain.messages.trading import OrderSubmitted
from walltrack.domain.orders import OrderPurpose
from walltrack.domain.params.exit_presets import BALANCED, ExitStrategy, TakeProfit
from walltrack.domain.params.parsing import to_json
from walltrack.domain.records.signals import TradeSide
from walltrack.domain.records.trading import ExitReason, PositionState

AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
D = Decimal


def _stamp(at: datetime = AT, correlation: uuid.UUID | None = None) -> dict[str, Any]:
    return {"correlation_id": correlation or uuid.uuid4(), "ts_event": at, "ts_init": at}


def _after_first_take_profit() -> Any:
    """A balanced position (TP 2x then 3x, 34 % moonbag) that sold its 2x level."""
    state = open_exit_state(
        position_id=uuid.uuid4(), strategy=BALANCED, entry_price=D(1), amount=1000, opened_at=AT
    )
    state, (decision,) = on_price(state, D("2.1"), AT)
    assert decision.reason is ExitReason.TAKE_PROFIT
    return apply_fill(state, decision.sell_amount)


def test_levels_at_or_below_the_executed_multiplier_count_as_done() -> None:
    state = _after_first_take_profit()
    ladder = ExitStrategy(
        name="ladder",
        take_profits=tuple(
            TakeProfit(multiplier=D(m), sell_fraction=D("0.5")) for m in ("1.5", "2", "2.5")
        ),
        moonbag_fraction=D("0.34"),
    )
    moved = change_strategy(state, ladder)
    assert moved.levels_hit == 2  # 1.5x and 2x: profit was taken at 2x already
    assert moved.moonbag_earned
    assert moved.state is PositionState.PARTIAL_EXIT
    _, decisions = on_price(moved, D("2.2"), AT)
    assert decisions == ()  # no level re-sold below 2.5x
    _, (decision,) = on_price(moved, D("2.6"), AT)
    assert decision.levels == (2,)


def test_a_strategy_without_moonbag_or_trailing_drops_them() -> None:
    state = _after_first_take_profit()
    assert state.trailing_stop_price is not None  # balanced trails from 2x
    plain = ExitStrategy(name="plain", take_profits=(), stop_loss=D("0.5"))
    moved = change_strategy(state, plain)
    assert (moved.moonbag_amount, moved.moonbag_earned, moved.trailing_stop_price) == (
        0,
        False,
        None,
    )
    assert moved.levels_hit == 0
    assert moved.remaining_amount == state.remaining_amount  # amounts never change


def test_the_preview_lists_changes_or_names_each_problem() -> None:
    strategies = dict(PRESETS_BY_NAME)
    edited = to_json(PRESETS_BY_NAME["quick_flip"]) | {"stop_loss": "0.25"}
    result = preview_strategy(json.dumps(edited), strategies)
    assert result.valid
    assert result.changes == (("stop_loss", "0.3", "0.25"),)
    assert "0.3" in result.describe()
    assert "0.25" in result.describe()

    bad = edited | {
        "take_profits": [
            {"multiplier": "3", "sell_fraction": "0.5"},
            {"multiplier": "2", "sell_fraction": "1"},
        ]
    }
    refused = preview_strategy(json.dumps(bad), strategies)
    assert not refused.valid
    assert refused.problems == (
        ("quick_flip.take_profits", "multipliers must be strictly increasing"),
    )
    for field, value, problem in (
        ("stop_loss", "1", "must be below 1"),
        ("moonbag_fraction", "1.5", "must be within [0, 1]"),
        ("trailing", {"activation_multiplier": "1", "distance": "0.3"}, "must be > 1"),
    ):
        outcome = preview_strategy(json.dumps(edited | {field: value}), strategies)
        assert not outcome.valid
        assert problem in outcome.describe(), outcome.describe()
    assert preview_strategy("{not json", strategies).problems[0][0] == "definition"
    unchanged = preview_strategy(json.dumps(to_json(BALANCED)), strategies)
    assert not unchanged.valid
    assert unchanged.describe() == "No change."


def test_the_status_line_of_a_job_shows_its_last_and_next_run() -> None:
    state = LiveState()
    next_run = AT + timedelta(minutes=15)
    scheduled = JobScheduled(**_stamp(), job="tokens", next_run_at=next_run, interval_s=900.0)
    assert state.apply(scheduled) is True
    assert state.job_lines() == {"tokens": "last run - · next run 12:15:00"}
    state.apply(
        IntelJobProgressed(**_stamp(), job="tokens", phase="done", done=2, total=2, finished=True)
    )
    assert state.job_lines()["tokens"] == "last run 12:00:00 · next run 12:15:00"


def test_signal_to_order_is_timed_by_the_swap_correlation_id() -> None:
    from dashboard.live_state import _remember  # noqa: PLC0415 - the fold's own helper

    state = LiveState()
    correlation = uuid.uuid4()
    _remember(state._scored_at, str(correlation), AT)
    order = OrderSubmitted(
        **_stamp(AT + timedelta(milliseconds=40), correlation),
        order_id=uuid.uuid4(),
        idempotency_key="k",
        position_id=uuid.uuid4(),
        side=TradeSide.BUY,
        purpose=OrderPurpose.ENTRY,
        attempt=1,
        amount_in=1,
        slippage_bps=100,
        priority_fee_lamports=0,
    )
    state.apply(order)
    assert list(state.latencies_ms["scored_to_order"]) == [40.0]
