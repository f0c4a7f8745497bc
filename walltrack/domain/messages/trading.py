"""Positions, orders, prices and exits: PositionActor and ExitWatcherActor talk in these.

Amounts: lamports for SOL, raw units for tokens; prices in SOL per whole token (Decimal).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from walltrack.domain.exits.state import ExitDecision
from walltrack.domain.messages.base import MESSAGE, Command, Event
from walltrack.domain.orders import OrderPurpose
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records.signals import TradeSide
from walltrack.domain.records.trading import ExitReason, PositionState


@MESSAGE
class OpenPosition(Command):
    """Open a position for a traded signal (or an operator's manual entry)."""

    position_id: UUID
    signal_id: UUID | None
    wallet: str
    token_mint: str
    score: float
    conviction_multiplier: float = 1.0
    cluster_id: str | None = None
    strategy_override: str | None = None


@MESSAGE
class EntrySkipped(Event):
    """A traded signal did not become a position (halted, sizing limit...), and why."""

    signal_id: UUID | None
    wallet: str
    token_mint: str
    reason: str


@MESSAGE
class PositionOpened(Event):
    """The entry filled: the position exists and the exit watcher takes it over."""

    position_id: UUID
    signal_id: UUID | None
    wallet: str
    token_mint: str
    token_decimals: int
    entry_price: Decimal
    entry_lamports: int
    token_amount: int
    strategy: ExitStrategy
    score: float
    cluster_id: str | None = None


@MESSAGE
class OrderSubmitted(Event):
    """An order attempt went out (transaction sent, or the paper fill started)."""

    order_id: UUID
    idempotency_key: str
    position_id: UUID
    side: TradeSide
    purpose: OrderPurpose
    attempt: int
    amount_in: int
    slippage_bps: int
    priority_fee_lamports: int
    tx_signature: str | None = None


@MESSAGE
class OrderFilled(Event):
    """An order was confirmed: what went in, what came out, at what price."""

    order_id: UUID
    idempotency_key: str
    position_id: UUID
    side: TradeSide
    purpose: OrderPurpose
    tx_signature: str
    in_amount: int
    out_amount: int
    price: Decimal
    fee_lamports: int = 0


@MESSAGE
class OrderFailed(Event):
    """An order attempt failed; it is retried at `retry_at`, or given up."""

    order_id: UUID
    idempotency_key: str
    position_id: UUID
    purpose: OrderPurpose
    attempt: int
    error: str
    retry_at: datetime | None
    emergency_follows: bool = False

    @property
    def will_retry(self) -> bool:
        """Another attempt is scheduled."""
        return self.retry_at is not None


@MESSAGE
class PriceUpdated(Event):
    """A token's price (SOL per whole token) from a feed."""

    token_mint: str
    price: Decimal
    source: str


@MESSAGE
class ExitTriggered(Event):
    """The exit strategy decided to sell: what, how much, why (ExitWatcher -> Position)."""

    token_mint: str
    decision: ExitDecision

    @property
    def position_id(self) -> UUID:
        """The position to sell from."""
        return self.decision.position_id


@MESSAGE
class ExitAbandoned(Event):
    """An exit's orders failed for good: the watcher re-decides from the state before it."""

    position_id: UUID
    sequence: int
    reason: str


@MESSAGE
class ClosePosition(Command):
    """Sell all of a position now (operator or emergency), whatever its strategy says."""

    position_id: UUID
    reason: ExitReason
    requested_by: str


@MESSAGE
class PositionReduced(Event):
    """Part of a position was sold; it stays open with `remaining_amount`."""

    position_id: UUID
    token_mint: str
    reason: ExitReason
    sold_amount: int
    proceeds_lamports: int
    remaining_amount: int
    state: PositionState


@MESSAGE
class PositionClosed(Event):
    """Nothing is left of the position; realised PnL in lamports, proceeds net of fees."""

    position_id: UUID
    signal_id: UUID | None
    wallet: str
    token_mint: str
    cluster_id: str | None
    entry_lamports: int
    proceeds_lamports: int
    exit_reason: ExitReason
    opened_at: datetime
    closed_at: datetime

    @property
    def realized_pnl_lamports(self) -> int:
        """Proceeds minus what the entry cost."""
        return self.proceeds_lamports - self.entry_lamports

    @property
    def pnl_ratio(self) -> float:
        """PnL over the entry cost (a rate, not money)."""
        if self.entry_lamports <= 0:
            return 0.0
        return self.realized_pnl_lamports / self.entry_lamports


@MESSAGE
class ChangeExitStrategy(Command):
    """The operator moves an open position to the exit strategy named `strategy_name`."""

    position_id: UUID
    strategy_name: str
    requested_by: str


@MESSAGE
class ExitStrategyChanged(Event):
    """A position follows `strategy` from now on (PositionActor -> ExitWatcher, dashboard)."""

    position_id: UUID
    token_mint: str
    previous: str
    strategy: ExitStrategy
    requested_by: str


@MESSAGE
class ExitStrategyChangeRefused(Event):
    """A `ChangeExitStrategy` was refused (closed or unknown position, unknown strategy)."""

    position_id: UUID
    strategy_name: str
    reason: str
    requested_by: str


@MESSAGE
class UpdateExitStrategy(Command):
    """A strategy was edited (validated and stored): new positions assign from `strategy`.

    Open positions keep the strategy they hold until a `ChangeExitStrategy` moves them.
    """

    strategy: ExitStrategy
    requested_by: str


@MESSAGE
class ExitStrategyUpdated(Event):
    """The position actor assigns new positions from this version of `strategy`."""

    strategy: ExitStrategy
    requested_by: str
