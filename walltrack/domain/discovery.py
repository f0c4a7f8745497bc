"""Wallet discovery from a token: its early buyers that took a real profit in SOL.

Rules (domain-rules.md, Wallet discovery): an early buyer's first buy is within 30 min of
the token's launch; a profitable one sold >= 90 % of the tokens it bought and made
(SOL received - SOL spent) / SOL spent >= 50 %. Program and pool accounts (swap programs,
System, SPL Token, the token's own curve and pool accounts passed by the caller) are never
candidates. Every candidate keeps the figures it was judged on, so the store can say where
and how a wallet was found, and a rejected one says which rules it failed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from walltrack.domain.params.market import DiscoveryParams
from walltrack.domain.swap_evidence import SWAP_PROGRAM_IDS
from walltrack.domain.swap_types import Side, Swap

EXCLUDED_ACCOUNTS = SWAP_PROGRAM_IDS | frozenset(
    {
        "11111111111111111111111111111111",  # System program
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",  # SPL Token
        "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",  # Token-2022
        "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL",  # Associated Token Account
        "ComputeBudget111111111111111111111111111111",  # Compute Budget
        "JUP4Fb2cqiRUcaTHdrPC8h2gNsA2ETXiPDD33WcGuJB",  # Jupiter v4
        "5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1",  # Raydium AMM authority
    }
)
"""Accounts that trade for everybody and are never a smart wallet."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DiscoveryCandidate:
    """One buyer of the token judged against the discovery rules."""

    wallet: str
    token_mint: str
    first_buy_at: datetime
    seconds_after_launch: float
    bought_amount: int
    sold_amount: int
    spent_lamports: int
    received_lamports: int
    early: bool
    profitable: bool
    failed: tuple[str, ...]  # "late", "kept_tokens", "low_profit"

    @property
    def sold_fraction(self) -> float:
        """Tokens sold over tokens bought (capped at 1)."""
        return min(1.0, self.sold_amount / self.bought_amount) if self.bought_amount else 0.0

    @property
    def profit_ratio(self) -> float:
        """(SOL received - SOL spent) / SOL spent."""
        if not self.spent_lamports:
            return 0.0
        return (self.received_lamports - self.spent_lamports) / self.spent_lamports

    @property
    def accepted(self) -> bool:
        """Early and profitable: worth profiling."""
        return self.early and self.profitable


def judge_buyer(
    wallet: str, swaps: Iterable[Swap], launched_at: datetime, params: DiscoveryParams
) -> DiscoveryCandidate | None:
    """One wallet's swaps of one token against the rules (None when it never bought)."""
    own = sorted(swaps, key=lambda s: (s.timestamp, s.slot, s.signature))
    buys = [s for s in own if s.side is Side.BUY]
    if not buys:
        return None
    sells = [s for s in own if s.side is Side.SELL]
    first = buys[0].timestamp
    after = (first - launched_at).total_seconds()
    early = first - launched_at <= timedelta(seconds=params.early_buyer_window_s)
    bought = sum(s.token_amount for s in buys)
    sold = sum(s.token_amount for s in sells)
    spent = sum(s.sol_lamports for s in buys)
    received = sum(s.sol_lamports for s in sells)
    sold_enough = sold >= bought * params.min_sold_fraction
    profit = (received - spent) / spent if spent else 0.0
    profitable_enough = profit >= params.min_profit_ratio
    failed = tuple(
        name
        for name, ok in (
            ("late", early),
            ("kept_tokens", sold_enough),
            ("low_profit", profitable_enough),
        )
        if not ok
    )
    return DiscoveryCandidate(
        wallet=wallet,
        token_mint=buys[0].token_mint,
        first_buy_at=first,
        seconds_after_launch=after,
        bought_amount=bought,
        sold_amount=sold,
        spent_lamports=spent,
        received_lamports=received,
        early=early,
        profitable=sold_enough and profitable_enough,
        failed=failed,
    )


def find_candidates(
    swaps: Iterable[Swap],
    launched_at: datetime,
    params: DiscoveryParams,
    excluded: frozenset[str] = frozenset(),
) -> tuple[DiscoveryCandidate, ...]:
    """Every non-program buyer among one token's swaps, judged; earliest first."""
    by_wallet: defaultdict[str, list[Swap]] = defaultdict(list)
    for swap in swaps:
        if swap.wallet in EXCLUDED_ACCOUNTS or swap.wallet in excluded:
            continue
        by_wallet[swap.wallet].append(swap)
    judged = (judge_buyer(w, own, launched_at, params) for w, own in by_wallet.items())
    found = [c for c in judged if c is not None]
    found.sort(key=lambda c: (c.first_buy_at, c.wallet))
    return tuple(found)
