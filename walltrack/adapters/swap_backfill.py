"""Swaps the webhooks missed, recovered from the chain: RPC signatures, then Helius parsing.

Why: Helius drops an event after three failed deliveries, so a tracked wallet's buy could
vanish. The signature poller lists each wallet's transactions since the last one seen;
Helius parses them into enhanced transactions, and the same classifier as the webhook path
turns them into swaps. Signatures the webhook already delivered come back too: the
ingress and the wallet actors drop them by signature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from walltrack.adapters.signature_poller import SignaturePoller
from walltrack.domain.swap_types import Swap
from walltrack.domain.swaps import classify_swap
from walltrack.ports import SolanaRpc

type ParseTransactions = Callable[[Sequence[str]], Awaitable[Sequence[Any]]]
"""Helius `parse_transactions`: enhanced transactions for signatures (unknown omitted)."""


class PolledSwaps:
    """`recover(wallets)`: new swaps of `wallets` since the previous call, oldest first."""

    def __init__(self, rpc: SolanaRpc, parse: ParseTransactions, *, page_size: int = 100) -> None:
        self._poller = SignaturePoller(rpc, (), page_size=page_size)
        self._parse = parse
        self._rpc = rpc
        self._page_size = page_size

    async def recover(self, wallets: Sequence[str]) -> Sequence[Swap]:
        """Poll once; classify each new transaction for the wallet that made it."""
        self._poller.track(wallets)
        owners: dict[str, list[str]] = {}
        for found in [f async for f in self._poller.poll()]:
            for info in found.signatures:
                if info.err is None:
                    owners.setdefault(info.signature, []).append(found.wallet)
        if not owners:
            return ()
        swaps: list[Swap] = []
        for tx in await self._parse(list(owners)):
            signature = tx.get("signature") if isinstance(tx, Mapping) else None
            for wallet in owners.get(str(signature), ()):
                swap = classify_swap(tx, wallet)
                if isinstance(swap, Swap):
                    swaps.append(swap)
        return sorted(swaps, key=lambda s: (s.timestamp, s.slot, s.signature))

    def progress(self) -> dict[str, str]:
        """The newest signature seen per wallet."""
        return self._poller.last_seen()

    def resume(self, progress: Mapping[str, str]) -> None:
        """Start again after `progress` (the wallets listed are not re-baselined)."""
        self._poller = SignaturePoller(
            self._rpc, list(progress), last_seen=progress, page_size=self._page_size
        )
