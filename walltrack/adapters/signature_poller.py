"""RPC polling of tracked wallets: the fallback when Helius webhooks are not arriving.

Why: if the webhook endpoint is unreachable or Helius is down, copy-trading must not go
blind. The poller asks the RPC for each wallet's signatures newer than the last one it saw
(`until=`), paging backward (`before=`) when a wallet did more than a page, and yields them
oldest first. A wallet seen for the first time only sets its baseline (no history replay)
unless a starting signature is given; `last_seen()` is what an actor snapshots.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping

import structlog

from walltrack.domain.venues import SignatureInfo, WalletSignatures
from walltrack.errors import RejectedByVenueError, UpstreamError
from walltrack.ports import SolanaRpc

_log = structlog.get_logger(__name__)


class SignaturePoller:
    """Yields new signatures per tracked wallet since the last seen one."""

    def __init__(
        self,
        rpc: SolanaRpc,
        wallets: Iterable[str],
        *,
        last_seen: Mapping[str, str] | None = None,
        page_size: int = 100,
        max_pages: int = 10,
    ) -> None:
        self._rpc = rpc
        self._wallets: list[str] = list(dict.fromkeys(wallets))
        self._last_seen: dict[str, str] = dict(last_seen or {})
        self._baselined: set[str] = set(self._last_seen)
        self._page_size = page_size
        self._max_pages = max_pages

    @property
    def wallets(self) -> tuple[str, ...]:
        """The wallets polled, in polling order."""
        return tuple(self._wallets)

    def track(self, wallets: Iterable[str]) -> None:
        """Replace the tracked set; progress of wallets still tracked is kept."""
        self._wallets = list(dict.fromkeys(wallets))
        keep = set(self._wallets)
        self._last_seen = {w: s for w, s in self._last_seen.items() if w in keep}
        self._baselined &= keep

    def last_seen(self) -> dict[str, str]:
        """The newest signature seen per wallet (to persist and pass back after a restart)."""
        return dict(self._last_seen)

    async def poll(self) -> AsyncIterator[WalletSignatures]:
        """One pass over all wallets; yields only wallets with new signatures.

        A wallet whose RPC call fails is skipped this pass and asked again next time; one
        the node refuses (e.g. not a valid public key) is skipped too, reported, and never
        stops the others.
        """
        for wallet in list(self._wallets):
            try:
                found = await self._poll_wallet(wallet)
            except (UpstreamError, RejectedByVenueError) as error:
                code = error.code if isinstance(error, RejectedByVenueError) else None
                _log.warning(
                    "wallet_poll_failed", wallet=wallet, error=type(error).__name__, code=code
                )
                continue
            if found is not None and found.signatures:
                yield found

    async def _poll_wallet(self, wallet: str) -> WalletSignatures | None:
        if wallet not in self._baselined:
            newest = await self._rpc.get_signatures_for_address(wallet, limit=1)
            self._baselined.add(wallet)
            if newest:
                self._last_seen[wallet] = newest[0].signature
            return None
        until = self._last_seen.get(wallet)
        collected: list[SignatureInfo] = []
        before: str | None = None
        truncated = False
        for page_number in range(self._max_pages):
            page = await self._rpc.get_signatures_for_address(
                wallet, before=before, until=until, limit=self._page_size
            )
            fresh = [info for info in page if info.signature != until]
            collected.extend(fresh)
            if len(page) < self._page_size or not fresh:
                break
            before = page[-1].signature
            truncated = page_number == self._max_pages - 1
        if not collected:
            return None
        self._last_seen[wallet] = collected[0].signature
        return WalletSignatures(
            wallet=wallet, signatures=tuple(reversed(collected)), truncated=truncated
        )
