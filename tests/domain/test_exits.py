"""Exit strategies: the presets' ladders over price paths, check order, states, properties."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from walltrack.domain.exits import (
    PRESETS_BY_NAME,
    ExitDecision,
    ExitState,
    apply_failure,
    apply_fill,
    assign_strategy,
    close_now,
    on_price,
    on_source_sold,
    open_exit_state,
)
from walltrack.domain.params import default_params
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records.trading import ExitReason, PositionState
from walltrack.errors import ConfigurationError, InvalidInputError

ENTRY = Decimal("0.00001")
AMOUNT = 1_000_000_000
T0 = datetime(2025, 5, 1, tzinfo=UTC)
PID = UUID(int=1)


def _open(name: str, strategy: ExitStrategy | None = None) -> ExitState:
    return open_exit_state(
        position_id=PID,
        strategy=strategy or PRESETS_BY_NAME[name],
        entry_price=ENTRY,
        amount=AMOUNT,
        opened_at=T0,
    )


def _x(multiple: str) -> Decimal:
    return ENTRY * Decimal(multiple)


class Runner:
    """Feeds prices minute by minute and fills every decision at once."""

    def __init__(self, state: ExitState) -> None:
        self.state = state
        self.at = T0
        self.decisions: list[ExitDecision] = []

    def price(self, multiple: str, minutes: float = 1) -> ExitDecision | None:
        self.at += timedelta(minutes=minutes)
        self.state, decisions = on_price(self.state, _x(multiple), self.at)
        assert len(decisions) <= 1
        if not decisions:
            return None
        self.decisions.append(decisions[0])
        self.state = apply_fill(self.state, decisions[0].sell_amount)
        return decisions[0]


def test_balanced_ladder_over_a_price_path() -> None:
    run = Runner(_open("balanced"))
    assert run.state.moonbag_amount == 340_000_000
    assert run.price("1.5") is None
    first = run.price("2")  # trailing activates at 2x (stop 1.4x), then take-profit 1
    assert first is not None
    assert (first.reason, first.sell_amount, first.levels) == (
        ExitReason.TAKE_PROFIT,
        217_800_000,
        (0,),
    )
    assert run.state.trailing_stop_price == _x("1.4")
    assert (run.state.state, run.state.remaining_amount) == (
        PositionState.PARTIAL_EXIT,
        782_200_000,
    )
    assert run.price("2.5") is None
    assert run.state.trailing_stop_price == _x("1.75")
    second = run.price("3")  # 50 % of the ladder left: (782.2M - 340M) / 2
    assert second is not None
    assert (second.reason, second.sell_amount, second.levels) == (
        ExitReason.TAKE_PROFIT,
        221_100_000,
        (1,),
    )
    assert run.price("3.5") is None
    assert run.state.trailing_stop_price == _x("2.45")
    trailing = run.price("2.4")
    assert trailing is not None
    assert (trailing.reason, trailing.sell_amount) == (ExitReason.TRAILING_STOP, 221_100_000)
    assert (run.state.state, run.state.remaining_amount) == (PositionState.MOONBAG, 340_000_000)
    assert run.price("0.71") is None  # the moonbag's own stop is 30 % below entry
    last = run.price("0.7")
    assert last is not None
    assert (last.reason, last.sell_amount, last.closes_position) == (
        ExitReason.MOONBAG_STOP,
        340_000_000,
        True,
    )
    assert run.state.state is PositionState.CLOSED
    assert sum(d.sell_amount for d in run.decisions) == AMOUNT
    assert [d.sequence for d in run.decisions] == [0, 1, 2, 3]


def test_stop_loss_fires_at_its_level_and_sells_all_before_a_moonbag_is_earned() -> None:
    run = Runner(_open("balanced"))
    assert run.price("0.5000001") is None
    stop = run.price("0.5")
    assert stop is not None
    assert (stop.reason, stop.sell_amount, stop.closes_position) == (
        ExitReason.STOP_LOSS,
        AMOUNT,
        True,
    )


def test_a_jump_over_two_levels_sells_both_in_one_order() -> None:
    run = Runner(_open("balanced"))
    both = run.price("3.2")
    assert both is not None
    assert both.levels == (0, 1)
    assert both.sell_amount == 217_800_000 + 221_100_000
    assert run.state.levels_hit == 2


def test_conservative_sells_out_at_three_x() -> None:
    run = Runner(_open("conservative"))
    half = run.price("2")
    full = run.price("3")
    assert half is not None
    assert full is not None
    assert (half.sell_amount, full.sell_amount, full.closes_position) == (
        500_000_000,
        500_000_000,
        True,
    )
    assert run.state.state is PositionState.CLOSED


def test_moonbag_aggressive_rides_to_zero() -> None:
    run = Runner(_open("moonbag_aggressive"))
    run.price("2")
    run.price("3")
    assert [d.sell_amount for d in run.decisions] == [250_000_000, 250_000_000]
    assert run.state.state is PositionState.MOONBAG
    for multiple in ("0.4", "0.01", "0.0001"):
        assert run.price(multiple, minutes=60 * 24 * 30) is None
    assert run.state.remaining_amount == 500_000_000


def test_diamond_hands_trailing_before_any_take_profit_keeps_the_moonbag() -> None:
    run = Runner(_open("diamond_hands"))
    assert run.price("3.5") is None  # trailing active from 3x: stop 40 % under the peak
    assert run.state.trailing_stop_price == _x("2.1")
    fired = run.price("2.1")
    assert fired is not None
    assert (fired.reason, fired.sell_amount) == (ExitReason.TRAILING_STOP, 500_000_000)
    assert run.state.state is PositionState.MOONBAG
    assert run.price("0.81") is None
    moonbag = run.price("0.8")
    assert moonbag is not None
    assert moonbag.reason is ExitReason.MOONBAG_STOP


def test_quick_flip_stagnation_and_a_move_that_resets_it() -> None:
    run = Runner(_open("quick_flip"))
    assert run.price("1.04", minutes=300) is None  # a 4 % move is not a move
    assert run.price("1.06", minutes=50) is None  # 6 %: the six-hour window restarts
    assert run.state.anchor_at == T0 + timedelta(minutes=350)
    assert run.price("1.07", minutes=359) is None
    flat = run.price("1.08", minutes=1)
    assert flat is not None
    assert (flat.reason, flat.sell_amount) == (ExitReason.STAGNATION, AMOUNT)


def test_max_hold_time() -> None:
    run = Runner(_open("conservative"))
    assert run.price("1.2", minutes=72 * 60 - 1) is None
    timed = run.price("1.2", minutes=1)
    assert timed is not None
    assert timed.reason is ExitReason.TIME_LIMIT


def test_after_the_moonbag_is_earned_ordinary_exits_keep_it() -> None:
    run = Runner(_open("balanced"))
    run.price("2")
    assert run.state.moonbag_earned
    timed = run.price("1.5", minutes=168 * 60)
    assert timed is not None
    assert (timed.reason, timed.sell_amount) == (ExitReason.TIME_LIMIT, 782_200_000 - 340_000_000)
    assert run.state.state is PositionState.MOONBAG


def test_stop_loss_has_priority_over_the_time_rule() -> None:
    run = Runner(_open("conservative"))
    both = run.price("0.4", minutes=100 * 60)
    assert both is not None
    assert both.reason is ExitReason.STOP_LOSS


def test_no_decision_while_closing_and_a_failure_is_redecided() -> None:
    state = _open("balanced")
    state, first = on_price(state, _x("0.5"), T0)
    assert state.state is PositionState.CLOSING
    assert first
    state, again = on_price(state, _x("0.4"), T0 + timedelta(seconds=5))
    assert again == ()
    state = apply_failure(state)
    assert state.state is PositionState.OPEN
    state, retry = on_price(state, _x("0.4"), T0 + timedelta(seconds=10))
    assert retry
    assert retry[0].reason is ExitReason.STOP_LOSS
    assert retry[0].sequence == 1


def test_partial_fill_leaves_the_rest_to_the_next_update() -> None:
    state = _open("balanced")
    state, decisions = on_price(state, _x("0.5"), T0)
    state = apply_fill(state, decisions[0].sell_amount // 2)
    assert (state.state, state.remaining_amount) == (PositionState.PARTIAL_EXIT, AMOUNT // 2)
    state, rest = on_price(state, _x("0.45"), T0 + timedelta(seconds=3))
    assert rest[0].sell_amount == AMOUNT // 2


def test_mirror_exit_sells_the_source_wallets_share() -> None:
    mirrored = dataclasses.replace(PRESETS_BY_NAME["conservative"], mirror_exit=True)
    state = _open("", mirrored)
    state, decisions = on_source_sold(state, Decimal("0.4"), _x("1.1"), T0)
    assert (decisions[0].reason, decisions[0].sell_amount) == (ExitReason.MIRROR, 400_000_000)
    state = apply_fill(state, 400_000_000)
    state, decisions = on_source_sold(state, Decimal(1), _x("1.1"), T0)
    assert decisions[0].sell_amount == 600_000_000
    assert decisions[0].closes_position
    assert on_source_sold(_open("conservative"), Decimal("0.5"), _x("1"), T0)[1] == ()


def test_manual_close_overrides_a_pending_exit() -> None:
    state = _open("balanced")
    state, _ = on_price(state, _x("2"), T0)
    state, decisions = close_now(state, ExitReason.MANUAL, _x("2"), T0)
    assert (decisions[0].reason, decisions[0].sell_amount) == (ExitReason.MANUAL, AMOUNT)


def test_strategy_assignment_by_score_and_override() -> None:
    params = default_params().exits
    assert assign_strategy(0.90, params).name == "diamond_hands"
    assert assign_strategy(0.8999, params).name == "moonbag_aggressive"
    assert assign_strategy(0.80, params).name == "moonbag_aggressive"
    assert assign_strategy(0.79, params).name == "balanced"
    assert assign_strategy(0.95, params, override="quick_flip").name == "quick_flip"
    with pytest.raises(InvalidInputError):
        assign_strategy(0.5, params, override="yolo")
    with pytest.raises(ConfigurationError):
        assign_strategy(0.5, dataclasses.replace(params, default_strategy="gone"))


@pytest.mark.parametrize("name", sorted(PRESETS_BY_NAME))
def test_property_random_paths_never_oversell_and_trailing_only_rises(name: str) -> None:
    rng = random.Random(f"exits-{name}")
    for _ in range(60):
        mirrored = dataclasses.replace(PRESETS_BY_NAME[name], mirror_exit=rng.random() < 0.5)
        state = open_exit_state(
            position_id=PID,
            strategy=mirrored,
            entry_price=ENTRY,
            amount=rng.randint(1, 10**12),
            opened_at=T0,
        )
        price, at, sold = ENTRY, T0, 0
        for _ in range(300):
            price = max(Decimal("1e-12"), price * Decimal(str(round(rng.uniform(0.8, 1.25), 4))))
            at += timedelta(minutes=rng.choice([1, 10, 60]))
            before_stop = state.trailing_stop_price
            if rng.random() < 0.05:
                state, decisions = on_source_sold(
                    state, Decimal(str(round(rng.random(), 3))), price, at
                )
            else:
                state, decisions = on_price(state, price, at)
            if before_stop is not None:
                assert state.trailing_stop_price is not None
                assert state.trailing_stop_price >= before_stop
            for decision in decisions:
                assert 0 < decision.sell_amount <= state.remaining_amount
                roll = rng.random()
                if roll < 0.1:
                    state = apply_failure(state)
                else:
                    filled = (
                        decision.sell_amount if roll < 0.9 else rng.randint(0, decision.sell_amount)
                    )
                    state = apply_fill(state, filled)
                    sold += filled
            assert 0 <= state.remaining_amount == state.initial_amount - sold
            if state.state is PositionState.MOONBAG:
                assert state.remaining_amount <= state.moonbag_amount
            if state.state is PositionState.CLOSED:
                break
