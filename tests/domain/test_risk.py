"""Risk rules and the circuit breaker: each threshold at its edge, trips once, lifts, resets."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest

from walltrack.domain.params import RuntimeParams, default_params
from walltrack.domain.records.operations import BreakerAction
from walltrack.domain.risk import (
    RULES,
    Finding,
    FindingKind,
    RiskLedger,
    enabled_rules,
    evaluate,
    new_ledger,
    record_equity,
    record_open_positions,
    record_signal,
    record_trade,
    reset,
)

SOL = 1_000_000_000
T0 = datetime(2025, 7, 1, 9, tzinfo=UTC)
PARAMS = default_params()


def _ledger(equity: int = 10 * SOL) -> RiskLedger:
    return record_signal(new_ledger(equity, T0), T0)


def _trades(ledger: RiskLedger, pnls: list[int]) -> RiskLedger:
    for i, pnl in enumerate(pnls):
        ledger = record_trade(ledger, pnl, T0 + timedelta(seconds=i), keep=50)
    return ledger


def _rule(
    name: str, ledger: RiskLedger, now: datetime = T0, params: RuntimeParams = PARAMS
) -> Finding | None:
    return RULES[name].evaluate(ledger, params, now)


@pytest.mark.parametrize(
    ("equity", "kind"),
    [
        (9 * SOL, None),  # 10 %: a sizing tier, not a breaker
        (8_500_000_001, None),  # just under 15 %
        (8_500_000_000, FindingKind.WARN),  # exactly 15 %: warning
        (8 * SOL, FindingKind.WARN),  # exactly 20 %: not yet *above* 20 %
        (7_999_999_999, FindingKind.HALT_UNTIL_RESET),
    ],
)
def test_drawdown_edges(equity: int, kind: FindingKind | None) -> None:
    ledger = record_equity(_ledger(), equity, T0)
    finding = _rule("drawdown", ledger)
    assert (finding.kind if finding else None) is kind


def test_loss_streak_three_halves_and_five_pauses() -> None:
    two = _trades(_ledger(), [-1, -1])
    three = _trades(two, [-1])
    five = _trades(three, [-1, -1])
    assert _rule("consecutive_losses", two) is None
    reduce = _rule("consecutive_losses", three)
    assert reduce is not None
    assert (reduce.kind, reduce.size_multiplier) == (FindingKind.REDUCE_SIZE, 0.5)
    pause = _rule("consecutive_losses", five)
    assert pause is not None
    assert pause.kind is FindingKind.HALT_UNTIL_RESET
    assert _trades(five, [1]).consecutive_losses == 0
    assert _trades(two, [0]).consecutive_losses == 3  # breakeven is not a win


def test_win_rate_floor_needs_twenty_trades_and_looks_at_fifty() -> None:
    nineteen = _trades(_ledger(), [-1] * 19)
    assert _rule("win_rate", nineteen) is None
    thirty_five = _trades(_ledger(), [1] * 7 + [-1] * 13)
    finding = _rule("win_rate", thirty_five)
    assert finding is not None
    assert finding.kind is FindingKind.HALT_UNTIL_RESET
    forty = _trades(_ledger(), [1] * 8 + [-1] * 12)
    assert _rule("win_rate", forty) is None
    # 10 old losses fall out of the 50-trade window: 20 wins of 50 = 40 %
    sixty = _trades(_ledger(), [-1] * 10 + [1, -1, -1, 1, -1] * 10)
    assert len(sixty.recent_trades) == 50
    assert _rule("win_rate", sixty) is None


def test_daily_loss_blocks_until_the_next_utc_day() -> None:
    ledger = record_equity(_ledger(), 9_500_000_000, T0)  # exactly 5 %: allowed
    assert _rule("daily_loss", ledger) is None
    ledger = record_equity(ledger, 9_499_999_999, T0)
    finding = _rule("daily_loss", ledger)
    assert finding is not None
    assert finding.until == datetime(2025, 7, 2, tzinfo=UTC)
    assert finding.breaker_action is BreakerAction.BLOCK_UNTIL_NEXT_DAY
    tripped = evaluate(ledger, PARAMS, T0)
    assert [h.rule for h in tripped.tripped] == ["daily_loss"]
    assert not tripped.entries_allowed
    still = evaluate(tripped.ledger, PARAMS, datetime(2025, 7, 1, 23, 59, tzinfo=UTC))
    assert still.tripped == ()
    assert not still.entries_allowed
    midnight = datetime(2025, 7, 2, tzinfo=UTC)
    next_day = evaluate(record_equity(still.ledger, 9_499_999_999, midnight), PARAMS, midnight)
    assert [h.rule for h in next_day.lifted] == ["daily_loss"]
    assert next_day.entries_allowed
    assert next_day.ledger.day_start_equity_lamports == 9_499_999_999


def test_max_positions_blocks_and_lifts_by_itself() -> None:
    full = record_open_positions(_ledger(), 5)
    blocked = evaluate(full, PARAMS, T0)
    assert blocked.tripped[0].finding.kind is FindingKind.BLOCK
    assert blocked.tripped[0].finding.breaker_action is None
    assert blocked.block_reason == "max_positions: 5 positions open (max 5)"
    freed = evaluate(record_open_positions(blocked.ledger, 4), PARAMS, T0)
    assert [h.rule for h in freed.lifted] == ["max_positions"]
    assert freed.entries_allowed


def test_signal_silence_alerts_once_per_silence() -> None:
    ledger = _ledger()
    assert evaluate(ledger, PARAMS, T0 + timedelta(hours=47, minutes=59)).alerts == ()
    first = evaluate(ledger, PARAMS, T0 + timedelta(hours=48))
    assert [a.rule for a in first.alerts] == ["signal_silence"]
    assert first.entries_allowed  # a health alert does not halt trading
    again = evaluate(first.ledger, PARAMS, T0 + timedelta(hours=60))
    assert again.alerts == ()
    heard = record_signal(again.ledger, T0 + timedelta(hours=61))
    cleared = evaluate(heard, PARAMS, T0 + timedelta(hours=62))
    assert "signal_silence" not in cleared.ledger.alerts
    later = evaluate(cleared.ledger, PARAMS, T0 + timedelta(hours=61 + 48))
    assert [a.rule for a in later.alerts] == ["signal_silence"]


def test_a_halt_trips_once_and_waits_for_the_reset() -> None:
    ledger = _trades(_ledger(), [-1] * 5)
    first = evaluate(ledger, PARAMS, T0)
    assert [h.rule for h in first.tripped] == ["consecutive_losses"]
    assert first.tripped[0].finding.breaker_action is BreakerAction.PAUSE
    recovered = _trades(first.ledger, [1, 1])
    second = evaluate(recovered, PARAMS, T0 + timedelta(hours=1))
    assert second.tripped == ()
    assert second.lifted == ()
    assert not second.entries_allowed  # only the operator lifts a pause
    fresh, cleared = reset(second.ledger, T0 + timedelta(hours=2))
    assert [h.rule for h in cleared] == ["consecutive_losses"]
    after = evaluate(fresh, PARAMS, T0 + timedelta(hours=2))
    assert after.entries_allowed
    assert after.tripped == ()


def test_reset_rebases_the_drawdown_peak() -> None:
    ledger = record_equity(_ledger(), 7 * SOL, T0)
    tripped = evaluate(ledger, PARAMS, T0)
    assert {h.rule for h in tripped.tripped} == {"drawdown", "daily_loss"}
    fresh, _ = reset(tripped.ledger, T0)
    assert fresh.peak_equity_lamports == 7 * SOL
    assert evaluate(fresh, PARAMS, T0).entries_allowed


def test_size_multiplier_follows_the_loss_streak() -> None:
    three = evaluate(_trades(_ledger(), [-1] * 3), PARAMS, T0)
    assert (three.ledger.size_multiplier, three.size_multiplier_changed) == (0.5, True)
    assert three.entries_allowed
    won = evaluate(_trades(three.ledger, [1]), PARAMS, T0)
    assert (won.ledger.size_multiplier, won.size_multiplier_changed) == (1.0, True)


def test_rules_are_enabled_by_name() -> None:
    without = dataclasses.replace(
        PARAMS, risk=dataclasses.replace(PARAMS.risk, enabled_rules=("win_rate",))
    )
    assert [r.name for r in enabled_rules(without.risk)] == ["win_rate"]
    ledger = _trades(record_equity(_ledger(), 5 * SOL, T0), [-1] * 6)  # 50 % down, 6 losses
    assert evaluate(ledger, without, T0).entries_allowed
    assert set(RULES) == set(default_params().risk.enabled_rules)


def test_property_random_histories_keep_the_breaker_consistent() -> None:
    rng = random.Random(11)
    ledger, now = _ledger(), T0
    for _ in range(3000):
        now += timedelta(minutes=rng.choice([1, 30, 240]))
        roll = rng.random()
        if roll < 0.4:
            ledger = record_trade(
                ledger,
                rng.randint(-SOL, SOL),
                now,
                keep=50,
                equity_lamports=rng.randint(5, 15) * SOL,
            )
        elif roll < 0.6:
            ledger = record_open_positions(ledger, rng.randint(0, 6))
        elif roll < 0.7:
            ledger = record_signal(ledger, now)
        elif roll < 0.72:
            ledger, _ = reset(ledger, now)
        result = evaluate(ledger, PARAMS, now)
        ledger = result.ledger
        rules = [h.rule for h in ledger.halts]
        assert len(rules) == len(set(rules))
        assert ledger.size_multiplier in (1.0, 0.5)
        assert result.entries_allowed == (not ledger.halts)
        assert len(ledger.recent_trades) <= 50
        assert ledger.peak_equity_lamports >= ledger.equity_lamports
