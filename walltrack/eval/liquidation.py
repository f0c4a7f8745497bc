"""What the tokens still held at the end of a paper run would fetch, sold right then.

Why: a paper run lasts an hour of market time while the default strategy (Balanced) holds
a position up to 168 h, so only a few positions close inside a run and realised PnL alone
is mostly noise (which position happened to hit its stop or its ladder before the end).
Both runs of the evaluation are therefore also valued the same way at their end: every
position still holding tokens is sold, on paper, through the paper executor itself (a sell
quote of the exact amount from the market's Jupiter, 1 % slippage off it, the network
fee), with no priority fee. A token nobody will quote (a rugged pool) fetches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.execution.paper import PaperExecution
from walltrack.adapters.postgres.run_summary import RunPosition
from walltrack.errors import WallTrackError
from walltrack.execution_ports import WSOL_MINT, SwapRequest
from walltrack.logging import get_logger
from walltrack.ports import SwapVenue

_log = get_logger("eval_liquidation")
SLIPPAGE_BPS = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class Liquidation:
    """Each open position's value sold now (lamports, after slippage and fee; >= 0)."""

    values: dict[str, int]  # position id -> lamports
    unpriced: int  # open positions no venue would quote (valued 0)

    @property
    def value_lamports(self) -> int:
        """What selling everything still held would fetch."""
        return sum(self.values.values())


def unrealised_pnl_lamports(positions: Sequence[RunPosition], sold: Liquidation) -> int:
    """The liquidation value of the open positions less the entry cost of what they hold."""
    return sum(
        sold.values.get(p.position_id, 0) - p.remaining_cost_lamports
        for p in positions
        if p.is_open
    )


def liquidate(
    venue: SwapVenue, positions: Sequence[RunPosition], runner: AsyncRunner
) -> Liquidation:
    """Sell, on a private paper ledger, what every open position holds; what each fetched."""
    held: dict[str, int] = {}
    for position in positions:
        if position.is_open:
            held[position.token_mint] = held.get(position.token_mint, 0) + position.remaining_amount
    paper = PaperExecution(venue, runner, starting_lamports=0, latency_s=0.0, held_tokens=held)
    values: dict[str, int] = {}
    unpriced = 0
    for position in positions:
        if not position.is_open:
            continue
        request = SwapRequest(
            attempt_key=f"liquidate-{position.position_id}",
            input_mint=position.token_mint,
            output_mint=WSOL_MINT,
            amount_in=position.remaining_amount,
            slippage_bps=SLIPPAGE_BPS,
            priority_fee_lamports=0,
        )
        try:
            fill = paper.execute(request, lambda _signature: None)
        except (WallTrackError, TimeoutError) as error:
            _log.warning(
                "liquidation_unpriced", mint=position.token_mint, error=type(error).__name__
            )
            unpriced += 1
            values[position.position_id] = 0
            continue
        values[position.position_id] = max(0, fill.out_amount - fill.fee_lamports)
    return Liquidation(values=values, unpriced=unpriced)
