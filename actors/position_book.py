"""What the position actor holds: its positions and the orders in flight, as frozen values.

Why values: the actor's state is snapshotted before every order goes out (perform_once;
an entry sent at once journals its position and order instead) and rebuilt from that
after a crash; the rows of the positions and orders tables are derived from these
values, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from walltrack.domain.exits.state import ExitDecision
from walltrack.domain.messages.trading import PositionOpened
from walltrack.domain.orders import OrderTicket
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records import OrderRecord, OrderState, PositionRecord
from walltrack.domain.records.trading import ExitReason, PositionState
from walltrack.execution_ports import WSOL_MINT, SwapRequest

LAMPORTS_PER_SOL = Decimal(1_000_000_000)
type Factors = tuple[float | None, float | None, float | None, float | None]
"""The signal's wallet, cluster, token and context factors (feedback's accuracy)."""
NO_FACTORS: Factors = (None, None, None, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Holding:
    """One position: what it cost, what is left, what it brought back."""

    position_id: UUID
    signal_id: UUID | None
    correlation_id: UUID
    wallet: str
    token_mint: str
    token_decimals: int = 6
    strategy: ExitStrategy
    score: float
    cluster_id: str | None
    factors: Factors = NO_FACTORS
    state: PositionState = PositionState.PENDING
    size_lamports: int
    entry_lamports: int = 0  # what the entry cost, fees included
    entry_price: Decimal | None = None
    token_amount: int = 0
    remaining_amount: int = 0
    proceeds_lamports: int = 0  # net of fees
    opened_at: datetime
    closed_at: datetime | None = None
    exit_reason: ExitReason | None = None

    @property
    def is_open(self) -> bool:
        """Holds tokens (or is about to)."""
        return self.state is not PositionState.CLOSED

    def to_record(self) -> PositionRecord:
        """The row of the positions table."""
        closed = self.state is PositionState.CLOSED
        return PositionRecord(
            position_id=self.position_id,
            signal_id=self.signal_id,
            wallet_address=self.wallet,
            token_mint=self.token_mint,
            token_decimals=self.token_decimals,
            state=self.state,
            exit_strategy=self.strategy.name,
            entry_price_sol=self.entry_price,
            entry_lamports=self.entry_lamports or self.size_lamports,
            token_amount=self.token_amount,
            remaining_amount=self.remaining_amount,
            proceeds_lamports=self.proceeds_lamports,
            realized_pnl_lamports=(self.proceeds_lamports - self.entry_lamports)
            if closed
            else None,
            score=self.score,
            cluster_id=self.cluster_id,
            opened_at=self.opened_at,
            closed_at=self.closed_at,
            exit_reason=self.exit_reason,
        )

    def opened_event(self, now: datetime) -> PositionOpened:
        """The event the exit watcher takes the position over from."""
        assert self.entry_price is not None
        return PositionOpened(
            correlation_id=self.correlation_id,
            ts_event=self.opened_at,
            ts_init=now,
            position_id=self.position_id,
            signal_id=self.signal_id,
            wallet=self.wallet,
            token_mint=self.token_mint,
            token_decimals=self.token_decimals,
            entry_price=self.entry_price,
            entry_lamports=self.entry_lamports,
            token_amount=self.token_amount,
            strategy=self.strategy,
            score=self.score,
            cluster_id=self.cluster_id,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Working:
    """An order not finished yet: its ticket, its row id, and when its attempt runs."""

    order_id: UUID
    ticket: OrderTicket
    token_mint: str
    decision: ExitDecision | None = None
    due_at: datetime
    dispatched: bool = False

    def request(self) -> SwapRequest:
        """The swap this attempt asks the venue for."""
        buy = self.decision is None and self.ticket.is_exit is False
        return SwapRequest(
            attempt_key=self.ticket.attempt_key,
            input_mint=WSOL_MINT if buy else self.token_mint,
            output_mint=self.token_mint if buy else WSOL_MINT,
            amount_in=self.ticket.amount_in,
            slippage_bps=self.ticket.slippage_bps,
            priority_fee_lamports=self.ticket.priority_fee_lamports,
        )

    def to_record(self, venue: str) -> OrderRecord:
        """The row of the orders table (inserted once: the key is unique)."""
        ticket = self.ticket
        return OrderRecord(
            order_id=self.order_id,
            idempotency_key=ticket.key,
            position_id=ticket.position_id,
            side=ticket.side,
            purpose=ticket.purpose.value,
            state=ticket.state,
            attempt=ticket.attempt,
            amount_in=ticket.amount_in,
            slippage_bps=ticket.slippage_bps,
            priority_fee_lamports=ticket.priority_fee_lamports,
            venue=venue,
            created_at=ticket.created_at,
            # an entry sent in the message that decided it is stored as submitted
            submitted_at=self.due_at if ticket.state is OrderState.SUBMITTED else None,
        )


def price_of(lamports: int, tokens: int, decimals: int) -> Decimal:
    """SOL per whole token."""
    return (Decimal(lamports) / LAMPORTS_PER_SOL) / (Decimal(tokens) / Decimal(10**decimals))
