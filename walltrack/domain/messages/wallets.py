"""A wallet's life after its trades: feedback, score, decay and lifecycle events.

Why events: the wallet actor owns the wallet's score and status; the dashboard and the
intel jobs learn of every change from these instead of polling the store.
"""

from __future__ import annotations

from uuid import UUID

from walltrack.domain.messages.base import MESSAGE, Event
from walltrack.domain.records.wallets import DecayStatus, WalletStatus


@MESSAGE
class TradeClosedFeedback(Event):
    """A position copied from `wallet` closed: what it made and what its signal scored."""

    wallet: str
    position_id: UUID
    signal_id: UUID | None
    cost_lamports: int
    pnl_lamports: int
    wallet_factor: float | None = None
    cluster_factor: float | None = None
    token_factor: float | None = None
    context_factor: float | None = None

    @property
    def pnl_ratio(self) -> float:
        """PnL over cost (0 when the cost is unknown)."""
        return self.pnl_lamports / self.cost_lamports if self.cost_lamports > 0 else 0.0


@MESSAGE
class WalletScoreUpdated(Event):
    """Feedback or decay moved the wallet's score."""

    wallet: str
    old_score: float
    new_score: float
    cause: str
    flagged: bool = False


@MESSAGE
class WalletDecayChanged(Event):
    """The wallet's decay verdict changed (dormant, downgraded, flagged, recovered, ok)."""

    wallet: str
    old_status: DecayStatus
    new_status: DecayStatus
    reason: str
    score_multiplier: float


@MESSAGE
class WalletStatusChanged(Event):
    """A lifecycle move: discovered -> profiled -> watchlisted | ignored -> flagged ..."""

    wallet: str
    old_status: WalletStatus | None
    new_status: WalletStatus
    reason: str
    failed_criteria: tuple[str, ...] = ()
