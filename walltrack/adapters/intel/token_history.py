"""A token's whole trading history, read backward page by page down to its launch.

Why backward to the launch: the original project read only the newest page of a token's
transactions, so it never saw the buyers of the first minutes, the very wallets worth
finding. Pages are requested with `before=` the oldest signature seen until the token's
creation transaction appears, the pages pass its launch time, or the history ends.
Every transaction is classified for each wallet whose balance of the token moved in it
(the fee payer first), so a scan yields every buyer's and seller's swaps, the buyers'
order (the timing percentile) and a price path (copy-tradeability).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from walltrack.adapters.intel.venues import AddressHistory
from walltrack.domain.discovery import EXCLUDED_ACCOUNTS
from walltrack.domain.swap_types import Side, Swap
from walltrack.domain.swaps import classify_swap
from walltrack.domain.venues import EnhancedTransaction

PAGE_SIZE = 100
CREATE_TYPES = frozenset({"CREATE", "TOKEN_MINT"})


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenScan:
    """Every swap of one token found by a backward scan, oldest first."""

    mint: str
    swaps: tuple[Swap, ...]
    launched_at: datetime | None
    oldest_at: datetime | None
    transactions: int
    pages: int
    reached_launch: bool

    first_buy_at: Mapping[str, datetime]  # each buyer's first buy
    prices: tuple[tuple[datetime, Decimal], ...]  # SOL per whole token after each swap

    def first_buys(self) -> dict[str, datetime]:
        """Each buyer's first buy time."""
        return dict(self.first_buy_at)

    def price_points(self) -> list[tuple[datetime, Decimal]]:
        """The step price path of the token over the scan."""
        return list(self.prices)


def first_buys_of(swaps: Iterable[Swap]) -> dict[str, datetime]:
    """Each buyer's first buy time among chronological `swaps`."""
    first: dict[str, datetime] = {}
    for swap in swaps:
        if swap.side is Side.BUY and swap.wallet not in first:
            first[swap.wallet] = swap.timestamp
    return first


def price_points_of(swaps: Iterable[Swap]) -> tuple[tuple[datetime, Decimal], ...]:
    """SOL per whole token after each swap of chronological `swaps`."""
    points = []
    for swap in swaps:
        if swap.token_amount > 0:
            scale = Decimal(10) ** (swap.token_decimals - 9)
            points.append((swap.timestamp, Decimal(swap.sol_lamports) * scale / swap.token_amount))
    return tuple(points)


def traders_of(tx: Mapping[str, Any], mint: str) -> list[str]:
    """The fee payer, then every owner whose balance of `mint` moved, in order."""
    found: list[str] = []
    payer = tx.get("feePayer")
    if isinstance(payer, str) and payer:
        found.append(payer)
    for entry in tx.get("accountData") or ():
        if not isinstance(entry, Mapping):
            continue
        for change in entry.get("tokenBalanceChanges") or ():
            if isinstance(change, Mapping) and change.get("mint") == mint:
                owner = change.get("userAccount")
                if isinstance(owner, str) and owner and owner not in found:
                    found.append(owner)
    return found


def swaps_of_token(
    txs: Iterable[EnhancedTransaction], mint: str, excluded: frozenset[str] = frozenset()
) -> list[Swap]:
    """The swap of `mint` in each of `txs`: the fee payer's, else the first other owner's
    whose balance moved (a relayed trade); programs and pools are never traders."""
    found: list[Swap] = []
    for tx in txs:
        for wallet in traders_of(tx, mint):
            if wallet in EXCLUDED_ACCOUNTS or wallet in excluded:
                continue
            swap = classify_swap(dict(tx), wallet)
            if isinstance(swap, Swap) and swap.token_mint == mint:
                found.append(swap)
                break  # one trader per transaction: the pool's mirror leg is not a trade
    return found


def _timestamp(tx: Mapping[str, Any]) -> datetime | None:
    value = tx.get("timestamp")
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) else None


async def scan_token(
    history: AddressHistory,
    mint: str,
    *,
    launched_hint: datetime | None = None,
    excluded: frozenset[str] = frozenset(),
    page_size: int = PAGE_SIZE,
    max_pages: int | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> TokenScan:
    """Read `mint`'s transactions backward until its launch (or `max_pages`, a safety cap).

    `on_page(pages, transactions)` is called after each page (progress).
    """
    txs: list[EnhancedTransaction] = []
    before: str | None = None
    pages = 0
    created_at: datetime | None = None
    oldest: datetime | None = None
    exhausted = False
    while max_pages is None or pages < max_pages:
        page = await history.transactions_for_address(mint, before=before, limit=page_size)
        if not page:
            exhausted = True
            break
        pages += 1
        txs.extend(page)
        for tx in page:
            at = _timestamp(tx)
            if at is not None and (oldest is None or at < oldest):
                oldest = at
            if tx.get("type") in CREATE_TYPES and created_at is None:
                created_at = at
        if on_page is not None:
            on_page(pages, len(txs))
        signature = page[-1].get("signature")
        if created_at is not None or not isinstance(signature, str) or signature == before:
            break
        if launched_hint is not None and oldest is not None and oldest < launched_hint:
            break
        if len(page) < page_size:
            exhausted = True
            break
        before = signature
    launched = created_at or launched_hint or (oldest if exhausted else None)
    passed_hint = launched_hint is not None and oldest is not None and oldest <= launched_hint
    swaps = sorted(
        swaps_of_token(txs, mint, excluded), key=lambda s: (s.timestamp, s.slot, s.signature)
    )
    return TokenScan(
        mint=mint,
        swaps=tuple(swaps),
        first_buy_at=first_buys_of(swaps),
        prices=price_points_of(swaps),
        launched_at=launched,
        oldest_at=oldest,
        transactions=len(txs),
        pages=pages,
        reached_launch=created_at is not None or exhausted or passed_hint,
    )
