"""Shared builders for the simulator tests: a bare market with one freshly launched token."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from walltrack.sim.agents.launcher import make_token
from walltrack.sim.fates import draw_script
from walltrack.sim.keys import KeyFactory
from walltrack.sim.market import Market
from walltrack.sim.tokens import SimToken

GENESIS_UNIX = 1_761_307_200

type BareMarket = tuple[Market, SimToken, str]


def bare_market(seed: int = 3) -> BareMarket:
    """A market with one launched token and one rich trader, and no agents at all."""
    keys = KeyFactory(seed)
    market = Market(keys, GENESIS_UNIX, seed)
    creator = keys.wallet("dev", 0)
    trader = keys.wallet("trader", 0)
    market.ledger.credit(creator, 10**12)
    market.ledger.credit(trader, 10**15)
    script = draw_script(random.Random(seed), "dud")
    token = make_token(
        keys, 0, creator=creator, launch_t=0.0, script=script, name="Test Frog", symbol="TFROG"
    )
    market.add_token(0.0, token, 5_000)
    return market, token, trader


@pytest.fixture
def make_bare_market() -> Callable[[], BareMarket]:
    """Factory fixture for `bare_market`."""
    return bare_market
