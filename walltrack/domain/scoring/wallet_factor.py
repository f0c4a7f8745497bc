"""The wallet factor: how good the signalling wallet is at what it just did.

wallet = 0.35 win rate + 0.25 PnL norm + 0.25 (1 - timing percentile) + 0.15 consistency,
+0.15 for a cluster leader, -0.30 for a decayed wallet, clamped to [0, 1] (weights from
`WalletFactorParams`). The PnL norm is the wallet's total realised PnL ramped from 0 SOL
(or less) to `pnl_full_sol`. With fewer trades than `ProfilingParams.medium_confidence_trades`
the metrics are noise, so the base is the "insufficient data" score instead.

A wallet actor may pass its maintained `score` (profiling sets it from these same metrics,
feedback moves it after each copied trade); then that score is the base and the metrics
are kept for the record only.
"""

from __future__ import annotations

from dataclasses import dataclass

from walltrack.domain.params.scoring import WalletFactorParams
from walltrack.domain.params.wallets import ProfilingParams
from walltrack.domain.scoring.ramp import clamp01, ramp

LAMPORTS_PER_SOL = 1_000_000_000
NEUTRAL = 0.5
"""Stand-in for a metric the profile could not compute (no buyer order, one trade)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletFactorInputs:
    """What the wallet actor knows about the wallet when it signals."""

    win_rate: float
    total_pnl_lamports: int
    timing_percentile: float | None  # 0 = first buyer, 1 = last; None when unknown
    consistency: float | None
    trade_count: int
    is_leader: bool = False
    is_decayed: bool = False
    score: float | None = None  # the maintained wallet score, when the actor keeps one


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletFactor:
    """The wallet factor and every part of it."""

    value: float
    base: float
    from_metrics: bool  # False when the base is the maintained score or insufficient data
    win_rate: float
    pnl_norm: float
    timing: float  # 1 - timing percentile
    consistency: float
    leader_bonus: float
    decay_penalty: float


def pnl_norm(total_pnl_lamports: int, params: WalletFactorParams) -> float:
    """Total PnL in SOL ramped from 0 to `pnl_full_sol`."""
    full_lamports = params.pnl_full_sol * LAMPORTS_PER_SOL
    return ramp(total_pnl_lamports, 0, full_lamports)


def wallet_metrics_score(
    inputs: WalletFactorInputs, params: WalletFactorParams, profiling: ProfilingParams
) -> float:
    """The base score from profile metrics (also the score profiling gives a wallet)."""
    if inputs.trade_count < profiling.medium_confidence_trades:
        return profiling.insufficient_data_score
    timing = 1.0 - _or_neutral(inputs.timing_percentile)
    return clamp01(
        params.win_rate * clamp01(inputs.win_rate)
        + params.pnl * pnl_norm(inputs.total_pnl_lamports, params)
        + params.timing * clamp01(timing)
        + params.consistency * clamp01(_or_neutral(inputs.consistency))
    )


def wallet_factor(
    inputs: WalletFactorInputs, params: WalletFactorParams, profiling: ProfilingParams
) -> WalletFactor:
    """The wallet factor of a signal, with its breakdown."""
    from_metrics = inputs.score is None and inputs.trade_count >= profiling.medium_confidence_trades
    base = (
        clamp01(inputs.score)
        if inputs.score is not None
        else wallet_metrics_score(inputs, params, profiling)
    )
    leader = params.leader_bonus if inputs.is_leader else 0.0
    decay = params.decay_penalty if inputs.is_decayed else 0.0
    return WalletFactor(
        value=clamp01(base + leader - decay),
        base=base,
        from_metrics=from_metrics,
        win_rate=clamp01(inputs.win_rate),
        pnl_norm=pnl_norm(inputs.total_pnl_lamports, params),
        timing=clamp01(1.0 - _or_neutral(inputs.timing_percentile)),
        consistency=clamp01(_or_neutral(inputs.consistency)),
        leader_bonus=leader,
        decay_penalty=decay,
    )


def _or_neutral(value: float | None) -> float:
    return NEUTRAL if value is None else value
