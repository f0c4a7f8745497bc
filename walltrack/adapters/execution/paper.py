"""Paper execution: fills against the market's real quotes into a paper ledger.

Why: paper mode must size from a balance that moves with every trade and fill at prices a
real order would have got. Each attempt asks Jupiter (the simulator's or the real one) for a
quote of the exact amount: the quoted amount already carries the price impact; the fill
takes a further `slippage` (1 %) off it for the market moving during the latency, which the
caller waits on its own clock (`latency_s`, 3 s) before the attempt runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.errors import RejectedByVenueError
from walltrack.execution_ports import WSOL_MINT, OnSigned, SwapFill, SwapRequest
from walltrack.ports import SwapVenue

VENUE = "paper"
PAPER_LATENCY_S = 3.0
"""The modelled delay between an order and its fill attempt (the issue's default)."""


@dataclass
class PaperLedger:
    """SOL and token balances of the paper wallet, and every fill by attempt key."""

    lamports: int
    tokens: dict[str, int] = field(default_factory=dict)
    fills: dict[str, SwapFill] = field(default_factory=dict)


class PaperExecution:
    """`Execution` against quotes from `venue`, settled in a paper ledger."""

    mode = "paper"

    def __init__(
        self,
        venue: SwapVenue,
        runner: AsyncRunner,
        *,
        starting_lamports: int,
        latency_s: float = PAPER_LATENCY_S,
        slippage: Decimal = Decimal("0.01"),
        fee_lamports: int = 5_000,
        quote_timeout_s: float = 5.0,
        decimals_of: Callable[[str], int] = lambda _mint: 6,
        held_tokens: Mapping[str, int] | None = None,
        restore: Callable[[], tuple[int, Mapping[str, int]]] | None = None,
    ) -> None:
        self._restore = restore
        self._decimals_of = decimals_of
        self._venue = venue
        self._runner = runner
        self._latency_s = latency_s
        self._slippage = slippage
        self._fee = fee_lamports
        self._timeout = quote_timeout_s
        self._lock = threading.Lock()
        self.ledger = PaperLedger(lamports=starting_lamports, tokens=dict(held_tokens or {}))

    @property
    def latency_s(self) -> float:
        return self._latency_s

    def _restored(self) -> None:
        """Rebuild the ledger from the stores on first use (they open after wiring)."""
        with self._lock:
            restore, self._restore = self._restore, None
            if restore is not None:
                lamports, tokens = restore()
                self.ledger.lamports, self.ledger.tokens = lamports, dict(tokens)

    def execute(self, request: SwapRequest, on_signed: OnSigned) -> SwapFill:
        self._restored()
        with self._lock:
            done = self.ledger.fills.get(request.attempt_key)
        if done is not None:
            return done  # the same attempt again: never fill twice
        quote = self._runner.run(
            lambda: self._venue.quote(
                input_mint=request.input_mint,
                output_mint=request.output_mint,
                amount=request.amount_in,
            ),
            self._timeout,
        )
        kept = Decimal(quote.out_amount) * (1 - self._slippage)
        out_amount = int(kept.to_integral_value(rounding=ROUND_FLOOR))
        signature = f"paper-{request.attempt_key}"
        on_signed(signature)
        fee = self._fee + request.priority_fee_lamports
        with self._lock:
            self._settle(request, out_amount, fee)
            fill = SwapFill(
                tx_signature=signature,
                in_amount=request.amount_in,
                out_amount=out_amount,
                fee_lamports=fee,
                token_decimals=self._decimals_of(_token_side(request)),
            )
            self.ledger.fills[request.attempt_key] = fill
        return fill

    def _settle(self, request: SwapRequest, out_amount: int, fee: int) -> None:
        ledger = self.ledger
        if request.input_mint == WSOL_MINT:
            if ledger.lamports < request.amount_in + fee:
                raise RejectedByVenueError(VENUE, "InsufficientFunds", "paper balance too low")
            ledger.lamports -= request.amount_in + fee
            mint = request.output_mint
            ledger.tokens[mint] = ledger.tokens.get(mint, 0) + out_amount
            return
        held = ledger.tokens.get(request.input_mint, 0)
        if held < request.amount_in:
            raise RejectedByVenueError(VENUE, "InsufficientFunds", "paper tokens too low")
        ledger.tokens[request.input_mint] = held - request.amount_in
        ledger.lamports += out_amount - fee

    def recover(self, request: SwapRequest, tx_signature: str | None) -> SwapFill | None:
        self._restored()
        with self._lock:
            return self.ledger.fills.get(request.attempt_key)

    def balance_lamports(self) -> int:
        self._restored()
        with self._lock:
            return self.ledger.lamports

    def token_balances(self) -> Mapping[str, int]:
        self._restored()
        with self._lock:
            return {mint: amount for mint, amount in self.ledger.tokens.items() if amount}


def _token_side(request: SwapRequest) -> str:
    return request.output_mint if request.input_mint == WSOL_MINT else request.input_mint
