"""Wallets that copy another wallet's swaps a few seconds later: cluster followers (funded
by their cluster's funder) and copy-farmers (funded by exchanges, copying a smart wallet).

Why both: they look alike in the swap stream (synced buys), and only the funding graph
tells a coordinated cluster from strangers copying the same star.
"""

from __future__ import annotations

from walltrack.sim.agents.base import ClusterRecord, WorldContext
from walltrack.sim.agents.smart import SmartTrader
from walltrack.sim.events import SwapEvent
from walltrack.sim.tokens import SimToken


class Follower:
    """Mirrors `target`'s buys and sells after a delay, at its own size."""

    def __init__(
        self,
        ctx: WorldContext,
        wallet: str,
        target: str,
        delay_s: tuple[float, float],
        size_factor: tuple[float, float],
    ) -> None:
        self.ctx = ctx
        self.wallet = wallet
        self.delay_s = delay_s
        self.size_factor = size_factor
        self.priority = ctx.rng.randrange(50_000, 400_000)
        ctx.watch(target, self._on_target_swap)

    def _on_target_swap(self, event: SwapEvent) -> None:
        ctx = self.ctx
        token = ctx.market.tokens[event.mint]
        delay = ctx.rng.uniform(*self.delay_s)
        if event.is_buy:
            gross = int(
                (event.sol + event.protocol_fee + event.creator_fee)
                * ctx.rng.uniform(*self.size_factor)
            )
            ctx.sched.after(delay, self._buy, (token, gross))
        else:
            fraction = event.tokens / event.tokens_before if event.tokens_before else 1.0
            ctx.sched.after(delay, self._sell, (token, fraction))

    def _buy(self, job: tuple[SimToken, int]) -> None:
        token, gross = job
        self.ctx.market.buy(
            self.ctx.sched.now, self.wallet, token.mint, gross, priority_fee=self.priority
        )

    def _sell(self, job: tuple[SimToken, float]) -> None:
        token, fraction = job
        ctx = self.ctx
        held = ctx.market.ledger.tokens(self.wallet, token.mint)
        amount = held if fraction > 0.97 else int(held * fraction)
        if amount > 0:
            ctx.market.sell(
                ctx.sched.now, self.wallet, token.mint, amount, priority_fee=self.priority
            )


def build_clusters(ctx: WorldContext, exchanges: list[str]) -> list[SmartTrader]:
    """Funders, leaders and followers; members are funded by their funder early on."""
    params = ctx.params
    rng = ctx.rng
    leaders: list[SmartTrader] = []
    member_index = 0
    for number in range(params.clusters):
        funder = ctx.keys.wallet("funder", number)
        size = rng.randint(*params.cluster_size)
        members = [ctx.keys.wallet("member", member_index + i) for i in range(size)]
        member_index += size
        funding = [ctx.lamports(*params.member_funding_sol) for _ in members]
        ctx.market.ledger.credit(funder, sum(funding) + 10 * 10**9)
        ctx.sched.at(rng.uniform(0.0, 5.0), _fund, (ctx, rng.choice(exchanges), funder, 10**9))
        for member, amount in zip(members, funding, strict=True):
            ctx.sched.at(
                rng.uniform(5.0, params.fund_window_s), _fund, (ctx, funder, member, amount)
            )
        leader = members[0]
        skill = rng.uniform(*params.cluster_leader_skill)
        leaders.append(SmartTrader(ctx, leader, skill, (1.0, 4.0)))
        for follower in members[1:]:
            Follower(ctx, follower, leader, params.follower_delay_s, (0.5, 1.3))
        ctx.roles.clusters.append(
            ClusterRecord(f"cluster-{number}", "copy_group", funder, leader, members, skill)
        )
    return leaders


def build_copy_farmers(ctx: WorldContext, targets: list[str], exchanges: list[str]) -> None:
    """Copy-farmers: each copies one smart wallet; funded by an exchange, not a funder."""
    params = ctx.params
    rng = ctx.rng
    for number in range(params.copy_farmers if targets else 0):
        wallet = ctx.keys.wallet("copy", number)
        target = targets[number % len(targets)]
        ctx.sched.at(
            rng.uniform(0.0, params.fund_window_s),
            _fund,
            (ctx, rng.choice(exchanges), wallet, ctx.lamports(5.0, 25.0)),
        )
        Follower(ctx, wallet, target, params.copy_delay_s, (0.1, 0.4))
        ctx.roles.copy_farmers[wallet] = target


def _fund(job: tuple[WorldContext, str, str, int]) -> None:
    ctx, source, destination, lamports = job
    ctx.market.transfer(ctx.sched.now, source, destination, lamports)
