"""Retail noise: many small wallets trading a token towards the crowd's appetite.

Why this drives prices: the token's script says what multiple the crowd would pay; each
retail trade leans buy when the price is below it and sell when above, so the price path
emerges from trades alone, with noise, and a fate is only a tendency.
"""

from __future__ import annotations

import math

from walltrack.sim.agents.base import WorldContext
from walltrack.sim.tokens import SimToken

_MIN_LAMPORTS = 20_000_000


class RetailCrowd:
    """The retail population and one trade process per live token."""

    def __init__(self, ctx: WorldContext) -> None:
        self.ctx = ctx
        params = ctx.params
        self.wallets = [ctx.keys.wallet("retail", i) for i in range(params.retail_wallets)]
        ledger = ctx.market.ledger
        for wallet in self.wallets:
            ledger.credit(wallet, ctx.lognormal_lamports(params.retail_median_sol, 0.9, 400.0))
        ctx.roles.retail.extend(self.wallets)
        ctx.launch_observers.append(self._on_launch)

    def _on_launch(self, token: SimToken) -> None:
        self.ctx.sched.after(self.ctx.rng.uniform(0.8, 3.0), self._trade, token)

    def _trade(self, token: SimToken) -> None:
        ctx = self.ctx
        now = ctx.sched.now
        script = token.script
        tau = now - token.launch_t
        rate = script.trade_rate(tau)
        if rate <= 0.0:
            return
        rng = ctx.rng
        gap = math.log(script.target_multiple(tau) * token.launch_price / token.price())
        buy_probability = 0.5 + 0.42 * math.tanh(1.6 * gap)
        if rng.random() < buy_probability or not token.retail_holders:
            self._buy(token, now)
        else:
            self._sell(token, now)
        ctx.sched.at(now + rng.expovariate(rate), self._trade, token)

    def _buy(self, token: SimToken, now: float) -> None:
        ctx = self.ctx
        rng = ctx.rng
        sol = ctx.market.ledger.sol
        wallet = rng.choice(self.wallets)
        balance = sol.get(wallet, 0)
        if balance < _MIN_LAMPORTS * 5:
            return
        size = ctx.lognormal_lamports(token.script.buy_median_sol, 0.85, 25.0)
        size = min(size, balance // 3)
        if size < _MIN_LAMPORTS:
            return
        fresh = ctx.market.ledger.tokens(wallet, token.mint) == 0
        event = ctx.market.buy(
            now, wallet, token.mint, size, priority_fee=int(rng.random() * 200_000)
        )
        if event is not None and fresh:
            token.retail_holders.append(wallet)

    def _sell(self, token: SimToken, now: float) -> None:
        ctx = self.ctx
        rng = ctx.rng
        holders = token.retail_holders
        ledger = ctx.market.ledger
        for _ in range(3):
            if not holders:
                return
            slot = rng.randrange(len(holders))
            wallet = holders[slot]
            held = ledger.tokens(wallet, token.mint)
            if held <= 0:
                holders[slot] = holders[-1]
                holders.pop()
                continue
            amount = held if rng.random() < 0.5 else int(held * rng.uniform(0.25, 0.9))
            ctx.market.sell(
                now, wallet, token.mint, max(amount, 1), priority_fee=int(rng.random() * 200_000)
            )
            return
