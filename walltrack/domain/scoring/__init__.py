"""Signal scoring: four factors computed from real inputs, weighted into one decision."""

from walltrack.domain.scoring.cluster_factor import ClusterFactor, ClusterSignalContext
from walltrack.domain.scoring.context_factor import ContextFactor, ContextInputs
from walltrack.domain.scoring.score import (
    Conviction,
    ScoreResult,
    SignalInputs,
    SkipReason,
    score_signal,
)
from walltrack.domain.scoring.token_factor import TokenBlock, TokenFactor, TokenFactorInputs
from walltrack.domain.scoring.wallet_factor import WalletFactor, WalletFactorInputs

__all__ = [
    "ClusterFactor",
    "ClusterSignalContext",
    "ContextFactor",
    "ContextInputs",
    "Conviction",
    "ScoreResult",
    "SignalInputs",
    "SkipReason",
    "TokenBlock",
    "TokenFactor",
    "TokenFactorInputs",
    "WalletFactor",
    "WalletFactorInputs",
    "score_signal",
]
