"""FIFO pairing of a wallet's buys and sells per token, with PnL in SOL.

Why lots: profit must be measured in SOL (the original project measured token units and
got it wrong). Each buy opens a lot costing the SOL it took (network fee included); each
sell consumes the oldest lots first and its SOL (network fee deducted) is shared among the
lots it consumed in proportion to the tokens taken from each, exactly to the lamport. A
lot is a closed trade once no more than `dust_fraction` of it is left; the dust is written
off. Tokens sold without a known buy (received by transfer) cannot be costed and are
counted apart.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from walltrack.domain.swap_types import Side, Swap


@dataclass(frozen=True, slots=True, kw_only=True)
class LotSale:
    """Part of one sell that consumed a lot."""

    at: datetime
    amount: int  # raw token units taken from the lot
    lamports: int  # SOL share of the sell for those units


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosedTrade:
    """A buy lot sold (down to dust): one trade of the profile."""

    token_mint: str
    opened_at: datetime
    closed_at: datetime
    amount: int
    cost_lamports: int
    proceeds_lamports: int
    sales: tuple[LotSale, ...]
    buy_signature: str

    @property
    def pnl_lamports(self) -> int:
        """Realised profit in lamports."""
        return self.proceeds_lamports - self.cost_lamports

    @property
    def pnl_ratio(self) -> float:
        """Profit as a share of the cost."""
        return self.pnl_lamports / self.cost_lamports if self.cost_lamports else 0.0

    @property
    def hold_seconds(self) -> float:
        """From the buy to the sell that closed the lot."""
        return (self.closed_at - self.opened_at).total_seconds()


@dataclass(slots=True)
class _Lot:
    token_mint: str
    opened_at: datetime
    amount: int
    remaining: int
    cost_lamports: int
    signature: str
    sales: list[LotSale] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenLot:
    """What is left of a buy that is not closed yet."""

    token_mint: str
    opened_at: datetime
    amount: int
    remaining: int
    cost_lamports: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FifoResult:
    """Closed trades (by closing time), open lots, and sells without a costed buy."""

    closed: tuple[ClosedTrade, ...]
    open_lots: tuple[OpenLot, ...]
    unmatched_sells: tuple[tuple[str, int], ...]  # (mint, raw units sold beyond known buys)


def chronological(swaps: Iterable[Swap]) -> list[Swap]:
    """Swaps in chain order; within one slot and second, buys before sells."""
    return sorted(swaps, key=lambda s: (s.timestamp, s.slot, s.side is not Side.BUY, s.signature))


def _dust(amount: int, dust_fraction: float) -> int:
    value = Decimal(amount) * Decimal(str(dust_fraction))
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def pair_fifo(swaps: Iterable[Swap], dust_fraction: float = 0.01) -> FifoResult:
    """Pair buys and sells of each token first-in first-out."""
    lots: defaultdict[str, deque[_Lot]] = defaultdict(deque)
    closed: list[ClosedTrade] = []
    unmatched: defaultdict[str, int] = defaultdict(int)
    for swap in chronological(swaps):
        queue = lots[swap.token_mint]
        if swap.side is Side.BUY:
            cost = swap.sol_lamports + swap.network_fee_lamports
            queue.append(
                _Lot(
                    token_mint=swap.token_mint,
                    opened_at=swap.timestamp,
                    amount=swap.token_amount,
                    remaining=swap.token_amount,
                    cost_lamports=cost,
                    signature=swap.signature,
                )
            )
            continue
        proceeds = max(0, swap.sol_lamports - swap.network_fee_lamports)
        left, taken = swap.token_amount, 0
        while left > 0 and queue:
            lot = queue[0]
            take = min(left, lot.remaining)
            share = proceeds * (taken + take) // swap.token_amount
            share -= proceeds * taken // swap.token_amount
            lot.sales.append(LotSale(at=swap.timestamp, amount=take, lamports=share))
            lot.remaining -= take
            left -= take
            taken += take
            if lot.remaining <= _dust(lot.amount, dust_fraction):
                queue.popleft()
                closed.append(
                    ClosedTrade(
                        token_mint=lot.token_mint,
                        opened_at=lot.opened_at,
                        closed_at=swap.timestamp,
                        amount=lot.amount,
                        cost_lamports=lot.cost_lamports,
                        proceeds_lamports=sum(s.lamports for s in lot.sales),
                        sales=tuple(lot.sales),
                        buy_signature=lot.signature,
                    )
                )
        if left > 0:
            unmatched[swap.token_mint] += left
    open_lots = tuple(
        OpenLot(
            token_mint=lot.token_mint,
            opened_at=lot.opened_at,
            amount=lot.amount,
            remaining=lot.remaining,
            cost_lamports=lot.cost_lamports,
        )
        for queue in lots.values()
        for lot in queue
    )
    return FifoResult(
        closed=tuple(closed),
        open_lots=open_lots,
        unmatched_sells=tuple(sorted(unmatched.items())),
    )
