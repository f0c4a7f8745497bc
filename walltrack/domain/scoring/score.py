"""A wallet signal's score, its trade/skip decision and conviction tier.

score = 0.30 wallet + 0.25 cluster + 0.25 token + 0.20 context, clamped to [0, 1] and
rounded to 9 decimals so a score sitting exactly on the threshold is not lost to float
noise. A token failing a hard safety gate is skipped whatever its score; otherwise the
signal trades at >= `threshold` (0.70), and from `high_conviction` (0.85) its position is
sized x`high_conviction_size_multiplier` (1.5). The result keeps every factor with its
parts, because every signal is stored with them, traded or not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from walltrack.domain.params.runtime import RuntimeParams
from walltrack.domain.records.signals import SignalDecision
from walltrack.domain.scoring.cluster_factor import (
    ClusterFactor,
    ClusterSignalContext,
    cluster_factor,
)
from walltrack.domain.scoring.context_factor import ContextFactor, ContextInputs, context_factor
from walltrack.domain.scoring.ramp import clamp01
from walltrack.domain.scoring.token_factor import TokenFactor, TokenFactorInputs, token_factor
from walltrack.domain.scoring.wallet_factor import WalletFactor, WalletFactorInputs, wallet_factor


class SkipReason(StrEnum):
    """Why the scorer did not pass a signal on for trading."""

    BELOW_THRESHOLD = "below_threshold"
    LIQUIDITY_UNKNOWN = "liquidity_unknown"
    LIQUIDITY_TOO_LOW = "liquidity_too_low"
    FREEZE_AUTHORITY_ACTIVE = "freeze_authority_active"


class Conviction(StrEnum):
    """How strongly a traded signal is backed; high conviction sizes up."""

    NONE = "none"  # skipped
    NORMAL = "normal"
    HIGH = "high"


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalInputs:
    """Everything the scorer gathered about one buy of a tracked wallet."""

    wallet: WalletFactorInputs
    cluster: ClusterSignalContext
    token: TokenFactorInputs
    context: ContextInputs


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreResult:
    """The score, each factor with its parts, the decision and why."""

    score: float
    wallet: WalletFactor
    cluster: ClusterFactor
    token: TokenFactor
    context: ContextFactor
    decision: SignalDecision
    skip_reason: SkipReason | None
    conviction: Conviction
    size_multiplier: float  # 1.0 normal, x1.5 high conviction, 0 when skipped

    @property
    def traded(self) -> bool:
        """The scorer passed the signal on for sizing and execution."""
        return self.decision is SignalDecision.TRADE

    def factors_json(self) -> dict[str, Any]:
        """The breakdown as a JSON object: what the signals table stores in `factors`."""
        return {
            "wallet": asdict(self.wallet),
            "cluster": asdict(self.cluster),
            "token": {
                **asdict(self.token),
                "missing": list(self.token.missing),
                "block": None if self.token.block is None else self.token.block.value,
            },
            "context": {**asdict(self.context), "missing": list(self.context.missing)},
            "conviction": self.conviction.value,
            "size_multiplier": self.size_multiplier,
        }


def score_signal(inputs: SignalInputs, params: RuntimeParams, now: datetime) -> ScoreResult:
    """Score one signal at `now` with the runtime parameters in force."""
    scoring = params.scoring
    wallet = wallet_factor(inputs.wallet, scoring.wallet, params.profiling)
    cluster = cluster_factor(inputs.cluster, scoring, params.clusters)
    token = token_factor(inputs.token, scoring.token, params.tokens, now)
    context = context_factor(inputs.context, scoring.context, now)
    weights = scoring.weights
    raw = (
        weights.wallet * wallet.value
        + weights.cluster * cluster.value
        + weights.token * token.value
        + weights.context * context.value
    )
    score = round(clamp01(raw), 9)
    skip: SkipReason | None = None
    if token.block is not None:
        skip = SkipReason(token.block.value)
    elif score < scoring.threshold:
        skip = SkipReason.BELOW_THRESHOLD
    if skip is not None:
        conviction, multiplier = Conviction.NONE, 0.0
    elif score >= scoring.high_conviction:
        conviction, multiplier = Conviction.HIGH, scoring.high_conviction_size_multiplier
    else:
        conviction, multiplier = Conviction.NORMAL, 1.0
    return ScoreResult(
        score=score,
        wallet=wallet,
        cluster=cluster,
        token=token,
        context=context,
        decision=SignalDecision.SKIP if skip is not None else SignalDecision.TRADE,
        skip_reason=skip,
        conviction=conviction,
        size_multiplier=multiplier,
    )
