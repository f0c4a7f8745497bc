"""Token prices in SOL from sell quotes: what one whole token would fetch right now.

Why quotes: they are the market's own prices for the venue the position exits through
(the simulator's AMM in sim and paper, Jupiter in live); the same `TokenPrices` port can
be backed by Jupiter's price API or DexScreener instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.errors import WallTrackError
from walltrack.execution_ports import WSOL_MINT
from walltrack.logging import get_logger
from walltrack.ports import SwapVenue

_log = get_logger("quote_prices")
LAMPORTS_PER_SOL = Decimal(1_000_000_000)


class QuotePrices:
    """`TokenPrices` from a quote of a small probe amount of each token into SOL."""

    def __init__(
        self,
        venue: SwapVenue,
        runner: AsyncRunner,
        *,
        probe_tokens: int = 1,
        timeout_s: float = 5.0,
    ) -> None:
        self._venue = venue
        self._runner = runner
        self._probe = probe_tokens
        self._timeout = timeout_s

    def prices_sol(self, tokens: Sequence[tuple[str, int]]) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for mint, decimals in tokens:
            amount = self._probe * 10**decimals
            try:
                quote = self._runner.run(
                    lambda mint=mint, amount=amount: self._venue.quote(  # type: ignore[misc]
                        input_mint=mint, output_mint=WSOL_MINT, amount=amount
                    ),
                    self._timeout,
                )
            except (WallTrackError, TimeoutError) as error:
                _log.warning("price_unavailable", mint=mint, error=type(error).__name__)
                continue
            if quote.out_amount > 0:
                found[mint] = Decimal(quote.out_amount) / LAMPORTS_PER_SOL / self._probe
        return found
