"""Token launches: dev wallets create tokens, buy first, bring insiders, and dump.

Why devs are a pool: serial launchers are the norm on pump.fun, and a dev that rugs funds
the same insider wallets again and again, which is what wallet clustering should see.
"""

from __future__ import annotations

from walltrack.sim.agents.base import ClusterRecord, WorldContext
from walltrack.sim.constants import BASE_FEE, MINT_RENT, WSOL_MINT
from walltrack.sim.fates import Fate, TokenScript, draw_script
from walltrack.sim.keys import (
    KeyFactory,
    bonding_curve_address,
    creator_vault_address,
    pool_address,
)
from walltrack.sim.tokens import SimToken, token_name

_DEV_PRIORITY = 400_000
_INSIDER_RESERVE = 60_000_000
_CREATE_FEE = BASE_FEE + _DEV_PRIORITY + MINT_RENT + 3_000_000


class Launcher:
    """Schedules launches (a Poisson process) and plays the dev and insider parts."""

    def __init__(self, ctx: WorldContext) -> None:
        self.ctx = ctx
        params = ctx.params
        self.honest_devs: list[str] = []
        self.rug_devs: list[str] = []
        self._insider_pools: dict[str, list[str]] = {}
        self._insider_count = 0
        self._vaults: dict[str, str] = {}
        for i in range(params.dev_wallets):
            dev = ctx.keys.wallet("dev", i)
            rugger = i % 3 == 0
            ctx.market.ledger.credit(
                dev, ctx.lamports(200, 600) if rugger else ctx.lamports(60, 250)
            )
            (self.rug_devs if rugger else self.honest_devs).append(dev)
            ctx.roles.devs[dev] = []
        names = [name for name, _ in params.fate_weights]
        weights = [weight for _, weight in params.fate_weights]
        self._fates: tuple[list[Fate], list[float]] = (names, weights)
        self._count = 0
        ctx.sched.at(params.first_launch_s - 30.0, self._prepare)

    def _next_fate(self) -> Fate:
        names, weights = self._fates
        return self.ctx.rng.choices(names, weights)[0]

    def _insiders_of(self, dev: str, count: int) -> list[str]:
        pool = self._insider_pools.setdefault(dev, [])
        while len(pool) < count:
            wallet = self.ctx.keys.wallet("insider", self._insider_count)
            self._insider_count += 1
            pool.append(wallet)
            self.ctx.roles.insiders[wallet] = dev
        chosen = self.ctx.rng.sample(pool, count)
        self._record_group(dev, pool)
        return chosen

    def _record_group(self, dev: str, pool: list[str]) -> None:
        roles = self.ctx.roles
        for record in roles.clusters:
            if record.cluster_id == f"insiders-{dev[:8]}":
                record.members = [dev, *pool]
                return
        if len(pool) >= 2:
            roles.clusters.append(
                ClusterRecord(f"insiders-{dev[:8]}", "insider", dev, dev, [dev, *pool])
            )

    def _prepare(self, _: object) -> None:
        """Thirty seconds before a launch: pick the dev, fund the insiders, schedule it."""
        ctx = self.ctx
        fate = self._next_fate()
        script = draw_script(ctx.rng, fate)
        devs = self.rug_devs if fate == "rug" else self.honest_devs
        dev = ctx.rng.choice(devs)
        insiders = self._insiders_of(dev, script.insider_count) if script.insider_count else []
        low, high = (2.0, 5.0) if script.rug_tau is not None else (0.4, 2.0)
        buys = [(insider, ctx.lamports(low, high)) for insider in insiders]
        for offset, (insider, amount) in enumerate(buys):
            funding = amount + _INSIDER_RESERVE
            ctx.sched.after(1.0 + offset * 2.0, self._fund, (dev, insider, funding))
        ctx.sched.after(30.0, self._launch, (dev, script, buys))
        ctx.sched.after(
            30.0 + ctx.rng.expovariate(1.0 / ctx.params.launch_interval_s), self._prepare
        )

    def _fund(self, job: tuple[str, str, int]) -> None:
        dev, insider, amount = job
        self.ctx.market.transfer(self.ctx.sched.now, dev, insider, amount)

    def _launch(self, job: tuple[str, TokenScript, list[tuple[str, int]]]) -> None:
        ctx = self.ctx
        dev, script, buys = job
        insiders = [insider for insider, _ in buys]
        now = ctx.sched.now
        index = self._count
        self._count += 1
        name, symbol = token_name(ctx.rng)
        token = make_token(
            ctx.keys,
            index,
            creator=dev,
            launch_t=now,
            script=script,
            name=name,
            symbol=symbol,
            vaults=self._vaults,
        )
        mint = token.mint
        token.insiders = list(insiders)
        ctx.market.add_token(now, token, _CREATE_FEE)
        ctx.roles.devs[dev].append(mint)
        ctx.market.buy(
            now, dev, mint, script.dev_buy_lamports, priority_fee=_DEV_PRIORITY, venue="PUMP_FUN"
        )
        for insider, amount in buys:
            ctx.market.buy(now, insider, mint, amount, priority_fee=800_000, venue="PUMP_FUN")
        if script.dev_exit_tau is not None:
            ctx.sched.at(now + script.dev_exit_tau, self._dump, (dev, token))
            for insider in insiders:
                delay = ctx.rng.uniform(0.0, 1.2) if script.rug_tau else ctx.rng.uniform(5, 90)
                ctx.sched.at(now + script.dev_exit_tau + delay, self._dump, (insider, token))
        for observer in ctx.launch_observers:
            observer(token)

    def _dump(self, job: tuple[str, SimToken]) -> None:
        wallet, token = job
        ctx = self.ctx
        held = ctx.market.ledger.tokens(wallet, token.mint)
        if held <= 0:
            return
        event = ctx.market.sell(ctx.sched.now, wallet, token.mint, held, priority_fee=_DEV_PRIORITY)
        rug = token.script.rug_tau is not None and wallet == token.creator
        if event is not None and rug and token.rugged_t is None:
            token.rugged_t = ctx.sched.now


def make_token(
    keys: KeyFactory,
    index: int,
    *,
    creator: str,
    launch_t: float,
    script: TokenScript,
    name: str,
    symbol: str,
    vaults: dict[str, str] | None = None,
) -> SimToken:
    """A fresh token with its real PDAs and vaults (not yet registered in a market)."""
    mint = keys.mint(index)
    curve = bonding_curve_address(mint)
    cache = vaults if vaults is not None else {}
    vault = cache.get(creator)
    if vault is None:
        vault = cache[creator] = creator_vault_address(creator)
    pool = pool_address(mint)
    return SimToken(
        index=index,
        mint=mint,
        name=name,
        symbol=symbol,
        creator=creator,
        launch_t=launch_t,
        script=script,
        curve_address=curve,
        curve_vault=keys.ata(curve, mint),
        creator_vault=vault,
        pool_address=pool,
        pool_base_vault=keys.ata(pool, mint),
        pool_quote_vault=keys.ata(pool, WSOL_MINT),
    )
