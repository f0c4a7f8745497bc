"""The records of the simulated chain: one immutable tuple per landed transaction.

Why named tuples: the market creates tens of thousands per second and keeps hundreds of
thousands; the market stores them as plain tuples of ints, floats and strings, which the
garbage collector stops tracking, so a long-running world costs no GC pauses. Each record
holds only what the renderers need to produce any wire format on demand.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

type Venue = Literal["PUMP_FUN", "PUMP_AMM", "JUPITER"]


class SwapEvent(NamedTuple):
    """A buy or sell of one token against SOL on the curve or the pool.

    `sol` is what entered (buy) or left (sell) the curve or pool vault; protocol and
    creator fees come on top of a buy and out of a sell; `rent` is the ATA rent paid on a
    wallet's first buy of the token. `*_before` are balances before the trade.
    """

    kind: Literal["swap"]
    seq: int
    t: float
    slot: int
    timestamp: int
    signature: str
    wallet: str
    mint: str
    pool: str
    is_buy: bool
    on_curve: bool
    venue: Venue
    sol: int
    tokens: int
    protocol_fee: int
    creator_fee: int
    fee: int
    rent: int
    sol_before: int
    tokens_before: int
    pool_sol_before: int
    pool_tokens_before: int

    @property
    def addresses(self) -> tuple[str, str, str]:
        """Accounts this transaction is indexed under (wallet, mint, curve or pool)."""
        return (self.wallet, self.mint, self.pool)

    @property
    def wallet_sol_change(self) -> int:
        """Signed lamport change of the wallet, network fee and rent included."""
        if self.is_buy:
            return -(self.sol + self.protocol_fee + self.creator_fee + self.fee + self.rent)
        return self.sol - self.protocol_fee - self.creator_fee - self.fee


class TransferEvent(NamedTuple):
    """A plain SOL transfer (funding, exchange withdrawal, airdrop)."""

    kind: Literal["transfer"]
    seq: int
    t: float
    slot: int
    timestamp: int
    signature: str
    source: str
    destination: str
    lamports: int
    fee: int
    source_before: int
    destination_before: int

    @property
    def addresses(self) -> tuple[str, str]:
        """Accounts this transaction is indexed under."""
        return (self.source, self.destination)


class CreateEvent(NamedTuple):
    """A pump.fun token creation: the mint and its bonding curve come to life."""

    kind: Literal["create"]
    seq: int
    t: float
    slot: int
    timestamp: int
    signature: str
    creator: str
    mint: str
    pool: str
    fee: int

    @property
    def addresses(self) -> tuple[str, str, str]:
        """Accounts this transaction is indexed under."""
        return (self.creator, self.mint, self.pool)


class MigrateEvent(NamedTuple):
    """A completed curve's liquidity moving into its PumpSwap pool."""

    kind: Literal["migrate"]
    seq: int
    t: float
    slot: int
    timestamp: int
    signature: str
    mint: str
    curve: str
    pool: str
    sol: int
    tokens: int
    fee: int

    @property
    def addresses(self) -> tuple[str, str, str]:
        """Accounts this transaction is indexed under."""
        return (self.mint, self.curve, self.pool)


type ChainEvent = SwapEvent | TransferEvent | CreateEvent | MigrateEvent

ROW_CLASSES: dict[str, type[ChainEvent]] = {
    "swap": SwapEvent,
    "transfer": TransferEvent,
    "create": CreateEvent,
    "migrate": MigrateEvent,
}
ROW_T = 2
ROW_SIGNATURE = 5


def from_row(row: tuple[object, ...]) -> ChainEvent:
    """The record stored as the plain tuple `row`."""
    return ROW_CLASSES[str(row[0])]._make(row)
