"""Protocols the domain-facing code depends on; adapters implement them.

Why: actors and supervisors are written against these, so paper, live, backtest and tests
differ only in what `supervisors/wiring.py` plugs in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from walltrack.domain.messages.base import Command
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.tree import TreeSnapshot
from walltrack.domain.venues import (
    AccountInfo,
    ConfirmedTransaction,
    EnhancedTransaction,
    HeliusWebhook,
    LatestBlockhash,
    PriceQuote,
    Quote,
    SignatureInfo,
    SignatureStatus,
    SimulationResult,
    SwapTransaction,
    TokenAccount,
    TokenHolder,
    TokenPair,
    TokenProfile,
    WebhookSpec,
    WebhookSyncResult,
)

type JsonValue = bool | int | str | list[JsonValue] | dict[str, JsonValue] | None
"""What a snapshot may contain: JSON without floats (money is int or a Decimal string)."""


@runtime_checkable
class Clock(Protocol):
    """Where time comes from: the wall clock live, a simulated one in the sim and tests."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a monotonic scale, for durations and deadlines only."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """One saved actor state: what a restarted incarnation rebuilds from."""

    actor_id: str
    kind: str
    schema_version: int
    state: Mapping[str, Any]
    updated_at: datetime


class SnapshotStore(Protocol):
    """Persists actor state so a restart never depends on possibly-corrupt memory."""

    def save(self, snapshot: Snapshot) -> None:
        """Store `snapshot`, replacing the previous one of the same actor."""
        ...

    def load(self, actor_id: str) -> Snapshot | None:
        """The latest snapshot of `actor_id`, or None when it never saved one."""
        ...

    def delete(self, actor_id: str) -> None:
        """Forget `actor_id` (an actor that is removed for good)."""
        ...


# --- Venues (implemented in walltrack/adapters; values in walltrack/domain/venues.py) -----


class HeliusApi(Protocol):
    """Helius REST: webhook management and enhanced transactions."""

    async def list_webhooks(self) -> tuple[HeliusWebhook, ...]:
        """Every webhook of the account."""
        ...

    async def create_webhook(self, spec: WebhookSpec) -> HeliusWebhook:
        """Create a webhook from its full configuration."""
        ...

    async def update_webhook(self, webhook_id: str, spec: WebhookSpec) -> HeliusWebhook:
        """Replace a webhook's configuration with `spec`."""
        ...

    async def delete_webhook(self, webhook_id: str) -> None:
        """Delete a webhook."""
        ...

    async def sync_tracked_wallets(
        self, *, webhook_url: str, wallets: Iterable[str], auth_header: str | None
    ) -> WebhookSyncResult:
        """Make the webhooks at `webhook_url` watch exactly `wallets`, in batches."""
        ...

    async def transactions_for_address(
        self, address: str, *, before: str | None = None, until: str | None = None, limit: int = 100
    ) -> tuple[EnhancedTransaction, ...]:
        """One page of an address's enhanced transactions, newest first."""
        ...


class SolanaRpc(Protocol):
    """The Solana JSON-RPC methods WallTrack uses."""

    async def get_balance(self, address: str) -> int:
        """Lamports held by `address`."""
        ...

    async def get_signatures_for_address(
        self,
        address: str,
        *,
        before: str | None = None,
        until: str | None = None,
        limit: int = 1000,
    ) -> tuple[SignatureInfo, ...]:
        """One page of signatures, newest first."""
        ...

    async def get_transaction(self, signature: str) -> ConfirmedTransaction | None:
        """A confirmed transaction, or None when unknown."""
        ...

    async def get_token_accounts_by_owner(
        self, owner: str, *, mint: str | None = None
    ) -> tuple[TokenAccount, ...]:
        """The owner's token accounts (both token programs unless a mint is given)."""
        ...

    async def get_account_info(self, address: str) -> AccountInfo | None:
        """A jsonParsed account, or None when it does not exist."""
        ...

    async def get_token_largest_accounts(self, mint: str) -> tuple[TokenHolder, ...]:
        """The mint's largest token accounts."""
        ...

    async def get_latest_blockhash(self) -> LatestBlockhash:
        """A fresh blockhash."""
        ...

    async def send_transaction(
        self, transaction_base64: str, *, skip_preflight: bool = False
    ) -> str:
        """Send a signed transaction; returns its signature."""
        ...

    async def simulate_transaction(self, transaction_base64: str) -> SimulationResult:
        """Simulate a transaction without sending it."""
        ...

    async def get_signature_statuses(
        self, signatures: Sequence[str]
    ) -> tuple[SignatureStatus | None, ...]:
        """Statuses in the order asked; None for unknown signatures."""
        ...


class SwapVenue(Protocol):
    """Quotes and unsigned swap transactions (Jupiter)."""

    async def quote(
        self, *, input_mint: str, output_mint: str, amount: int, slippage_bps: int = 100
    ) -> Quote:
        """The best route for `amount` raw units of `input_mint`."""
        ...

    async def swap(self, quote: Quote, *, user_public_key: str) -> SwapTransaction:
        """An unsigned transaction executing `quote` for `user_public_key`."""
        ...


class PriceSource(Protocol):
    """Anything that can price a token now."""

    async def price(self, mint: str) -> PriceQuote | None:
        """The current price of `mint`, or None when the source has none."""
        ...


class TokenDataSource(Protocol):
    """Token discovery and pair data (DexScreener)."""

    async def latest_token_profiles(self) -> tuple[TokenProfile, ...]:
        """Newest token profiles on Solana."""
        ...

    async def latest_boosts(self) -> tuple[TokenProfile, ...]:
        """Newest boosted tokens on Solana."""
        ...

    async def top_boosts(self) -> tuple[TokenProfile, ...]:
        """Tokens with the most active boosts on Solana."""
        ...

    async def pairs_for_token(self, mint: str) -> tuple[TokenPair, ...]:
        """Every pool of a token."""
        ...

    async def search_pairs(self, query: str) -> tuple[TokenPair, ...]:
        """Pairs matching a free-text query."""
        ...


class MetricsSource(Protocol):
    """Something whose counters the /metrics endpoint renders."""

    def snapshot(self) -> dict[str, Any]:
        """Plain values (str, int, float, bool, nested dicts of those)."""
        ...


class TreeControl(Protocol):
    """What the HTTP API and the dashboard may do with the running tree."""

    def tree(self) -> TreeSnapshot:
        """The tree as it is now."""
        ...

    def control(self, command: Command) -> None:
        """Route an operator command (pause, resume, reset, shutdown) through the root."""
        ...

    def ready(self) -> bool:
        """Whether the stores and the tree are up."""
        ...


# --- Webhook ingress (implemented in walltrack/adapters; the pipeline supplies the sink) ---


class WebhookEventStore(Protocol):
    """The durable record of webhook events: raw payload kept, signature = dedupe key.

    A store that `blocks` (a database) is called from a worker thread, never from the
    event loop; one that does not (memory) is called in place, sparing the thread hop.
    """

    @property
    def blocks(self) -> bool:
        """Whether `record_new` may wait on I/O."""
        ...

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        """Store the event; False when its signature was already stored (a duplicate).

        Raises StoreUnavailableError when the store cannot say either way.
        """
        ...

    def record_many(self, events: Sequence[tuple[str, Mapping[str, Any], datetime]]) -> list[bool]:
        """`record_new` for each (signature, payload, received_at) in one unit (a group
        commit): all recorded or, raising StoreUnavailableError, none."""
        ...

    def recent_signatures(self, limit: int) -> list[str]:
        """The signatures of the newest `limit` events, newest first (the receiver's
        memory of duplicates is loaded from them, so it survives a restart)."""
        ...


class TrackedWallets(Protocol):
    """Which addresses WallTrack watches; read on the webhook hot path, so O(1)."""

    def __contains__(self, address: object, /) -> bool:
        """Whether `address` is a tracked wallet."""
        ...


class SwapSink(Protocol):
    """Where the webhook hands observed swaps to the tree (the ingress actor's mailbox)."""

    def submit(self, message: SwapObserved) -> None:
        """Hand `message` on; must return at once (a `tell`), never wait for an actor."""
        ...
