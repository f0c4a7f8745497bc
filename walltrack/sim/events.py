"""The records of the simulated chain: one object per landed transaction.

Why plain slotted classes: the market creates tens of thousands of them per second, and a
record holds only what the renderers need to produce any wire format (enhanced
transaction, getTransaction, signature lists) on demand.
"""

from __future__ import annotations

from typing import Literal

type Venue = Literal["PUMP_FUN", "PUMP_AMM", "JUPITER"]


class SwapEvent:
    """A buy or sell of one token against SOL on the curve or the pool.

    `sol` is what entered (buy) or left (sell) the curve or pool vault; protocol and
    creator fees come on top of a buy and out of a sell; `rent` is the ATA rent paid on a
    wallet's first buy of the token. `*_before` are balances before the trade.
    """

    __slots__ = (
        "creator_fee",
        "fee",
        "is_buy",
        "mint",
        "on_curve",
        "pool",
        "pool_sol_before",
        "pool_tokens_before",
        "protocol_fee",
        "rent",
        "seq",
        "signature",
        "slot",
        "sol",
        "sol_before",
        "t",
        "timestamp",
        "tokens",
        "tokens_before",
        "venue",
        "wallet",
    )
    kind: Literal["swap"] = "swap"

    def __init__(  # noqa: PLR0917 - positional on purpose: built on the hot path
        self,
        seq: int,
        t: float,
        slot: int,
        timestamp: int,
        signature: str,
        wallet: str,
        mint: str,
        pool: str,
        is_buy: bool,
        on_curve: bool,
        venue: Venue,
        sol: int,
        tokens: int,
        protocol_fee: int,
        creator_fee: int,
        fee: int,
        rent: int,
        sol_before: int,
        tokens_before: int,
        pool_sol_before: int,
        pool_tokens_before: int,
    ) -> None:
        self.seq = seq
        self.t = t
        self.slot = slot
        self.timestamp = timestamp
        self.signature = signature
        self.wallet = wallet
        self.mint = mint
        self.pool = pool
        self.is_buy = is_buy
        self.on_curve = on_curve
        self.venue: Venue = venue
        self.sol = sol
        self.tokens = tokens
        self.protocol_fee = protocol_fee
        self.creator_fee = creator_fee
        self.fee = fee
        self.rent = rent
        self.sol_before = sol_before
        self.tokens_before = tokens_before
        self.pool_sol_before = pool_sol_before
        self.pool_tokens_before = pool_tokens_before

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


class TransferEvent:
    """A plain SOL transfer (funding, exchange withdrawal, airdrop)."""

    __slots__ = (
        "destination",
        "destination_before",
        "fee",
        "lamports",
        "seq",
        "signature",
        "slot",
        "source",
        "source_before",
        "t",
        "timestamp",
    )
    kind: Literal["transfer"] = "transfer"

    def __init__(  # noqa: PLR0917 - positional on purpose: built on the hot path
        self,
        seq: int,
        t: float,
        slot: int,
        timestamp: int,
        signature: str,
        source: str,
        destination: str,
        lamports: int,
        fee: int,
        source_before: int,
        destination_before: int,
    ) -> None:
        self.seq = seq
        self.t = t
        self.slot = slot
        self.timestamp = timestamp
        self.signature = signature
        self.source = source
        self.destination = destination
        self.lamports = lamports
        self.fee = fee
        self.source_before = source_before
        self.destination_before = destination_before

    @property
    def addresses(self) -> tuple[str, str]:
        """Accounts this transaction is indexed under."""
        return (self.source, self.destination)


class CreateEvent:
    """A pump.fun token creation: the mint and its bonding curve come to life."""

    __slots__ = (
        "creator",
        "fee",
        "mint",
        "pool",
        "seq",
        "signature",
        "slot",
        "t",
        "timestamp",
    )
    kind: Literal["create"] = "create"

    def __init__(  # noqa: PLR0917 - positional on purpose: built on the hot path
        self,
        seq: int,
        t: float,
        slot: int,
        timestamp: int,
        signature: str,
        creator: str,
        mint: str,
        pool: str,
        fee: int,
    ) -> None:
        self.seq = seq
        self.t = t
        self.slot = slot
        self.timestamp = timestamp
        self.signature = signature
        self.creator = creator
        self.mint = mint
        self.pool = pool
        self.fee = fee

    @property
    def addresses(self) -> tuple[str, str, str]:
        """Accounts this transaction is indexed under."""
        return (self.creator, self.mint, self.pool)


class MigrateEvent:
    """A completed curve's liquidity moving into its PumpSwap pool."""

    __slots__ = (
        "curve",
        "fee",
        "mint",
        "pool",
        "seq",
        "signature",
        "slot",
        "sol",
        "t",
        "timestamp",
        "tokens",
    )
    kind: Literal["migrate"] = "migrate"

    def __init__(  # noqa: PLR0917 - positional on purpose: built on the hot path
        self,
        seq: int,
        t: float,
        slot: int,
        timestamp: int,
        signature: str,
        mint: str,
        curve: str,
        pool: str,
        sol: int,
        tokens: int,
        fee: int,
    ) -> None:
        self.seq = seq
        self.t = t
        self.slot = slot
        self.timestamp = timestamp
        self.signature = signature
        self.mint = mint
        self.curve = curve
        self.pool = pool
        self.sol = sol
        self.tokens = tokens
        self.fee = fee

    @property
    def addresses(self) -> tuple[str, str, str]:
        """Accounts this transaction is indexed under."""
        return (self.mint, self.curve, self.pool)


type ChainEvent = SwapEvent | TransferEvent | CreateEvent | MigrateEvent
