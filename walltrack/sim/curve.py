"""The pump.fun bonding curve: constant product on virtual reserves, exact integer math.

Why integers: real trades are computed by the on-chain program in u64/u128 arithmetic, and
the tests check our numbers against the reference's worked example to the last raw unit.
"""

from __future__ import annotations

from typing import NamedTuple

from walltrack.sim.constants import (
    BPS,
    CURVE_CREATOR_FEE_BPS,
    CURVE_PROTOCOL_FEE_BPS,
    INITIAL_REAL_TOKEN_RESERVES,
    INITIAL_VIRTUAL_SOL_RESERVES,
    INITIAL_VIRTUAL_TOKEN_RESERVES,
)


class CurveFill(NamedTuple):
    """What one trade on the curve moves. `sol` is what enters (buy) or leaves (sell) the
    curve; the fees are paid on top of a buy and taken out of a sell."""

    sol: int
    tokens: int
    protocol_fee: int
    creator_fee: int

    @property
    def fees(self) -> int:
        """Protocol plus creator fee in lamports."""
        return self.protocol_fee + self.creator_fee


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class BondingCurve:
    """State of one token's curve. Virtual and real reserves move by the same amounts."""

    __slots__ = (
        "complete",
        "creator_fee_bps",
        "protocol_fee_bps",
        "real_sol",
        "real_tokens",
        "virtual_sol",
        "virtual_tokens",
    )

    def __init__(
        self,
        *,
        virtual_sol: int = INITIAL_VIRTUAL_SOL_RESERVES,
        virtual_tokens: int = INITIAL_VIRTUAL_TOKEN_RESERVES,
        real_sol: int = 0,
        real_tokens: int = INITIAL_REAL_TOKEN_RESERVES,
        protocol_fee_bps: int = CURVE_PROTOCOL_FEE_BPS,
        creator_fee_bps: int = CURVE_CREATOR_FEE_BPS,
    ) -> None:
        self.virtual_sol = virtual_sol
        self.virtual_tokens = virtual_tokens
        self.real_sol = real_sol
        self.real_tokens = real_tokens
        self.protocol_fee_bps = protocol_fee_bps
        self.creator_fee_bps = creator_fee_bps
        self.complete = real_tokens == 0

    @property
    def fee_bps(self) -> int:
        """Total fee rate (protocol + creator)."""
        return self.protocol_fee_bps + self.creator_fee_bps

    def price(self) -> float:
        """Spot price in SOL per whole token (display only, never for money)."""
        return (self.virtual_sol / 1e9) / (self.virtual_tokens / 1e6)

    def quote_buy(self, gross_lamports: int) -> CurveFill:
        """A buy paying `gross_lamports` fee-inclusive; capped at the real token reserves."""
        net = gross_lamports * BPS // (BPS + self.fee_bps)
        tokens = net * self.virtual_tokens // (self.virtual_sol + net)
        if tokens >= self.real_tokens:
            return self.quote_buy_exact(self.real_tokens)
        creator = _ceil_div(net * self.creator_fee_bps, BPS)
        return CurveFill(net, tokens, gross_lamports - net - creator, creator)

    def quote_buy_exact(self, tokens: int) -> CurveFill:
        """The cost of exactly `tokens` raw units (the capped last buy uses this)."""
        tokens = min(tokens, self.real_tokens)
        if tokens <= 0:
            return CurveFill(0, 0, 0, 0)
        cost = tokens * self.virtual_sol // (self.virtual_tokens - tokens) + 1
        protocol = _ceil_div(cost * self.protocol_fee_bps, BPS)
        creator = _ceil_div(cost * self.creator_fee_bps, BPS)
        return CurveFill(cost, tokens, protocol, creator)

    def quote_sell(self, tokens: int) -> CurveFill:
        """A sell of `tokens`: `sol` leaves the curve, the seller gets `sol - fees`."""
        out = tokens * self.virtual_sol // (self.virtual_tokens + tokens)
        out = min(out, self.real_sol)
        total = _ceil_div(out * self.fee_bps, BPS)
        creator = _ceil_div(out * self.creator_fee_bps, BPS)
        return CurveFill(out, tokens, total - creator, creator)

    def apply_buy(self, fill: CurveFill) -> None:
        """Move the reserves for a quoted buy; completes the curve when it is sold out."""
        self.virtual_sol += fill.sol
        self.real_sol += fill.sol
        self.virtual_tokens -= fill.tokens
        self.real_tokens -= fill.tokens
        if self.real_tokens == 0:
            self.complete = True

    def apply_sell(self, fill: CurveFill) -> None:
        """Move the reserves for a quoted sell."""
        self.virtual_sol -= fill.sol
        self.real_sol -= fill.sol
        self.virtual_tokens += fill.tokens
        self.real_tokens += fill.tokens
