"""Ports of the trading path: executing swaps, reading prices, recording trades.

Why separate from ports.py: the trading actors depend on these only, so paper and live
execution (and PostgreSQL or another store) are swapped by wiring, never inside an actor.
Every method here blocks: actors call them from a worker, never from their mailbox loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from walltrack.domain.records import OrderRecord, OrderState, PositionRecord, SignalRecord
from walltrack.domain.records.operations import AlertRecord, CircuitBreakerEventRecord
from walltrack.domain.records.trading import FillRecord

WSOL_MINT = "So11111111111111111111111111111111111111112"


@dataclass(frozen=True, slots=True, kw_only=True)
class SwapRequest:
    """One attempt of one order: swap `amount_in` raw units of input for output."""

    attempt_key: str  # order idempotency key + attempt: a resend of it is a duplicate
    input_mint: str
    output_mint: str
    amount_in: int
    slippage_bps: int
    priority_fee_lamports: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SwapFill:
    """What a confirmed swap took and gave (raw units) and what it cost in fees."""

    tx_signature: str
    in_amount: int
    out_amount: int
    fee_lamports: int = 0
    token_decimals: int = 6  # of the token side (pump.fun mints have 6)


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryJournal:
    """An entry attempt sent in the message that decided it, journaled in the entry's own
    statement: what the position actor needs to settle it after a restart."""

    position_id: UUID
    attempt_key: str
    entry: Mapping[str, Any]
    """The position actor's own encoding of the position and its order in flight."""


type OnSigned = Callable[[str], None]
"""Called with the transaction signature before it is sent (live): record it durably."""


class Execution(Protocol):
    """Where orders are filled: the paper ledger against market quotes, or the chain."""

    @property
    def mode(self) -> str:
        """ "paper" or "live"."""
        ...

    @property
    def latency_s(self) -> float:
        """Delay the caller waits (on its clock) before an attempt runs (paper model)."""
        ...

    def execute(self, request: SwapRequest, on_signed: OnSigned) -> SwapFill:
        """Run the attempt to confirmation; raise a WallTrackError when it failed."""
        ...

    def recover(self, request: SwapRequest, tx_signature: str | None) -> SwapFill | None:
        """What became of an attempt sent before a restart: its fill, or None (not landed)."""
        ...

    def balance_lamports(self) -> int:
        """Free SOL of the trading wallet (chain) or the paper ledger."""
        ...

    def token_balances(self) -> Mapping[str, int]:
        """Raw token units held, by mint (reconciliation)."""
        ...


class TokenPrices(Protocol):
    """SOL per whole token for held tokens (quotes, Jupiter price or DexScreener)."""

    def prices_sol(self, tokens: Sequence[tuple[str, int]]) -> dict[str, Decimal]:
        """Prices of (mint, decimals) pairs; a token without a price is absent."""
        ...


class TradeRecords(Protocol):
    """The positions, orders and fills tables, and the breaker's events and alerts."""

    def save_position(self, position: PositionRecord) -> None:
        """Insert or update a position row."""
        ...

    def open_position(
        self,
        position: PositionRecord,
        signal: SignalRecord | None = None,
        order: OrderRecord | None = None,
        journal: EntryJournal | None = None,
    ) -> PositionRecord | None:
        """Store a new position with its entry order, the signal it trades unless stored
        already, and `journal` (the entry's attempt, durable before it is sent), in one
        atomic write; None if stored, else the row its id already has (and then neither
        the order nor the journal was written)."""
        ...

    def journaled_entries(self) -> list[EntryJournal]:
        """The journal of every entry whose position is not closed, oldest first."""
        ...

    def live_positions(self) -> list[PositionRecord]:
        """Positions not closed."""
        ...

    def position(self, position_id: UUID) -> PositionRecord | None:
        """One position row."""
        ...

    def insert_order(self, order: OrderRecord) -> bool:
        """Store a new order; False when its idempotency key exists (never send it twice)."""
        ...

    def order(self, key: str) -> OrderRecord | None:
        """The order stored under an idempotency key."""
        ...

    def transition_order(
        self,
        order_id: UUID,
        state: OrderState,
        at: datetime,
        *,
        tx_signature: str | None = None,
        error: str | None = None,
    ) -> None:
        """Move a stored order to `state` (failed -> pending is a retry)."""
        ...

    def record_fill(self, fill: FillRecord) -> None:
        """Store one confirmed fill."""
        ...

    def settle_entry_fill(self, fill: FillRecord, position: PositionRecord, at: datetime) -> bool:
        """The entry's order filled, its fill and its open position, in one write; whether
        the order moved (False: it was filled already, a settlement redone)."""
        ...

    def record_breaker_event(self, event: CircuitBreakerEventRecord) -> None:
        """Store one circuit-breaker decision."""
        ...

    def raise_alert(self, alert: AlertRecord) -> None:
        """Store an alert for the operator."""
        ...
