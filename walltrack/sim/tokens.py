"""One simulated token: its accounts, its curve or pool, its script and its trade history.

Why one object: every venue (Helius, RPC, Jupiter, DexScreener) answers questions about a
token from the same state, so they can never disagree about its price or age.
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect_left

from walltrack.sim.amm import ConstantProductPool
from walltrack.sim.curve import BondingCurve
from walltrack.sim.fates import TokenScript

_ADJECTIVES = (
    "Based",
    "Tiny",
    "Giga",
    "Sad",
    "Happy",
    "Frozen",
    "Golden",
    "Wild",
    "Sleepy",
    "Angry",
    "Cosmic",
    "Baby",
    "Turbo",
    "Dank",
    "Lucky",
    "Silent",
    "Pixel",
    "Holy",
    "Feral",
    "Smol",
)
_NOUNS = (
    "Frog",
    "Cat",
    "Dog",
    "Hamster",
    "Penguin",
    "Goat",
    "Otter",
    "Whale",
    "Moth",
    "Duck",
    "Pepe",
    "Wizard",
    "Monkey",
    "Toad",
    "Bear",
    "Shrimp",
    "Llama",
    "Gnome",
    "Raccoon",
    "Fish",
)


def token_name(rng: random.Random) -> tuple[str, str]:
    """A memecoin-style (name, symbol)."""
    adjective, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    symbol = (adjective[:2] + noun[:3]).upper() if rng.random() < 0.5 else noun.upper()
    return f"{adjective} {noun}", symbol


class TokenStats:
    """Trade history of a token (times in sim seconds, prices in SOL per whole token).

    Why floats here: these feed display-only market data (DexScreener windows), never money.
    Compact arrays, because a busy token trades tens of thousands of times.
    """

    __slots__ = ("is_buy", "prices", "sol", "times")

    def __init__(self) -> None:
        self.times = array("d")
        self.prices = array("d")
        self.is_buy = bytearray()
        self.sol = array("q")

    def record(self, t: float, price: float, is_buy: bool, sol: int) -> None:
        """Append one trade."""
        self.times.append(t)
        self.prices.append(price)
        self.is_buy.append(is_buy)
        self.sol.append(sol)

    def window(self, now: float, seconds: float) -> tuple[int, int, int, float | None]:
        """(buys, sells, lamports volume, price at the window start or None) over `seconds`."""
        start = bisect_left(self.times, now - seconds)
        buys = sum(self.is_buy[start:])
        count = len(self.times) - start
        volume = sum(self.sol[start:])
        opening = self.prices[start - 1] if start > 0 else (self.prices[0] if self.prices else None)
        return buys, count - buys, volume, opening

    def prune(self, before_t: float) -> None:
        """Forget trades older than `before_t`, keeping the last one as a price anchor."""
        cut = bisect_left(self.times, before_t) - 1
        if cut > 0:
            del self.times[:cut]
            del self.prices[:cut]
            del self.is_buy[:cut]
            del self.sol[:cut]


class SimToken:
    """A token from launch to death. Money fields are ints (lamports, raw units)."""

    __slots__ = (
        "creator",
        "creator_vault",
        "curve",
        "curve_address",
        "curve_vault",
        "index",
        "insiders",
        "launch_price",
        "launch_t",
        "migrated_t",
        "mint",
        "name",
        "peak_price",
        "peak_t",
        "pool",
        "pool_address",
        "pool_base_vault",
        "pool_quote_vault",
        "retail_holders",
        "rugged_t",
        "script",
        "stats",
        "symbol",
    )

    def __init__(
        self,
        *,
        index: int,
        mint: str,
        name: str,
        symbol: str,
        creator: str,
        launch_t: float,
        script: TokenScript,
        curve_address: str,
        curve_vault: str,
        creator_vault: str,
        pool_address: str,
        pool_base_vault: str,
        pool_quote_vault: str,
    ) -> None:
        self.index = index
        self.mint = mint
        self.name = name
        self.symbol = symbol
        self.creator = creator
        self.launch_t = launch_t
        self.script = script
        self.curve = BondingCurve()
        self.pool: ConstantProductPool | None = None
        self.curve_address = curve_address
        self.curve_vault = curve_vault
        self.creator_vault = creator_vault
        self.pool_address = pool_address
        self.pool_base_vault = pool_base_vault
        self.pool_quote_vault = pool_quote_vault
        self.migrated_t: float | None = None
        self.rugged_t: float | None = None
        self.stats = TokenStats()
        self.launch_price = self.curve.price()
        self.peak_price = self.launch_price
        self.peak_t = launch_t
        self.insiders: list[str] = []
        self.retail_holders: list[str] = []

    def price(self) -> float:
        """Current spot price in SOL per whole token (display only)."""
        return self.pool.price() if self.pool is not None else self.curve.price()

    @property
    def trading_address(self) -> str:
        """Where the token trades now: the curve, or the pool after graduation."""
        return self.pool_address if self.pool is not None else self.curve_address

    def reserves(self) -> tuple[int, int]:
        """(lamports, raw tokens) held by the curve or the pool right now."""
        if self.pool is not None:
            return self.pool.sol_reserve, self.pool.token_reserve
        return self.curve.real_sol, self.curve.real_tokens
