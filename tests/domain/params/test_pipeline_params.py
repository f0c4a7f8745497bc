"""Parameters added for the pipeline's formulas: defaults, validation, JSON round trip."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from walltrack.domain.params import default_params, params_to_json, parse_params
from walltrack.errors import InvalidParameterError


def test_new_defaults() -> None:
    p = default_params()
    assert p.scoring.wallet.pnl_full_sol == Decimal(10)
    token = p.scoring.token
    assert (token.holders_low, token.holders_full, token.volume_full_usd) == (
        50,
        1000,
        Decimal(100000),
    )
    assert (token.young_token_penalty, token.top10_share_good, token.top10_share_bad) == (
        0.2,
        0.2,
        0.8,
    )
    assert (p.scoring.cluster.multiplier_share, p.scoring.cluster.amplification_full_members) == (
        0.5,
        4,
    )
    context = p.scoring.context
    assert context.active_hours_utc == tuple(range(13, 23))
    assert (context.activity_window_s, context.tracked_wallets_full) == (300, 3)
    assert (p.orders.exit_slippage_step_bps, p.orders.priority_fee_lamports) == (100, 50_000)
    assert p.sizing.drawdown_peak_days == 30
    assert (p.profiling.copy_fee_lamports, p.profiling.bot_window_days) == (10_000, 7)
    assert p.feedback.win_min_pnl_ratio == 0.0


def test_round_trip_keeps_the_new_sections() -> None:
    document = json.loads(json.dumps(params_to_json(default_params())))
    assert document["scoring"]["context"]["active_hours_utc"][0] == 13
    assert parse_params(document) == default_params()


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"scoring": {"context": {"time_weight": 0.5}}}, "scoring.context: weights must sum to 1"),
        ({"scoring": {"context": {"active_hours_utc": [12, 24]}}}, "hours must be within [0, 23]"),
        (
            {"scoring": {"context": {"volatility_calm": 0.7}}},
            "volatility_calm: must be < volatility_wild",
        ),
        (
            {"scoring": {"cluster": {"multiplier_share": 0.6}}},
            "scoring.cluster: weights must sum to 1",
        ),
        ({"scoring": {"token": {"holders_low": 2000}}}, "holders_low: must be < holders_full"),
        ({"scoring": {"token": {"top10_share_good": 0.9}}}, "top10_share_good: must be <"),
        ({"scoring": {"token": {"volume_low_usd": "1e6"}}}, "volume_low_usd: must be <"),
        ({"orders": {"priority_fee_lamports": 2_000_000}}, "priority_fee_lamports: must be <="),
        ({"profiling": {"dust_fraction": 0.6}}, "profiling.dust_fraction: must be within"),
    ],
)
def test_new_rules_name_their_path(document: dict[str, object], expected: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        parse_params(document)
    assert expected in str(caught.value)
