"""The exchange engine of the world: executes swaps and transfers, records chain events.

Why one engine: agents (and the fake RPC's sendTransaction) all trade through it, so
prices move only through trades and every trade lands as exactly one chain event with
consistent balances, fees and indexes.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any

from walltrack.sim.amm import ConstantProductPool
from walltrack.sim.constants import (
    ATA_RENT,
    BASE_FEE,
    GENESIS_SLOT,
    POOL_MIGRATION_FEE,
    SLOT_SECONDS,
    TOKEN_TOTAL_SUPPLY,
)
from walltrack.sim.events import (
    ROW_SIGNATURE,
    ROW_T,
    ChainEvent,
    CreateEvent,
    MigrateEvent,
    SwapEvent,
    TransferEvent,
    Venue,
    from_row,
)
from walltrack.sim.keys import KeyFactory
from walltrack.sim.ledger import Ledger
from walltrack.sim.tokens import SimToken

type EventListener = Callable[[ChainEvent], None]
type SwapWatcher = Callable[[SwapEvent], None]

JUPITER_SHARE_CURVE = 0.12
JUPITER_SHARE_POOL = 0.4
CURVE_SUPPLY_RESERVED = TOKEN_TOTAL_SUPPLY - 793_100_000_000_000


class Market:
    """Tokens, balances and the landed event stream, indexed by signature and address."""

    def __init__(self, keys: KeyFactory, genesis_unix: int, seed: int) -> None:
        self.keys = keys
        self.ledger = Ledger(keys)
        self.genesis_unix = genesis_unix
        self.tokens: dict[str, SimToken] = {}
        self.token_list: list[SimToken] = []
        self.pools: dict[str, SimToken] = {}
        self.rows: list[tuple[Any, ...]] = []
        self.base_seq = 0
        self.by_signature: dict[str, tuple[Any, ...]] = {}
        self.by_address: dict[str, list[int]] = {}
        self.listeners: list[EventListener] = []
        self.watchers: dict[str, list[SwapWatcher]] = {}
        self._route = random.Random(f"{seed}:route")

    # -- time -------------------------------------------------------------------------
    def slot_at(self, t: float) -> int:
        """The slot landing at simulated second `t`."""
        return GENESIS_SLOT + int(t / SLOT_SECONDS)

    # -- recording --------------------------------------------------------------------
    def _record(self, event: ChainEvent) -> None:
        row = tuple(event)
        self.rows.append(row)
        self.by_signature[event.signature] = row
        index = self.by_address
        seq = event.seq
        for address in event.addresses:
            seqs = index.get(address)
            if seqs is None:
                index[address] = [seq]
            else:
                seqs.append(seq)
        if self.listeners:
            for listener in self.listeners:
                listener(event)

    # -- token lifecycle --------------------------------------------------------------
    def add_token(self, t: float, token: SimToken, fee: int) -> CreateEvent:
        """Register a launched token and land its create transaction."""
        self.tokens[token.mint] = token
        self.token_list.append(token)
        self.pools[token.curve_address] = token
        self.pools[token.pool_address] = token
        self.ledger.holdings.setdefault(token.mint, {})
        self.ledger.credit(token.creator, -fee)
        event = CreateEvent(
            "create",
            self.base_seq + len(self.rows),
            t,
            self.slot_at(t),
            self.genesis_unix + int(t),
            self.keys.signature(),
            token.creator,
            token.mint,
            token.curve_address,
            fee,
        )
        self._record(event)
        return event

    def _migrate(self, t: float, token: SimToken) -> None:
        curve = token.curve
        sol = curve.real_sol - POOL_MIGRATION_FEE
        token.pool = ConstantProductPool(sol, CURVE_SUPPLY_RESERVED)
        token.migrated_t = t
        event = MigrateEvent(
            "migrate",
            self.base_seq + len(self.rows),
            t,
            self.slot_at(t),
            self.genesis_unix + int(t),
            self.keys.signature(),
            token.mint,
            token.curve_address,
            token.pool_address,
            sol,
            CURVE_SUPPLY_RESERVED,
            BASE_FEE,
        )
        self._record(event)

    # -- trading ----------------------------------------------------------------------
    def buy(
        self,
        t: float,
        wallet: str,
        mint: str,
        gross: int,
        *,
        priority_fee: int,
        venue: Venue | None = None,
        min_tokens: int = 0,
        signature: str | None = None,
    ) -> SwapEvent | None:
        """`wallet` spends `gross` lamports (fees included) on `mint`; None if impossible."""
        token = self.tokens[mint]
        ledger = self.ledger
        has_account = ledger.has_account(wallet, mint)
        rent = 0 if has_account else ATA_RENT
        fee = BASE_FEE + priority_fee
        sol_before = ledger.sol.get(wallet, 0)
        if gross <= 0 or sol_before < gross + fee + rent:
            return None
        pool = token.pool
        if pool is None:
            curve = token.curve
            fill = curve.quote_buy(gross)
            if fill.tokens <= 0 or fill.tokens < min_tokens:
                return None
            pool_sol, pool_tokens = curve.real_sol, curve.real_tokens + CURVE_SUPPLY_RESERVED
            curve.apply_buy(fill)
            sol, protocol, creator = fill.sol, fill.protocol_fee, fill.creator_fee
            tokens, address, on_curve = fill.tokens, token.curve_address, True
        else:
            pfill = pool.quote_buy(gross)
            if pfill.tokens <= 0 or pfill.tokens < min_tokens:
                return None
            pool_sol, pool_tokens = pool.sol_reserve, pool.token_reserve
            pool.apply_buy(pfill)
            sol, protocol, creator = pfill.sol, pfill.protocol_fee, pfill.creator_fee
            tokens, address, on_curve = pfill.tokens, token.pool_address, False
        if not has_account:
            ledger.open_account(wallet, mint)
            if wallet not in ledger.sol:
                ledger.sol[wallet] = 0
        ledger.sol[wallet] = sol_before - sol - protocol - creator - fee - rent
        holders = ledger.holdings[mint]
        tokens_before = holders[wallet]
        holders[wallet] = tokens_before + tokens
        event = SwapEvent(
            "swap",
            self.base_seq + len(self.rows),
            t,
            self.slot_at(t),
            self.genesis_unix + int(t),
            signature or self.keys.signature(),
            wallet,
            mint,
            address,
            True,
            on_curve,
            venue or self._pick_venue(on_curve),
            sol,
            tokens,
            protocol,
            creator,
            fee,
            rent,
            sol_before,
            tokens_before,
            pool_sol,
            pool_tokens,
        )
        self._after_trade(t, token, event)
        if on_curve and token.curve.complete:
            self._migrate(t, token)
        return event

    def sell(
        self,
        t: float,
        wallet: str,
        mint: str,
        tokens: int,
        *,
        priority_fee: int,
        venue: Venue | None = None,
        min_lamports: int = 0,
        signature: str | None = None,
    ) -> SwapEvent | None:
        """`wallet` sells `tokens` raw units of `mint`; None if impossible."""
        token = self.tokens[mint]
        ledger = self.ledger
        holders = ledger.holdings.get(mint)
        tokens_before = holders.get(wallet, 0) if holders is not None else 0
        fee = BASE_FEE + priority_fee
        sol_before = ledger.sol.get(wallet, 0)
        if tokens <= 0 or tokens > tokens_before or sol_before < fee or holders is None:
            return None
        pool = token.pool
        if pool is None:
            curve = token.curve
            fill = curve.quote_sell(tokens)
            sol, protocol, creator = fill.sol, fill.protocol_fee, fill.creator_fee
            if sol - protocol - creator <= 0 or sol - protocol - creator < min_lamports:
                return None
            pool_sol, pool_tokens = curve.real_sol, curve.real_tokens + CURVE_SUPPLY_RESERVED
            curve.apply_sell(fill)
            address = token.curve_address
            on_curve = True
        else:
            pfill = pool.quote_sell(tokens)
            sol, protocol, creator = pfill.sol, pfill.protocol_fee, pfill.creator_fee
            if sol - protocol - creator <= 0 or sol - protocol - creator < min_lamports:
                return None
            pool_sol, pool_tokens = pool.sol_reserve, pool.token_reserve
            pool.apply_sell(pfill)
            address = token.pool_address
            on_curve = False
        ledger.sol[wallet] = sol_before + sol - protocol - creator - fee
        holders[wallet] = tokens_before - tokens
        event = SwapEvent(
            "swap",
            self.base_seq + len(self.rows),
            t,
            self.slot_at(t),
            self.genesis_unix + int(t),
            signature or self.keys.signature(),
            wallet,
            mint,
            address,
            False,
            on_curve,
            venue or self._pick_venue(on_curve),
            sol,
            tokens,
            protocol,
            creator,
            fee,
            0,
            sol_before,
            tokens_before,
            pool_sol,
            pool_tokens,
        )
        self._after_trade(t, token, event)
        return event

    def _pick_venue(self, on_curve: bool) -> Venue:
        share = JUPITER_SHARE_CURVE if on_curve else JUPITER_SHARE_POOL
        if self._route.random() < share:
            return "JUPITER"
        return "PUMP_FUN" if on_curve else "PUMP_AMM"

    def _after_trade(self, t: float, token: SimToken, event: SwapEvent) -> None:
        price = token.price()
        token.stats.record(t, price, event.is_buy, event.sol)
        if price > token.peak_price:
            token.peak_price = price
            token.peak_t = t
        self._record(event)
        watchers = self.watchers.get(event.wallet)
        if watchers is not None:
            for watcher in watchers:
                watcher(event)

    def transfer(
        self,
        t: float,
        source: str,
        destination: str,
        lamports: int,
        *,
        fee: int = BASE_FEE,
        signature: str | None = None,
    ) -> TransferEvent | None:
        """A SOL transfer; None when the source cannot pay it and the fee."""
        ledger = self.ledger
        source_before = ledger.sol.get(source, 0)
        if lamports <= 0 or source_before < lamports + fee:
            return None
        destination_before = ledger.sol.get(destination, 0)
        ledger.sol[source] = source_before - lamports - fee
        ledger.sol[destination] = ledger.sol.get(destination, 0) + lamports
        event = TransferEvent(
            "transfer",
            self.base_seq + len(self.rows),
            t,
            self.slot_at(t),
            self.genesis_unix + int(t),
            signature or self.keys.signature(),
            source,
            destination,
            lamports,
            fee,
            source_before,
            destination_before,
        )
        self._record(event)
        return event

    def events_for(self, address: str) -> list[int]:
        """Sequence numbers of the events touching `address`, oldest first."""
        return self.by_address.get(address, [])

    def event(self, seq: int) -> ChainEvent:
        """The event with sequence number `seq` (IndexError once pruned)."""
        index = seq - self.base_seq
        if index < 0:
            raise IndexError(seq)
        return from_row(self.rows[index])

    def find(self, signature: str) -> ChainEvent | None:
        """The event with `signature`, or None (unknown or pruned)."""
        row = self.by_signature.get(signature)
        return None if row is None else from_row(row)

    def events_since(self, seq: int = 0) -> Iterator[ChainEvent]:
        """Retained events from sequence number `seq` on, oldest first."""
        for row in self.rows[max(seq - self.base_seq, 0) :]:
            yield from_row(row)

    @property
    def events(self) -> list[ChainEvent]:
        """Every retained event, oldest first (a fresh list: for tests and tools)."""
        return [from_row(row) for row in self.rows]

    @property
    def next_seq(self) -> int:
        """The sequence number the next landed event will get."""
        return self.base_seq + len(self.rows)

    def prune(self, before_t: float) -> int:
        """Forget events older than `before_t` (bounded memory); returns how many."""
        count = bisect_left(self.rows, before_t, key=lambda row: row[ROW_T])
        if count == 0:
            return 0
        for row in self.rows[:count]:
            self.by_signature.pop(row[ROW_SIGNATURE], None)
        del self.rows[:count]
        self.base_seq += count
        base = self.base_seq
        for address, seqs in list(self.by_address.items()):
            cut = bisect_left(seqs, base)
            if cut == len(seqs):
                del self.by_address[address]
            elif cut:
                del seqs[:cut]
        for token in self.token_list:
            token.stats.prune(before_t)
        return count
