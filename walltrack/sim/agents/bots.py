"""Bots: snipers that buy in the first seconds and flip, and flippers that churn a token
with thousands of tiny round trips.

Why they matter: they dominate early buyers and trade counts; profiling must flag them
(flash flips, >= 2000 trades) rather than mistake them for smart money.
"""

from __future__ import annotations

from walltrack.sim.agents.base import WorldContext
from walltrack.sim.tokens import SimToken


class Sniper:
    """Buys within the first two seconds of a launch, sells seconds to a minute later."""

    def __init__(self, ctx: WorldContext, wallet: str) -> None:
        self.ctx = ctx
        self.wallet = wallet
        self.priority = ctx.rng.randrange(1_000_000, 4_000_000)
        ctx.launch_observers.append(self._on_launch)
        ctx.roles.bots[wallet] = "sniper"

    def _on_launch(self, token: SimToken) -> None:
        ctx = self.ctx
        if ctx.rng.random() < ctx.params.sniper_share:
            ctx.sched.after(ctx.rng.uniform(0.4, 2.0), self._buy, token)

    def _buy(self, token: SimToken) -> None:
        ctx = self.ctx
        if (
            ctx.market.buy(
                ctx.sched.now,
                self.wallet,
                token.mint,
                ctx.lamports(0.3, 2.0),
                priority_fee=self.priority,
                venue="PUMP_FUN",
            )
            is not None
        ):
            ctx.sched.after(ctx.rng.uniform(2.0, 60.0), self._sell, token)

    def _sell(self, token: SimToken) -> None:
        ctx = self.ctx
        held = ctx.market.ledger.tokens(self.wallet, token.mint)
        if held > 0:
            ctx.market.sell(
                ctx.sched.now, self.wallet, token.mint, held, priority_fee=self.priority
            )


class Flipper:
    """Round-trips small amounts on active tokens every few seconds (volume bot)."""

    def __init__(self, ctx: WorldContext, wallet: str) -> None:
        self.ctx = ctx
        self.wallet = wallet
        self.priority = ctx.rng.randrange(500_000, 2_000_000)
        self._until: dict[str, float] = {}
        ctx.launch_observers.append(self._on_launch)
        ctx.roles.bots[wallet] = "flipper"

    def _on_launch(self, token: SimToken) -> None:
        ctx = self.ctx
        if ctx.rng.random() >= ctx.params.flipper_share:
            return
        start = ctx.rng.uniform(3.0, 60.0)
        self._until[token.mint] = token.launch_t + min(
            token.script.end_tau, start + ctx.rng.uniform(300, 1800)
        )
        ctx.sched.after(start, self._buy, token)

    def _buy(self, token: SimToken) -> None:
        ctx = self.ctx
        now = ctx.sched.now
        if now > self._until.get(token.mint, 0.0):
            self._until.pop(token.mint, None)
            return
        if (
            ctx.market.buy(
                now, self.wallet, token.mint, ctx.lamports(0.05, 0.4), priority_fee=self.priority
            )
            is not None
        ):
            ctx.sched.after(ctx.rng.uniform(0.8, 4.0), self._sell, token)
        else:
            ctx.sched.after(ctx.rng.uniform(2.0, 12.0), self._buy, token)

    def _sell(self, token: SimToken) -> None:
        ctx = self.ctx
        held = ctx.market.ledger.tokens(self.wallet, token.mint)
        if held > 0:
            ctx.market.sell(
                ctx.sched.now, self.wallet, token.mint, held, priority_fee=self.priority
            )
        ctx.sched.after(ctx.rng.uniform(2.0, 12.0), self._buy, token)
