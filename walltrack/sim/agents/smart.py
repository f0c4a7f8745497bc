"""Smart wallets (and cluster leaders): skilled at entering future runners early and
selling near the peak.

Why skill as a probability: a smart wallet is not an oracle; it enters good tokens more
often than bad ones and times its exit around the peak with a noise that shrinks with
skill, which is exactly the signal wallet profiling should recover.
"""

from __future__ import annotations

from walltrack.sim.agents.base import WorldContext
from walltrack.sim.tokens import SimToken


class SmartTrader:
    """One skilled wallet: decides on each launch, enters, watches, exits."""

    def __init__(
        self,
        ctx: WorldContext,
        wallet: str,
        skill: float,
        size_sol: tuple[float, float] = (0.5, 3.0),
    ) -> None:
        self.ctx = ctx
        self.wallet = wallet
        self.skill = skill
        self.size_sol = size_sol
        self.priority = ctx.rng.randrange(100_000, 600_000)
        self._plans: dict[str, tuple[float, float]] = {}
        ctx.launch_observers.append(self._on_launch)

    def _on_launch(self, token: SimToken) -> None:
        ctx = self.ctx
        rng = ctx.rng
        script = token.script
        good = script.fate in ("fade", "runner")
        chance = 0.75 * self.skill if good else 0.25 * (1.0 - self.skill) + 0.01
        if rng.random() >= chance:
            return
        latest = min(240.0, 0.3 * script.peak_tau)
        ctx.sched.after(rng.uniform(6.0, max(8.0, latest)), self._enter, token)

    def _enter(self, token: SimToken) -> None:
        ctx = self.ctx
        rng = ctx.rng
        now = ctx.sched.now
        gross = ctx.lamports(*self.size_sol)
        event = ctx.market.buy(now, self.wallet, token.mint, gross, priority_fee=self.priority)
        if event is None:
            return
        script = token.script
        noise = rng.gauss(0.0, (1.0 - self.skill) * 0.35)
        exit_t = token.launch_t + script.peak_tau * max(0.5, 1.0 + noise)
        if script.rug_tau is not None and rng.random() < self.skill:
            exit_t = min(exit_t, token.launch_t + script.rug_tau - rng.uniform(3.0, 40.0))
        entry_price = token.price()
        self._plans[token.mint] = (max(exit_t, now + 20.0), entry_price * 0.6)
        ctx.sched.after(rng.uniform(5.0, 15.0), self._watch, token)

    def _watch(self, token: SimToken) -> None:
        ctx = self.ctx
        plan = self._plans.get(token.mint)
        if plan is None:
            return
        exit_t, stop_price = plan
        now = ctx.sched.now
        if now >= exit_t or token.price() < stop_price:
            self._sell_fraction(token, 0.6 if now >= exit_t else 1.0)
            if self.ctx.market.ledger.tokens(self.wallet, token.mint) > 0:
                ctx.sched.after(ctx.rng.uniform(10.0, 60.0), self._sell_rest, token)
            self._plans.pop(token.mint, None)
            return
        ctx.sched.after(ctx.rng.uniform(5.0, 15.0), self._watch, token)

    def _sell_rest(self, token: SimToken) -> None:
        self._sell_fraction(token, 1.0)

    def _sell_fraction(self, token: SimToken, fraction: float) -> None:
        ctx = self.ctx
        held = ctx.market.ledger.tokens(self.wallet, token.mint)
        amount = held if fraction >= 1.0 else int(held * fraction)
        if amount > 0:
            ctx.market.sell(
                ctx.sched.now, self.wallet, token.mint, amount, priority_fee=self.priority
            )
