"""Runtime parameters: defaults match domain-rules.md, validation names the parameter."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from walltrack.domain.params import (
    PRESETS,
    SECTIONS,
    default_params,
    params_to_json,
    parse_exit_strategy,
    parse_params,
    with_value,
)
from walltrack.domain.params.parsing import to_json
from walltrack.errors import InvalidParameterError, Reaction


def test_defaults_are_the_documented_numbers() -> None:
    p = default_params()
    assert (p.scoring.threshold, p.scoring.high_conviction) == (0.70, 0.85)
    weights = p.scoring.weights
    assert (weights.wallet, weights.cluster, weights.token, weights.context) == (
        0.30,
        0.25,
        0.25,
        0.20,
    )
    assert p.sizing.min_position_sol == Decimal("0.01")
    assert p.sizing.max_position_sol == Decimal("1.0")
    assert p.sizing.reserve_sol == Decimal("0.05")
    assert p.sizing.max_concurrent_positions == 5
    assert [(t.drawdown, t.size_cut) for t in p.sizing.drawdown_tiers] == [
        (0.10, 0.25),
        (0.15, 0.50),
        (0.20, 1.0),
    ]
    assert p.watchlist.min_win_rate == 0.70
    assert p.watchlist.min_pnl_sol == Decimal(5)
    assert (p.risk.max_drawdown, p.risk.daily_loss_limit, p.risk.loss_streak_pause) == (
        0.20,
        0.05,
        5,
    )
    assert p.orders.retry_backoff_s == (5.0, 15.0, 45.0)
    assert (p.orders.slippage_bps, p.orders.max_slippage_bps) == (100, 500)
    assert p.clusters.synced_buy_window_s == 300
    assert p.tokens.surveillance_refresh_hours == 4
    assert p.exits.default_strategy == "balanced"


def test_json_round_trip_is_exact_and_float_free_for_money() -> None:
    document = params_to_json(default_params())
    assert set(document) == set(SECTIONS)
    assert document["sizing"]["min_position_sol"] == "0.01"
    assert parse_params(json.loads(json.dumps(document))) == default_params()


def test_missing_keys_take_defaults() -> None:
    params = parse_params({"scoring": {"threshold": 0.8}})
    assert params.scoring.threshold == 0.8
    assert params.sizing == default_params().sizing


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"scoring": {"threshold": 1.5}}, "scoring.threshold: must be within [0, 1]"),
        ({"scoring": {"threshold": True}}, "scoring.threshold: must be a number"),
        ({"sizing": {"max_concurrent_positions": 2.5}}, "must be an integer"),
        ({"sizing": {"min_position_sol": "lots"}}, "sizing.min_position_sol: must be a decimal"),
        ({"sizing": {"min_position_sol": "NaN"}}, "must be a finite number"),
        ({"sizing": {"drawdown_tiers": [{"drawdown": 0}]}}, "drawdown_tiers[0].drawdown"),
        ({"sizing": {"min_position_sol": 2}}, "sizing.min_position_sol: must be <= max"),
        ({"risk": {"enabled_rules": ["drawdown", "vibes"]}}, "unknown rule 'vibes'"),
        ({"decay": {"flag_win_rate": 0.6}}, "decay.flag_win_rate: must be <= recover"),
        ({"orders": {"max_retries": 4}}, "orders.retry_backoff_s: needs one delay per retry"),
        ({"clusters": {"leader_weights": {"performance": 0.5}}}, "clusters.leader_weights: "),
        ({"typo": {}}, "typo: unknown parameter"),
        ({"scoring": []}, "scoring: must be an object"),
    ],
)
def test_invalid_values_name_their_path(document: dict[str, object], expected: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        parse_params(document)
    assert expected in str(caught.value)
    assert caught.value.reaction is Reaction.REJECT


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidParameterError) as caught:
        parse_params({"scoring": {"threshold": -1}, "risk": {"max_drawdown": 2}})
    paths = {path for path, _ in caught.value.problems}
    assert paths == {"scoring.threshold", "risk.max_drawdown"}


def test_with_value_sets_one_leaf_or_a_section() -> None:
    document = params_to_json(default_params())
    changed = with_value(document, "scoring.weights.wallet", 0.35)
    assert changed["scoring"]["weights"]["wallet"] == 0.35
    assert document["scoring"]["weights"]["wallet"] == 0.30  # the input is not mutated
    assert with_value({}, "risk.max_drawdown", 0.3) == {"risk": {"max_drawdown": 0.3}}
    assert with_value(document, "risk", {"max_drawdown": 0.3})["risk"] == {"max_drawdown": 0.3}
    with pytest.raises(InvalidParameterError, match=r"scoring\.weights\.whale: unknown"):
        with_value(document, "scoring.weights.whale", 1)
    with pytest.raises(InvalidParameterError, match="nope: unknown section"):
        with_value(document, "nope", 1)


def test_the_five_presets_match_the_table() -> None:
    by_name = {p.name: p for p in PRESETS}
    assert set(by_name) == {
        "conservative",
        "balanced",
        "moonbag_aggressive",
        "quick_flip",
        "diamond_hands",
    }
    balanced = by_name["balanced"]
    assert [(tp.multiplier, tp.sell_fraction) for tp in balanced.take_profits] == [
        (Decimal(2), Decimal("0.33")),
        (Decimal(3), Decimal("0.5")),
    ]
    assert balanced.trailing is not None
    assert (balanced.trailing.activation_multiplier, balanced.trailing.distance) == (
        Decimal(2),
        Decimal("0.3"),
    )
    assert (balanced.max_hold_hours, balanced.moonbag_fraction, balanced.moonbag_stop) == (
        168,
        Decimal("0.34"),
        Decimal("0.3"),
    )
    quick = by_name["quick_flip"]
    assert quick.stagnation is not None
    assert (quick.stop_loss, quick.max_hold_hours, quick.stagnation.window_hours) == (
        Decimal("0.3"),
        24,
        Decimal(6),
    )
    diamond = by_name["diamond_hands"]
    assert (diamond.stop_loss, diamond.moonbag_stop) == (Decimal("0.6"), Decimal("0.2"))
    assert by_name["moonbag_aggressive"].moonbag_stop is None
    for preset in PRESETS:
        assert parse_exit_strategy(to_json(preset)) == preset


def test_exit_strategy_ladder_must_rise() -> None:
    bad = to_json(PRESETS[0]) | {
        "take_profits": [{"multiplier": 3, "sell_fraction": 0.5}, {"multiplier": 2}]
    }
    with pytest.raises(InvalidParameterError, match=r"exit_strategy\.take_profits: multipliers"):
        parse_exit_strategy(bad)
