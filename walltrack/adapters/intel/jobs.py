"""All the intelligence jobs over one database and one set of venues.

Why one builder: the actors, the CLI and the evaluation need the same four jobs sharing
one watchlist (one webhook sync per run) and one cache of token scans (profiling reuses
what wallet discovery just read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from walltrack.adapters.intel.decay import DecayJob
from walltrack.adapters.intel.lifecycle import Watchlist
from walltrack.adapters.intel.profiling import WalletProfiler
from walltrack.adapters.intel.store import IntelStore
from walltrack.adapters.intel.token_discovery import TokenDiscovery
from walltrack.adapters.intel.venues import (
    AddressHistory,
    MintReader,
    Publish,
    TokenFeeds,
    WebhookTarget,
    no_publish,
)
from walltrack.adapters.intel.wallet_discovery import ScanCache, WalletDiscovery
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.tokens import TokenRepository
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.params import RuntimeParams
from walltrack.ports import PriceSource


@dataclass(frozen=True, slots=True, kw_only=True)
class IntelVenues:
    """Where the jobs read the market: DexScreener, Helius history, RPC, the webhook."""

    feeds: TokenFeeds
    history: AddressHistory
    rpc: MintReader
    prices: PriceSource | None = None
    webhook: WebhookTarget | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IntelJobs:
    """The four jobs and the watchlist they share."""

    tokens: TokenDiscovery
    wallets: WalletDiscovery
    profiler: WalletProfiler
    decay: DecayJob
    watchlist: Watchlist
    store: IntelStore


def build_jobs(
    db: Database,
    venues: IntelVenues,
    *,
    params: Callable[[], RuntimeParams],
    now: Callable[[], datetime],
    publish: Publish = no_publish,
    scan_missing: int = 0,
    max_pages: int | None = None,
    cache: ScanCache | None = None,
) -> IntelJobs:
    """Every job on `db` and `venues`; `publish` receives their events; `cache` (token
    scans) may be shared by several builds (one per actor)."""
    wallets = WalletRepository(db)
    tokens = TokenRepository(db)
    store = IntelStore(db)
    cache = cache or ScanCache()
    watchlist = Watchlist(
        wallets=wallets, store=store, now=now, publish=publish, webhook=venues.webhook
    )
    return IntelJobs(
        tokens=TokenDiscovery(
            feeds=venues.feeds,
            rpc=venues.rpc,
            tokens=tokens,
            params=lambda: params().tokens,
            now=now,
            prices=venues.prices,
            publish=publish,
        ),
        wallets=WalletDiscovery(
            history=venues.history,
            wallets=wallets,
            tokens=tokens,
            store=store,
            params=lambda: params().discovery,
            now=now,
            cache=cache,
            publish=publish,
            max_pages=max_pages,
        ),
        profiler=WalletProfiler(
            history=venues.history,
            wallets=wallets,
            store=store,
            watchlist=watchlist,
            params=params,
            now=now,
            cache=cache,
            publish=publish,
            scan_missing=scan_missing,
        ),
        decay=DecayJob(
            history=venues.history,
            wallets=wallets,
            store=store,
            watchlist=watchlist,
            params=params,
            now=now,
            publish=publish,
        ),
        watchlist=watchlist,
        store=store,
    )
