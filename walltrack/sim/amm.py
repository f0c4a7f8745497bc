"""The PumpSwap-style pool a token graduates to: x*y=k on real reserves, fees in SOL.

Why fees in SOL on both sides: PumpSwap charges its LP, protocol and creator fees on the
quote (SOL) leg, so a classifier sees token legs that are exactly the pool's token moves.
"""

from __future__ import annotations

from typing import NamedTuple

from walltrack.sim.constants import (
    BPS,
    POOL_CREATOR_FEE_BPS,
    POOL_LP_FEE_BPS,
    POOL_PROTOCOL_FEE_BPS,
)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class PoolFill(NamedTuple):
    """One pool trade. `sol` is what enters (buy) or leaves (sell) the pool's SOL vault,
    LP fee included; protocol and creator fees are paid on top of a buy, out of a sell."""

    sol: int
    tokens: int
    protocol_fee: int
    creator_fee: int
    lp_fee: int

    @property
    def fees(self) -> int:
        """Protocol plus creator fee: what leaves the trade besides the pool vault."""
        return self.protocol_fee + self.creator_fee


class ConstantProductPool:
    """Reserves of one pool, in lamports and raw token units."""

    __slots__ = ("sol_reserve", "token_reserve")

    def __init__(self, sol_reserve: int, token_reserve: int) -> None:
        if sol_reserve <= 0 or token_reserve <= 0:
            msg = "a pool needs both reserves"
            raise ValueError(msg)
        self.sol_reserve = sol_reserve
        self.token_reserve = token_reserve

    def price(self) -> float:
        """Spot price in SOL per whole token (display only)."""
        return (self.sol_reserve / 1e9) / (self.token_reserve / 1e6)

    def quote_buy(self, gross_lamports: int) -> PoolFill:
        """Spend `gross_lamports` (all fees included) on tokens."""
        lp = _ceil_div(gross_lamports * POOL_LP_FEE_BPS, BPS)
        protocol = _ceil_div(gross_lamports * POOL_PROTOCOL_FEE_BPS, BPS)
        creator = _ceil_div(gross_lamports * POOL_CREATOR_FEE_BPS, BPS)
        net = gross_lamports - lp - protocol - creator
        if net <= 0:
            return PoolFill(0, 0, 0, 0, 0)
        tokens = net * self.token_reserve // (self.sol_reserve + net)
        return PoolFill(net + lp, tokens, protocol, creator, lp)

    def quote_sell(self, tokens: int) -> PoolFill:
        """Sell `tokens`; the seller receives `sol - fees`, the LP fee stays in the pool."""
        out = tokens * self.sol_reserve // (self.token_reserve + tokens)
        lp = _ceil_div(out * POOL_LP_FEE_BPS, BPS)
        protocol = _ceil_div(out * POOL_PROTOCOL_FEE_BPS, BPS)
        creator = _ceil_div(out * POOL_CREATOR_FEE_BPS, BPS)
        if out - lp - protocol - creator <= 0:
            return PoolFill(0, tokens, 0, 0, 0)
        return PoolFill(out - lp, tokens, protocol, creator, lp)

    def apply_buy(self, fill: PoolFill) -> None:
        """Move the reserves for a quoted buy."""
        self.sol_reserve += fill.sol
        self.token_reserve -= fill.tokens

    def apply_sell(self, fill: PoolFill) -> None:
        """Move the reserves for a quoted sell."""
        self.sol_reserve -= fill.sol
        self.token_reserve += fill.tokens
