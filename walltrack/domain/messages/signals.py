"""Wallet signals and their scores: the middle of the pipeline.

Flow: WalletActor -> `WalletSignal` (a buy) or `SourceWalletSold` (a sell, for mirror
exits) -> ScorerActor -> `SignalScored` (always persisted, traded or not) -> PositionActor.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from walltrack.domain.messages.base import MESSAGE, Event
from walltrack.domain.records.signals import SignalDecision, SignalRecord, TradeSide
from walltrack.domain.scoring.score import Conviction, ScoreResult, SkipReason
from walltrack.domain.scoring.wallet_factor import WalletFactorInputs
from walltrack.domain.swap_types import Swap


@MESSAGE
class WalletSignal(Event):
    """A tracked wallet bought a token; `wallet_inputs` is what its actor knows of it."""

    wallet: str
    token_mint: str
    swap: Swap
    wallet_inputs: WalletFactorInputs


@MESSAGE
class SourceWalletSold(Event):
    """A tracked wallet sold `sold_fraction` (0..1] of its holding of a token."""

    wallet: str
    token_mint: str
    swap: Swap
    sold_fraction: Decimal


@MESSAGE
class SignalScored(Event):
    """A signal's score, every factor, the decision and why it was skipped."""

    signal_id: UUID
    wallet: str
    token_mint: str
    swap_signature: str
    amount_lamports: int  # what the source wallet paid
    cluster_id: str | None
    result: ScoreResult

    @property
    def score(self) -> float:
        """The final score in [0, 1]."""
        return self.result.score

    @property
    def decision(self) -> SignalDecision:
        """Trade or skip."""
        return self.result.decision

    @property
    def skip_reason(self) -> SkipReason | None:
        """Why the scorer skipped it."""
        return self.result.skip_reason

    def to_record(self) -> SignalRecord:
        """The row of the signals table (`ts_event` = the swap, `ts_init` = the scoring)."""
        result = self.result
        return SignalRecord(
            signal_id=self.signal_id,
            correlation_id=self.correlation_id,
            wallet_address=self.wallet,
            token_mint=self.token_mint,
            side=TradeSide.BUY,
            tx_signature=self.swap_signature,
            amount_lamports=self.amount_lamports,
            observed_at=self.ts_event,
            scored_at=self.ts_init,
            score=result.score,
            wallet_factor=result.wallet.value,
            cluster_factor=result.cluster.value,
            token_factor=result.token.value,
            context_factor=result.context.value,
            factors=result.factors_json(),
            decision=result.decision,
            skip_reason=None if result.skip_reason is None else result.skip_reason.value,
            high_conviction=result.conviction is Conviction.HIGH,
        )
