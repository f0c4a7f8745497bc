"""What the intelligence jobs need from the venues and how they report, as protocols.

Why protocols: the jobs run against the real clients (DexScreener, Helius, Solana RPC),
the simulator's copies of them, or anything a test or the evaluation plugs in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.venues import (
    AccountInfo,
    EnhancedTransaction,
    TokenHolder,
    TokenPair,
    TokenProfile,
    WebhookSyncResult,
)


class TokenFeeds(Protocol):
    """DexScreener: where new tokens are seen, and their pairs."""

    async def latest_token_profiles(self) -> tuple[TokenProfile, ...]:
        """Newest token profiles (Solana only)."""
        ...

    async def latest_boosts(self) -> tuple[TokenProfile, ...]:
        """Newest boosted tokens (Solana only)."""
        ...

    async def top_boosts(self) -> tuple[TokenProfile, ...]:
        """Most boosted tokens (Solana only)."""
        ...

    async def pairs_for_token(self, mint: str) -> tuple[TokenPair, ...]:
        """Every pool of a token."""
        ...


class AddressHistory(Protocol):
    """Helius: an address's enhanced transactions, one page at a time, newest first."""

    async def transactions_for_address(
        self, address: str, *, before: str | None = None, until: str | None = None, limit: int = 100
    ) -> tuple[EnhancedTransaction, ...]:
        """One page strictly older than `before`."""
        ...


class MintReader(Protocol):
    """Solana RPC reads behind token safety."""

    async def get_account_info(self, address: str) -> AccountInfo | None:
        """A jsonParsed account (the mint, or a token account)."""
        ...

    async def get_token_largest_accounts(self, mint: str) -> tuple[TokenHolder, ...]:
        """The mint's largest token accounts, largest first."""
        ...


class WebhookAddresses(Protocol):
    """Helius webhook management: the address list live swaps arrive for."""

    async def sync_tracked_wallets(
        self, *, webhook_url: str, wallets: Iterable[str], auth_header: str | None
    ) -> WebhookSyncResult:
        """Make the webhooks at `webhook_url` watch exactly `wallets`."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookTarget:
    """Where Helius must deliver the watched wallets' swaps (None in the jobs: no sync)."""

    api: WebhookAddresses
    url: str
    auth_header: str | None = None

    async def sync(self, wallets: Iterable[str]) -> WebhookSyncResult:
        """Point the webhooks at exactly `wallets`."""
        return await self.api.sync_tracked_wallets(
            webhook_url=self.url, wallets=sorted(set(wallets)), auth_header=self.auth_header
        )


type Publish = Callable[[Any], None]
"""Where a job's events go (the bus in the tree, a list or nothing outside it)."""


def no_publish(_event: Any) -> None:
    """Drop events (a job run with nobody listening)."""


class Progress:
    """Publishes `IntelJobProgressed` for one run of one job."""

    def __init__(self, job: str, publish: Publish, now: Callable[[], datetime]) -> None:
        self.job = job
        self._publish = publish
        self._now = now
        self._correlation = random_uuid()
        self.done = 0
        self.total = 0

    def report(self, phase: str, *, done: int | None = None, total: int | None = None) -> None:
        """Where the run is now."""
        if done is not None:
            self.done = done
        if total is not None:
            self.total = total
        self._emit(phase, finished=False, summary=())

    def finish(self, summary: dict[str, int]) -> None:
        """The run ended; its counters."""
        self.done = max(self.done, self.total)
        self._emit("finished", finished=True, summary=tuple(sorted(summary.items())))

    def _emit(self, phase: str, *, finished: bool, summary: tuple[tuple[str, int], ...]) -> None:
        at = self._now()
        self._publish(
            IntelJobProgressed(
                correlation_id=self._correlation,
                ts_event=at,
                ts_init=at,
                job=self.job,
                phase=phase,
                done=self.done,
                total=self.total,
                finished=finished,
                summary=summary,
            )
        )
