"""What a swap against a token's curve or pool would give right now, without applying it.

Why one function: the fake Jupiter quotes with it and the fake RPC checks slippage and
funds with it, so a quote and the execution a moment later use the same arithmetic.
"""

from __future__ import annotations

from typing import NamedTuple

from walltrack.sim.amm import PoolFill
from walltrack.sim.tokens import SimToken


class RouteQuote(NamedTuple):
    """`out` is raw tokens for a buy, lamports to the seller for a sell; `fee` counts the
    protocol, creator and LP fees in lamports; `spent` is the input actually used."""

    out: int
    fee: int
    spent: int
    spot_out: float


def quote_route(token: SimToken, *, is_buy: bool, amount: int) -> RouteQuote:
    """Quote a swap of `amount` (lamports to buy with, or raw tokens to sell)."""
    pool, curve = token.pool, token.curve
    if pool is not None:
        reserve_sol, reserve_tokens = pool.sol_reserve, pool.token_reserve
    else:
        reserve_sol, reserve_tokens = curve.virtual_sol, curve.virtual_tokens
    if is_buy:
        fill = pool.quote_buy(amount) if pool is not None else curve.quote_buy(amount)
        fee = fill.fees + (fill.lp_fee if isinstance(fill, PoolFill) else 0)
        spot = (amount - fee) * reserve_tokens / reserve_sol
        return RouteQuote(fill.tokens, fee, fill.sol + fill.fees, spot)
    sold = pool.quote_sell(amount) if pool is not None else curve.quote_sell(amount)
    fee = sold.fees + (sold.lp_fee if isinstance(sold, PoolFill) else 0)
    spot = amount * reserve_sol / reserve_tokens - fee
    return RouteQuote(sold.sol - sold.fees, fee, amount, spot)
