"""Copy-tradeability: what a follower would have kept copying a wallet's closed trades.

Why: a wallet that wins by buying in the same block as the launch or flipping within
seconds is not worth following — the follower arrives later and pays the slippage. For
each closed trade the follower spends the same SOL `copy_entry_delay_s` (3 s) after the
wallet's buy at the price then plus `copy_slippage` (5 %), sells the same shares of its
position 3 s after each of the wallet's sells at the price then minus 5 %, and pays
`copy_fee_lamports` per swap. Prices come from a price path (SOL per whole token); a trade
whose prices are unknown is skipped and counted.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from walltrack.domain.fifo import ClosedTrade
from walltrack.domain.params.wallets import ProfilingParams

type PriceAt = Callable[[str, datetime], Decimal | None]
"""Price of a token (SOL per whole token) at a time, or None when unknown."""


def price_path(points: Mapping[str, Sequence[tuple[datetime, Decimal]]]) -> PriceAt:
    """A step price function: the last known price at or before the time asked."""
    paths = {mint: sorted(series) for mint, series in points.items()}
    times = {mint: [at for at, _ in series] for mint, series in paths.items()}

    def price_at(mint: str, at: datetime) -> Decimal | None:
        index = bisect.bisect_right(times.get(mint, []), at) - 1
        return paths[mint][index][1] if index >= 0 else None

    return price_at


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyResult:
    """The follower's outcome over the trades that could be priced."""

    trades: int
    skipped: int
    cost_lamports: int
    pnl_lamports: int
    wallet_pnl_lamports: int  # the wallet's own PnL over the same trades

    @property
    def pnl_ratio(self) -> float | None:
        """Follower PnL over follower cost."""
        return self.pnl_lamports / self.cost_lamports if self.cost_lamports else None

    @property
    def retention(self) -> float | None:
        """Share of the wallet's profit the follower kept (None unless the wallet profited)."""
        if self.wallet_pnl_lamports <= 0:
            return None
        return self.pnl_lamports / self.wallet_pnl_lamports


def copy_trade_pnl(trade: ClosedTrade, price_at: PriceAt, params: ProfilingParams) -> int | None:
    """The follower's PnL in lamports for one trade, None when a price is missing."""
    delay = timedelta(seconds=params.copy_entry_delay_s)
    slip = Decimal(str(params.copy_slippage))
    entry = price_at(trade.token_mint, trade.opened_at + delay)
    if entry is None or entry <= 0:
        return None
    tokens = Decimal(trade.cost_lamports) / (entry * (1 + slip))  # lamports-denominated units
    proceeds = Decimal(0)
    for sale in trade.sales:
        exit_price = price_at(trade.token_mint, sale.at + delay)
        if exit_price is None:
            return None
        share = Decimal(sale.amount) / Decimal(trade.amount)
        proceeds += tokens * share * exit_price * (1 - slip)
    fees = params.copy_fee_lamports * (1 + len(trade.sales))
    kept = int(proceeds.to_integral_value(rounding=ROUND_FLOOR))
    return kept - trade.cost_lamports - fees


def copy_tradeability(
    trades: Sequence[ClosedTrade], price_at: PriceAt, params: ProfilingParams
) -> CopyResult:
    """What a late, slipped, fee-paying follower would have made on `trades`."""
    counted = skipped = cost = pnl = wallet_pnl = 0
    for trade in trades:
        result = copy_trade_pnl(trade, price_at, params)
        if result is None:
            skipped += 1
            continue
        counted += 1
        cost += trade.cost_lamports
        pnl += result
        wallet_pnl += trade.pnl_lamports
    return CopyResult(
        trades=counted,
        skipped=skipped,
        cost_lamports=cost,
        pnl_lamports=pnl,
        wallet_pnl_lamports=wallet_pnl,
    )
