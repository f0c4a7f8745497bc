"""Wallet discovery from tokens: their early buyers that took a real profit in SOL.

Why from tokens: a wallet that bought a token in its first 30 minutes and sold >= 90 % of
it for >= 50 % more SOL has shown the skill WallTrack follows. Each token's history is
scanned back to its launch (token_history), its buyers judged (domain.discovery), every
judged buyer stored with where and how it was found, and the accepted ones recorded as
discovered wallets for profiling. The scan also stores the buyers' order (timing).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from walltrack.adapters.intel.store import IntelStore
from walltrack.adapters.intel.token_history import TokenScan, scan_token
from walltrack.adapters.intel.venues import AddressHistory, Progress, Publish, no_publish
from walltrack.adapters.postgres.repositories.tokens import TokenRepository
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.discovery import DiscoveryCandidate, find_candidates
from walltrack.domain.params.market import DiscoveryParams
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger

_log = get_logger("wallet_discovery")

METHOD = "early_profitable_buyer"
SCAN_CACHE_SIZE = 256


class ScanCache:
    """The latest scans in memory (profiling reads their buyers' order and prices)."""

    def __init__(self, size: int = SCAN_CACHE_SIZE) -> None:
        self._size = size
        self._scans: OrderedDict[str, TokenScan] = OrderedDict()

    def get(self, mint: str) -> TokenScan | None:
        """The cached scan of `mint`."""
        scan = self._scans.get(mint)
        if scan is not None:
            self._scans.move_to_end(mint)
        return scan

    def put(self, scan: TokenScan) -> None:
        """Keep `scan`, forgetting the least recently used beyond the size."""
        self._scans[scan.mint] = scan
        self._scans.move_to_end(scan.mint)
        while len(self._scans) > self._size:
            self._scans.popitem(last=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenDiscoveryResult:
    """One token's scan and its judged buyers."""

    mint: str
    scan: TokenScan
    candidates: tuple[DiscoveryCandidate, ...]

    @property
    def accepted(self) -> tuple[DiscoveryCandidate, ...]:
        """Early and profitable buyers."""
        return tuple(c for c in self.candidates if c.accepted)


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletRunSummary:
    """What one run scanned and found."""

    tokens: int = 0
    failed_tokens: int = 0
    transactions: int = 0
    buyers: int = 0
    accepted: int = 0
    new_wallets: int = 0
    found: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, int]:
        """Counters for the progress event."""
        return {
            "tokens": self.tokens,
            "failed_tokens": self.failed_tokens,
            "transactions": self.transactions,
            "buyers": self.buyers,
            "accepted": self.accepted,
            "new_wallets": self.new_wallets,
        }


class WalletDiscovery:
    """`discover(mints)`: scan each token to its launch and store its early winners."""

    def __init__(
        self,
        *,
        history: AddressHistory,
        wallets: WalletRepository,
        tokens: TokenRepository,
        store: IntelStore,
        params: Callable[[], DiscoveryParams],
        now: Callable[[], datetime],
        cache: ScanCache | None = None,
        publish: Publish = no_publish,
        max_pages: int | None = None,
    ) -> None:
        self._history = history
        self._wallets = wallets
        self._tokens = tokens
        self._store = store
        self._params = params
        self._now = now
        self.cache = cache or ScanCache()
        self._publish = publish
        self._max_pages = max_pages

    def pending_tokens(self) -> list[str]:
        """Stored tokens not scanned yet (the scheduled run's work list)."""
        return self._store.unscanned_tokens(self._params().tokens_per_run)

    async def discover(self, mints: Sequence[str] | None = None) -> WalletRunSummary:
        """Scan `mints` (default: the pending tokens) and record what they reveal."""
        todo = list(dict.fromkeys(mints if mints is not None else self.pending_tokens()))
        progress = Progress("wallets", self._publish, self._now)
        summary = WalletRunSummary()
        found: list[str] = []
        for index, mint in enumerate(todo):
            progress.report(f"scanning {mint}", done=index, total=len(todo))
            try:
                result = await self.discover_token(mint, progress)
            except UpstreamError as error:
                _log.warning("token_scan_failed", mint=mint, error=type(error).__name__)
                summary = _add(summary, failed_tokens=1)
                continue
            new = self._record(result)
            found.extend(c.wallet for c in result.accepted)
            summary = _add(
                summary,
                tokens=1,
                transactions=result.scan.transactions,
                buyers=len(result.candidates),
                accepted=len(result.accepted),
                new_wallets=new,
            )
        summary = WalletRunSummary(**summary.as_dict(), found=tuple(dict.fromkeys(found)))
        progress.finish(summary.as_dict())
        return summary

    async def discover_token(
        self, mint: str, progress: Progress | None = None
    ) -> TokenDiscoveryResult:
        """Scan one token back to its launch and judge its buyers (nothing stored)."""
        token = self._tokens.get(mint)
        excluded = frozenset(_pool_accounts(token.extra if token is not None else None))

        def on_page(pages: int, txs: int) -> None:
            if progress is not None:
                progress.report(f"scanning {mint}: {pages} pages, {txs} transactions")

        scan = await scan_token(
            self._history,
            mint,
            launched_hint=token.launched_at if token is not None else None,
            excluded=excluded,
            max_pages=self._max_pages,
            on_page=on_page,
        )
        self.cache.put(scan)
        launched = scan.launched_at
        if launched is None:
            return TokenDiscoveryResult(mint=mint, scan=scan, candidates=())
        candidates = find_candidates(scan.swaps, launched, self._params(), excluded)
        return TokenDiscoveryResult(mint=mint, scan=scan, candidates=candidates)

    def _record(self, result: TokenDiscoveryResult) -> int:
        at = self._now()
        self._store.save_scan(result.scan, at=at)
        self._store.record_discoveries(result.candidates, method=METHOD, at=at)
        new = 0
        for candidate in result.accepted:
            known = self._wallets.get(candidate.wallet) is not None
            self._wallets.add_discovered(candidate.wallet, at=at, from_token=result.mint)
            self._store.note_method(candidate.wallet, METHOD)
            new += not known
        return new


def _pool_accounts(extra: object) -> list[str]:
    if not isinstance(extra, dict):
        return []
    pools = extra.get("pair_addresses", [])
    return [str(p) for p in pools] if isinstance(pools, list) else []


def _add(summary: WalletRunSummary, **counts: int) -> WalletRunSummary:
    values = summary.as_dict()
    for key, value in counts.items():
        values[key] += value
    return WalletRunSummary(**values, found=summary.found)
