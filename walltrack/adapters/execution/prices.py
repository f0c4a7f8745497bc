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
    """`TokenPrices` from quotes: buy `probe_lamports` worth, then price selling that many.

    Why two quotes: the sell side is what a position would fetch, and a probe sized in SOL
    keeps the price exact to many digits whatever a token's unit price is.
    """

    def __init__(
        self,
        venue: SwapVenue,
        runner: AsyncRunner,
        *,
        probe_lamports: int = 10_000_000,
        timeout_s: float = 5.0,
    ) -> None:
        self._venue = venue
        self._runner = runner
        self._probe = probe_lamports
        self._timeout = timeout_s

    def prices_sol(self, tokens: Sequence[tuple[str, int]]) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for mint, decimals in tokens:
            try:
                price = self._runner.run(lambda mint=mint: self._price(mint), self._timeout * 2)  # type: ignore[misc]
            except (WallTrackError, TimeoutError) as error:
                _log.warning("price_unavailable", mint=mint, error=type(error).__name__)
                continue
            if price is not None:
                found[mint] = price * Decimal(10**decimals)
        return found

    async def _price(self, mint: str) -> Decimal | None:
        """SOL per raw unit."""
        bought = await self._venue.quote(input_mint=WSOL_MINT, output_mint=mint, amount=self._probe)
        if bought.out_amount <= 0:
            return None
        sold = await self._venue.quote(
            input_mint=mint, output_mint=WSOL_MINT, amount=bought.out_amount
        )
        return Decimal(sold.out_amount) / LAMPORTS_PER_SOL / Decimal(bought.out_amount)
