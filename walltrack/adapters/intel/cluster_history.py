"""Reading wallets' histories for the cluster rebuild, and growing the network around them.

Why from enhanced transactions: one backward walk over a wallet's Helius history gives
both its plain SOL transfers (FUNDED_BY, in and out) and its swaps (first buys per token),
so each wallet costs one paging, never one request per signature.

Network expansion: from each seed (a watchlisted wallet) to its funders, from each funder
to the other wallets it funded (siblings), and to the wallets the seed itself funded. A
funder that paid more than `max_siblings_per_funder` wallets is an exchange or a faucet (a
hub): its walk stops as soon as that is known and none of its recipients join. The network
never passes `max_network_size` wallets.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from walltrack.adapters.intel.cluster_links import LinkRules, Transfer, WalletActivity
from walltrack.domain.clustering import LAMPORTS_PER_SOL, FirstBuy
from walltrack.domain.params.clusters import ClusterParams
from walltrack.domain.swap_types import Side, Swap
from walltrack.domain.swaps import classify_swap
from walltrack.domain.venues import EnhancedTransaction


class TransactionHistory(Protocol):
    """What the rebuild needs of Helius: an address's enhanced transactions, newest first."""

    def iter_transactions_for_address(
        self,
        address: str,
        *,
        before: str | None = None,
        until: str | None = None,
        page_size: int = 100,
        max_pages: int | None = None,
    ) -> AsyncIterator[tuple[EnhancedTransaction, ...]]: ...


@dataclass(slots=True)
class Scan:
    """One wallet's walk: its activity, whom it funded, and whether the walk stopped early."""

    activity: WalletActivity
    recipients: frozenset[str]
    stopped_early: bool


@dataclass(slots=True)
class Network:
    """The wallets a rebuild looks at, what each did, and the funders found to be hubs."""

    activities: dict[str, WalletActivity] = field(default_factory=dict)
    recipients: dict[str, frozenset[str]] = field(default_factory=dict)
    hubs: set[str] = field(default_factory=set)


def transfers_of(tx: Mapping[str, Any]) -> list[Transfer]:
    """The plain SOL transfers of a TRANSFER transaction (none for swaps and the rest)."""
    if tx.get("type") != "TRANSFER" or tx.get("transactionError") is not None:
        return []
    at = datetime.fromtimestamp(int(tx.get("timestamp") or 0), tz=UTC)
    signature = str(tx.get("signature") or "")
    found = []
    for item in tx.get("nativeTransfers") or ():
        source, destination = item.get("fromUserAccount"), item.get("toUserAccount")
        amount = item.get("amount")
        if (
            isinstance(source, str)
            and isinstance(destination, str)
            and isinstance(amount, int)
            and source
            and destination
            and source != destination
            and amount > 0
        ):
            found.append(
                Transfer(
                    source=source,
                    destination=destination,
                    lamports=amount,
                    at=at,
                    signature=signature,
                )
            )
    return found


class ClusterHistory:
    """Scans wallets over Helius, a few at a time."""

    def __init__(
        self,
        helius: TransactionHistory,
        params: ClusterParams,
        *,
        max_pages: int = 20,
        concurrency: int = 8,
    ) -> None:
        self._helius = helius
        self._min_lamports = int(params.funding_min_sol * LAMPORTS_PER_SOL)
        self._max_pages = max_pages
        self._gate = asyncio.Semaphore(concurrency)

    async def scan(self, wallet: str, *, stop_after_recipients: int | None = None) -> Scan:
        """Walk `wallet`'s history back; stop once it funded more than the given number."""
        buys: dict[str, FirstBuy] = {}
        incoming: list[Transfer] = []
        outgoing: list[Transfer] = []
        recipients: set[str] = set()
        stopped = False
        async with self._gate:
            pages = self._helius.iter_transactions_for_address(wallet, max_pages=self._max_pages)
            async for page in pages:
                for tx in page:
                    self._read(tx, wallet, buys, incoming, outgoing, recipients)
                if stop_after_recipients is not None and len(recipients) > stop_after_recipients:
                    stopped = True
                    break
        activity = WalletActivity(
            wallet=wallet,
            buys=tuple(sorted(buys.values(), key=lambda b: (b.at, b.token_mint))),
            funded_by=tuple(incoming),
            funded=tuple(outgoing),
        )
        return Scan(activity=activity, recipients=frozenset(recipients), stopped_early=stopped)

    def _read(  # noqa: PLR0917 - the accumulators of one walk
        self,
        tx: EnhancedTransaction,
        wallet: str,
        buys: dict[str, FirstBuy],
        incoming: list[Transfer],
        outgoing: list[Transfer],
        recipients: set[str],
    ) -> None:
        transfers = transfers_of(tx)
        if transfers:
            for transfer in transfers:
                if transfer.lamports < self._min_lamports:
                    continue
                if transfer.destination == wallet:
                    incoming.append(transfer)
                elif transfer.source == wallet:
                    outgoing.append(transfer)
                    recipients.add(transfer.destination)
            return
        swap = classify_swap(tx, wallet)
        if isinstance(swap, Swap) and swap.side is Side.BUY:
            known = buys.get(swap.token_mint)
            if known is None or swap.timestamp < known.at:
                buys[swap.token_mint] = FirstBuy(
                    wallet=wallet, token_mint=swap.token_mint, at=swap.timestamp
                )

    async def expand(self, seeds: Iterable[str], rules: LinkRules) -> Network:
        """The seeds, their non-hub funders, those funders' recipients and the seeds' own."""
        network = Network()
        seeds = list(dict.fromkeys(seeds))[: rules.max_network_size]
        await self._scan_all(network, seeds, None)
        funders = sorted(
            {t.source for w in seeds for t in network.activities[w].funded_by} - set(seeds)
        )
        funder_scans = await asyncio.gather(
            *(self.scan(f, stop_after_recipients=rules.max_siblings_per_funder) for f in funders)
        )
        siblings = [  # a seed that paid a few wallets brings them (a dev's insiders)
            w
            for seed in seeds
            if len(network.recipients[seed]) <= rules.max_siblings_per_funder
            for w in sorted(network.recipients[seed])
        ]
        for funder, scan in zip(funders, funder_scans, strict=True):
            network.recipients[funder] = scan.recipients
            if scan.stopped_early or len(scan.recipients) > rules.max_siblings_per_funder:
                network.hubs.add(funder)
                continue
            network.activities[funder] = scan.activity
            siblings.extend(sorted(scan.recipients))
        room = rules.max_network_size - len(network.activities)
        fresh = [w for w in dict.fromkeys(siblings) if w not in network.activities][: max(0, room)]
        await self._scan_all(network, fresh, None)
        return network

    async def _scan_all(self, network: Network, wallets: list[str], cap: int | None) -> None:
        scans = await asyncio.gather(*(self.scan(w, stop_after_recipients=cap) for w in wallets))
        for wallet, scan in zip(wallets, scans, strict=True):
            network.activities[wallet] = scan.activity
            network.recipients[wallet] = scan.recipients
