"""What every agent shares: the world's random stream, agenda, market and role book.

Why one context: all agents draw from one seeded stream in agenda order, which is what
makes the whole event stream reproducible from the seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from walltrack.sim.keys import KeyFactory
from walltrack.sim.market import Market
from walltrack.sim.params import MarketParams
from walltrack.sim.scheduler import Scheduler
from walltrack.sim.tokens import SimToken

type LaunchObserver = Callable[[SimToken], None]


@dataclass(slots=True)
class ClusterRecord:
    """One group of wallets that act together (ground truth)."""

    cluster_id: str
    kind: str
    funder: str
    leader: str
    members: list[str]
    leader_skill: float | None = None


@dataclass(slots=True)
class Roles:
    """Ground-truth role book, filled while the world is built and run."""

    smart: dict[str, float] = field(default_factory=dict)
    clusters: list[ClusterRecord] = field(default_factory=list)
    devs: dict[str, list[str]] = field(default_factory=dict)
    insiders: dict[str, str] = field(default_factory=dict)
    bots: dict[str, str] = field(default_factory=dict)
    copy_farmers: dict[str, str] = field(default_factory=dict)
    exchanges: list[str] = field(default_factory=list)
    retail: list[str] = field(default_factory=list)


class WorldContext:
    """Shared handles for agents. `rng` is the single world stream."""

    def __init__(
        self,
        seed: int,
        params: MarketParams,
        keys: KeyFactory,
        market: Market,
        scheduler: Scheduler,
    ) -> None:
        self.seed = seed
        self.params = params
        self.rng = random.Random(f"{seed}:world")
        self.keys = keys
        self.market = market
        self.sched = scheduler
        self.roles = Roles()
        self.launch_observers: list[LaunchObserver] = []

    def lamports(self, low_sol: float, high_sol: float) -> int:
        """A uniform random amount in SOL, as lamports."""
        return int(self.rng.uniform(low_sol, high_sol) * 1e9)

    def lognormal_lamports(self, median_sol: float, sigma: float, cap_sol: float) -> int:
        """A heavy-tailed amount around `median_sol`, capped, as lamports."""
        sol = min(self.rng.lognormvariate(math.log(median_sol), sigma), cap_sol)
        return int(sol * 1e9)

    def watch(self, wallet: str, watcher: Callable[..., None]) -> None:
        """Call `watcher(event)` on every swap of `wallet`."""
        self.market.watchers.setdefault(wallet, []).append(watcher)
