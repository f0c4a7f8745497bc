"""The profiling job: a wallet's swap history -> its profile -> its place on the watchlist.

Why here: profiling reads the wallet's history from Helius (backward, up to
`history_max_pages`), ranks its first buys among each token's buyers (the scans stored by
wallet discovery, or new scans when `scan_missing` allows), checks from the same buyers
whether it trails one other wallet (a copy-trader), prices a 3 s-late follower on the
scanned price paths, adds the decay verdict of its own trades, stores the profile and
moves the wallet along its lifecycle. Run on schedule (new wallets, and every wallet
whose profile is older than `reprofile_every_hours`) and on demand.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from walltrack.adapters.intel.lifecycle import WATCHED, Watchlist
from walltrack.adapters.intel.store import IntelStore
from walltrack.adapters.intel.token_history import TokenScan, scan_token
from walltrack.adapters.intel.venues import AddressHistory, Progress, Publish, no_publish
from walltrack.adapters.intel.wallet_discovery import ScanCache
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.decay import DecayState, evaluate_decay
from walltrack.domain.fifo import pair_fifo
from walltrack.domain.params import RuntimeParams
from walltrack.domain.profiling import TokenEntry, buyer_entries, profile_wallet, watchlist_check
from walltrack.domain.records.wallets import WalletProfile, WalletRecord, WalletStatus
from walltrack.domain.swap_types import Side, Swap
from walltrack.domain.swaps import classify_swap
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger

_log = get_logger("profiling")

PAGE_SIZE = 100
BATCH_LIMIT = 10_000


async def wallet_swaps(history: AddressHistory, address: str, max_pages: int) -> list[Swap]:
    """The wallet's swaps, newest `max_pages` pages of its history, oldest first."""
    swaps: list[Swap] = []
    before: str | None = None
    for _ in range(max_pages):
        page = await history.transactions_for_address(address, before=before, limit=PAGE_SIZE)
        if not page:
            break
        for tx in page:
            swap = classify_swap(dict(tx), address)
            if isinstance(swap, Swap):
                swaps.append(swap)
        signature = page[-1].get("signature")
        if len(page) < PAGE_SIZE or not isinstance(signature, str) or signature == before:
            break
        before = signature
    swaps.sort(key=lambda s: (s.timestamp, s.slot, s.signature))
    return swaps


class ScannedPrices:
    """Price paths of scanned tokens, kept once per mint (scans are chronological)."""

    def __init__(self) -> None:
        self._paths: dict[str, tuple[list[datetime], list[Decimal]]] = {}

    def add(self, scan: TokenScan) -> None:
        """Keep `scan`'s price path (the first scan of a mint wins)."""
        if scan.mint not in self._paths:
            self._paths[scan.mint] = ([t for t, _ in scan.prices], [p for _, p in scan.prices])

    def __call__(self, mint: str, at: datetime) -> Decimal | None:
        """The last price at or before `at`, None when unknown."""
        path = self._paths.get(mint)
        if path is None:
            return None
        index = bisect.bisect_right(path[0], at) - 1
        return path[1][index] if index >= 0 else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileRunSummary:
    """What one run profiled and where the wallets went."""

    profiled: int = 0
    failed: int = 0
    watchlisted: int = 0
    ignored: int = 0
    flagged: int = 0
    removed: int = 0

    def as_dict(self) -> dict[str, int]:
        """Counters for the progress event."""
        return asdict(self)


class WalletProfiler:
    """`profile(address)` on demand; `run()` for the scheduled batch."""

    def __init__(
        self,
        *,
        history: AddressHistory,
        wallets: WalletRepository,
        store: IntelStore,
        watchlist: Watchlist,
        params: Callable[[], RuntimeParams],
        now: Callable[[], datetime],
        cache: ScanCache | None = None,
        publish: Publish = no_publish,
        scan_missing: int = 0,
    ) -> None:
        self._history = history
        self._wallets = wallets
        self._store = store
        self.watchlist = watchlist
        self._params = params
        self._now = now
        self._cache = cache or ScanCache()
        self._publish = publish
        self._scan_missing = scan_missing
        self._prices = ScannedPrices()

    def due(self) -> list[str]:
        """New wallets, then watched and profiled ones whose profile is stale."""
        stale_before = self._now() - timedelta(hours=self._params().profiling.reprofile_every_hours)
        due = [
            r.address for r in self._wallets.by_status(WalletStatus.DISCOVERED, limit=BATCH_LIMIT)
        ]
        for status in (*WATCHED, WalletStatus.PROFILED):
            for record in self._wallets.by_status(status, limit=BATCH_LIMIT):
                if record.profiled_at is None or record.profiled_at <= stale_before:
                    due.append(record.address)
        return due

    async def run(self, addresses: Sequence[str] | None = None) -> ProfileRunSummary:
        """Profile `addresses` (default: `due()`), publishing progress."""
        todo = list(dict.fromkeys(addresses if addresses is not None else self.due()))
        progress = Progress("profiling", self._publish, self._now)
        counts = ProfileRunSummary().as_dict()
        for index, address in enumerate(todo):
            progress.report(f"profiling {address}", done=index, total=len(todo))
            try:
                record = await self.profile(address)
            except UpstreamError as error:
                _log.warning("profile_failed", wallet=address, error=type(error).__name__)
                counts["failed"] += 1
                continue
            counts["profiled"] += 1
            key = record.status.value
            if key in counts:
                counts[key] += 1
        await self.watchlist.sync_webhook()
        summary = ProfileRunSummary(**counts)
        progress.finish(summary.as_dict())
        return summary

    def watchlist_record(self, address: str) -> WalletRecord:
        """The stored wallet (KeyError when unknown)."""
        record = self._wallets.get(address)
        if record is None:
            raise KeyError(address)
        return record

    async def profile(self, address: str) -> WalletRecord:
        """Profile one wallet now, store it and apply the watchlist verdict."""
        params = self._params()
        record = self._wallets.get(address)
        if record is None:
            record = self.watchlist.add_manual(address)
        swaps = await wallet_swaps(self._history, address, params.profiling.history_max_pages)
        profile = await self.compute(record, swaps)
        at = self._now()
        saved = self._wallets.save_profile(address, profile, profiled_at=at)
        if swaps:
            self._wallets.touch_activity(address, swaps[-1].timestamp)
        verdict = watchlist_check(profile, params.watchlist)
        self.watchlist.after_profile(saved, verdict)
        updated = self._wallets.get(address)
        assert updated is not None
        return updated

    async def compute(self, record: WalletRecord, swaps: Sequence[Swap]) -> WalletProfile:
        """The profile of `swaps` (with timing, copy-tradeability and decay filled in)."""
        params = self._params()
        traded = sorted({s.token_mint for s in swaps if s.side is Side.BUY})
        scans = await self._scans(traded)
        buyers = self._buyers(traded, scans)
        entries = self._entries(record.address, buyers)
        for scan in scans.values():
            self._prices.add(scan)
        profile = profile_wallet(
            swaps,
            token_entries=entries,
            params=params.profiling,
            weights=params.scoring.wallet,
            price_at=self._prices if scans else None,
            token_buyers=buyers,
            lead_tokens=self._store.tokens_bought,
        )
        trades = sorted(
            pair_fifo(swaps, params.profiling.dust_fraction).closed, key=lambda t: t.closed_at
        )
        outcomes = [t.pnl_ratio >= params.profiling.win_pnl_ratio for t in trades]
        verdict = evaluate_decay(
            outcomes=outcomes,
            lifetime_win_rate=profile.win_rate if outcomes else None,
            last_activity_at=swaps[-1].timestamp if swaps else record.last_activity_at,
            now=self._now(),
            previous=DecayState(status=record.profile.decay_status),
            params=params.decay,
        )
        return replace(profile, decay_status=verdict.state.status, decay_score=verdict.decay_score)

    async def _scans(self, mints: Sequence[str]) -> dict[str, TokenScan]:
        scans = {m: s for m in mints if (s := self._cache.get(m)) is not None}
        stored = self._store.scanned(m for m in mints if m not in scans)
        missing = [m for m in mints if m not in scans and m not in stored]
        for mint in missing[: self._scan_missing]:
            scan = await scan_token(self._history, mint)
            self._cache.put(scan)
            self._store.save_scan(scan, at=self._now())
            scans[mint] = scan
        return scans

    def _buyers(
        self, mints: Sequence[str], scans: dict[str, TokenScan]
    ) -> dict[str, list[tuple[str, datetime]]]:
        """(wallet, first buy) of every known buyer of each token, scanned or stored."""
        stored = self._store.first_buys(m for m in mints if m not in scans)
        buyers: dict[str, list[tuple[str, datetime]]] = {}
        for mint in mints:
            buys = list(scans[mint].first_buys().items()) if mint in scans else stored.get(mint)
            if buys:
                buyers[mint] = buys
        return buyers

    @staticmethod
    def _entries(
        address: str, buyers: dict[str, list[tuple[str, datetime]]]
    ) -> dict[str, TokenEntry]:
        entries: dict[str, TokenEntry] = {}
        for mint, buys in buyers.items():
            ranked = buyer_entries(buys)
            if address in ranked:
                entries[mint] = ranked[address]
        return entries
