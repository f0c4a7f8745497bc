"""The signal path's ports on the stores the StoresSupervisor opened (StoreHandles).

Why delegating objects: per store_handles.py, actors never keep a pool across messages; a
store that restarts hands out a new one. Each port here looks the store up on every call,
so a scorer or wallet actor keeps working after the stores reconnect, and raises
StoreUnavailableError (retry) while they are down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from actors.ingress import TRACKED_STATUSES
from actors.runtime.store_handles import StoreHandles
from supervisors.dynamic import MAX_RESIDENT
from supervisors.signal_tree import SignalPorts
from walltrack.adapters.graph.live_buys import GraphBuyRecorder
from walltrack.adapters.graph.stored_clusters import GraphClusterSource
from walltrack.adapters.token_facts import StoredTokenFacts
from walltrack.domain.clustering import Cluster, FirstBuy, SyncedBuy
from walltrack.domain.records.signals import SignalRecord
from walltrack.domain.records.wallets import TokenRecord, WalletRecord, WalletStatus
from walltrack.pipeline_ports import RecentSwaps
from walltrack.ports import PriceSource, TokenDataSource

MAX_TRACKED = 1_000_000


class _Wallets:
    def __init__(self, handles: StoreHandles) -> None:
        self._handles = handles

    def get(self, address: str) -> WalletRecord | None:
        return self._handles.postgres().wallets.get(address)

    def set_score(self, address: str, score: float) -> WalletRecord:
        return self._handles.postgres().wallets.set_score(address, score)


class _Signals:
    def __init__(self, handles: StoreHandles) -> None:
        self._handles = handles

    def insert_many(self, signals: Sequence[SignalRecord]) -> None:
        self._handles.postgres().signals.insert_many(signals)


class _Tokens:
    def __init__(self, handles: StoreHandles) -> None:
        self._handles = handles

    def get(self, mint: str) -> TokenRecord | None:
        return self._handles.postgres().tokens.get(mint)


class _Graph:
    def __init__(self, handles: StoreHandles) -> None:
        self._handles = handles

    def record_buys(
        self, bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy]
    ) -> None:
        GraphBuyRecorder(self._handles.graph()).record_buys(bought, synced)


class _Clusters:
    def __init__(self, handles: StoreHandles) -> None:
        self._handles = handles

    def load_clusters(self) -> tuple[Cluster, ...]:
        source = GraphClusterSource(
            self._handles.graph(), _Wallets(self._handles), lambda: self._handles.params().clusters
        )
        return source.load_clusters()


def tracked_wallets(handles: StoreHandles) -> Iterable[str]:
    """Addresses of every wallet in a tracked status."""
    wallets = handles.postgres().wallets
    for status in sorted(TRACKED_STATUSES):
        for record in wallets.by_status(status, limit=MAX_TRACKED):
            yield record.address


def watchlisted_wallets(handles: StoreHandles) -> Iterable[str]:
    """Addresses of the watchlist proper: the wallets whose actors stay active."""
    wallets = handles.postgres().wallets
    for record in wallets.by_status(WalletStatus.WATCHLISTED, limit=MAX_RESIDENT):
        yield record.address


def signal_ports(
    handles: StoreHandles,
    *,
    token_venue: TokenDataSource | None = None,
    prices: PriceSource | None = None,
    venue_loop: asyncio.AbstractEventLoop | None = None,
    recent_swaps: RecentSwaps | None = None,
    token_timeout_s: float = 1.5,
    tracked_mirror: set[str] | None = None,
) -> SignalPorts:
    """The ports of `signal_children` on the tree's stores and (optionally) venues.

    `token_venue` (DexScreener) and `prices` (Birdeye or the fallback price source, for
    bonding-curve liquidity) run on `venue_loop`; without them only the tokens table is read.
    """
    return SignalPorts(
        wallets=lambda: _Wallets(handles),
        signals=lambda: _Signals(handles),
        tokens=lambda: StoredTokenFacts(
            _Tokens(handles),
            token_venue,
            venue_loop if token_venue is not None else None,
            prices=prices,
            timeout_s=token_timeout_s,
        ),
        graph=lambda: _Graph(handles),
        clusters=lambda: _Clusters(handles),
        tracked=lambda: tuple(tracked_wallets(handles)),
        resident=lambda: tuple(watchlisted_wallets(handles)),
        params=handles.params,
        recent_swaps=None if recent_swaps is None else (lambda: recent_swaps),
        venue_loop=venue_loop,
        tracked_mirror=tracked_mirror,
    )
