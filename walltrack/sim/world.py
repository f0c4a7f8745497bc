"""The simulated world: a seeded market with its whole population, advanced in time.

Why pure: a World never reads a clock or global randomness; the caller says how far to
advance it. The same (seed, params) therefore always produces the same event stream,
whether it runs in one call, in slices from a SimClock, or stepped by a test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from walltrack.sim.agents.base import WorldContext
from walltrack.sim.agents.bots import Flipper, Sniper
from walltrack.sim.agents.followers import Follower, build_clusters, build_copy_farmers
from walltrack.sim.agents.launcher import Launcher
from walltrack.sim.agents.retail import RetailCrowd
from walltrack.sim.agents.smart import SmartTrader
from walltrack.sim.constants import BLOCK_HEIGHT_OFFSET
from walltrack.sim.events import TransferEvent
from walltrack.sim.keys import KeyFactory
from walltrack.sim.market import Market
from walltrack.sim.params import MarketParams
from walltrack.sim.scheduler import Scheduler

DEFAULT_START = datetime(2025, 10, 24, 12, 0, tzinfo=UTC)
_EXCHANGE_FLOAT = 1_000_000_000 * 10**9
_TOP_UP_BELOW = 2 * 10**9


class World:
    """A memecoin market on pump.fun curves and PumpSwap pools, with ground truth."""

    def __init__(
        self,
        seed: int,
        params: MarketParams | None = None,
        start: datetime = DEFAULT_START,
        *,
        retention_s: float | None = None,
    ) -> None:
        if start.tzinfo is None:
            msg = "the world's start must be timezone-aware"
            raise ValueError(msg)
        self.seed = seed
        self.params = params or MarketParams()
        self.start = start
        self.keys = KeyFactory(seed)
        self.market = Market(self.keys, int(start.timestamp()), seed)
        self.sched = Scheduler()
        self.ctx = WorldContext(seed, self.params, self.keys, self.market, self.sched)
        self.faucet = self.keys.wallet("faucet", 0)
        self.market.ledger.credit(self.faucet, _EXCHANGE_FLOAT)
        self.retention_s = retention_s
        self._populate()
        if retention_s is not None:
            self.sched.at(retention_s / 4, self._housekeeping)

    def _populate(self) -> None:
        ctx, params, rng = self.ctx, self.params, self.ctx.rng
        exchanges = [ctx.keys.wallet("exchange", i) for i in range(params.exchanges)]
        for exchange in exchanges:
            self.market.ledger.credit(exchange, _EXCHANGE_FLOAT)
        ctx.roles.exchanges.extend(exchanges)
        self.retail = RetailCrowd(ctx)
        self.launcher = Launcher(ctx)
        self.smart: list[SmartTrader] = []
        for i in range(params.smart_wallets):
            wallet = ctx.keys.wallet("smart", i)
            self._fund_at(
                rng.uniform(0.0, params.fund_window_s),
                rng.choice(exchanges),
                wallet,
                ctx.lamports(*params.smart_funding_sol),
            )
            skill = rng.uniform(*params.smart_skill)
            self.smart.append(SmartTrader(ctx, wallet, skill))
            ctx.roles.smart[wallet] = skill
        self.leaders = build_clusters(ctx, exchanges)
        build_copy_farmers(ctx, [trader.wallet for trader in self.smart], exchanges)
        self.bots: list[Sniper | Flipper] = []
        for i in range(params.snipers):
            wallet = ctx.keys.wallet("sniper", i)
            self._fund_at(
                rng.uniform(0.0, params.fund_window_s),
                rng.choice(exchanges),
                wallet,
                ctx.lamports(50.0, 150.0),
            )
            self.bots.append(Sniper(ctx, wallet))
        for i in range(params.flippers):
            wallet = ctx.keys.wallet("flipper", i)
            self._fund_at(
                rng.uniform(0.0, params.fund_window_s),
                rng.choice(exchanges),
                wallet,
                ctx.lamports(30.0, 80.0),
            )
            self.bots.append(Flipper(ctx, wallet))
        self._exchanges = exchanges
        if params.exchange_withdrawal_rate > 0:
            self.sched.at(rng.expovariate(params.exchange_withdrawal_rate), self._withdrawal)

    def _fund_at(self, t: float, source: str, destination: str, lamports: int) -> None:
        self.sched.at(t, self._fund, (source, destination, lamports))

    def _fund(self, job: tuple[str, str, int]) -> None:
        source, destination, lamports = job
        self.market.transfer(self.sched.now, source, destination, lamports)

    def _withdrawal(self, _: object) -> None:
        """An exchange withdrawal to a retail wallet running low: keeps the crowd solvent."""
        rng = self.ctx.rng
        wallets = self.retail.wallets
        sol = self.market.ledger.sol
        wallet = min((rng.choice(wallets) for _ in range(4)), key=lambda w: sol.get(w, 0))
        if sol.get(wallet, 0) < _TOP_UP_BELOW:
            self.market.transfer(
                self.sched.now, rng.choice(self._exchanges), wallet, self.ctx.lamports(1.0, 20.0)
            )
        self.sched.after(rng.expovariate(self.params.exchange_withdrawal_rate), self._withdrawal)

    def _housekeeping(self, _: object) -> None:
        """Forget chain history older than the retention window (bounded memory)."""
        assert self.retention_s is not None
        self.market.prune(self.sched.now - self.retention_s)
        self.sched.after(self.retention_s / 4, self._housekeeping)

    # -- time -------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Simulated seconds since the world's start."""
        return self.sched.now

    def advance_to(self, t: float) -> None:
        """Run the world up to simulated second `t` (no-op if already there)."""
        self.sched.run_until(t)

    def advance(self, seconds: float) -> None:
        """Run the world `seconds` further."""
        self.sched.run_until(self.sched.now + seconds)

    def datetime_at(self, t: float) -> datetime:
        """Wall time of simulated second `t`."""
        return self.start + timedelta(seconds=t)

    @property
    def slot(self) -> int:
        """The current slot."""
        return self.market.slot_at(self.sched.now)

    @property
    def block_height(self) -> int:
        """The current block height (a little below the slot, as on mainnet)."""
        return self.slot - BLOCK_HEIGHT_OFFSET

    def blockhash(self, slot: int | None = None) -> str:
        """The blockhash of `slot` (default: the current slot)."""
        return self.keys.blockhash(self.slot if slot is None else slot)

    # -- outside world ----------------------------------------------------------------
    def airdrop(self, address: str, lamports: int) -> TransferEvent:
        """Give `address` lamports now, as a transfer from the faucet (a landed event)."""
        event = self.market.transfer(self.sched.now, self.faucet, address, lamports)
        if event is None:
            msg = "the faucet is empty"
            raise RuntimeError(msg)
        return event

    @property
    def followers(self) -> int:
        """How many scripted followers watch other wallets (diagnostics)."""
        return sum(
            isinstance(w.__self__, Follower)
            for ws in self.market.watchers.values()
            for w in ws
            if hasattr(w, "__self__")
        )
