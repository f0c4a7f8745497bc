"""Helius REST client: webhook management and enhanced transactions (api-formats.md §1.6-1.8).

Why: live trading learns about tracked wallets' swaps from Helius webhooks, and wallet
discovery reads a token's or wallet's history as enhanced transactions. The API key travels
as the `api-key` query parameter and never appears in errors or logs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

import httpx

from walltrack.adapters.helius_webhooks import (
    HELIUS_MAX_ADDRESSES_PER_WEBHOOK,
    plan_webhook_batches,
)
from walltrack.adapters.json_fields import arr, obj, opt_str, req_str
from walltrack.adapters.resilience import MetricsRegistry, RateLimit, VenueGuard, build_guard
from walltrack.adapters.venue_http import VenueHttp
from walltrack.domain.venues import (
    EnhancedTransaction,
    HeliusWebhook,
    WebhookSpec,
    WebhookSyncResult,
)

VENUE = "helius"
HELIUS_RATE_LIMIT = RateLimit(limit=10, window_s=1.0)
"""Developer plan: 10 req/s on the enhanced APIs (api-formats.md §1.8)."""
MAX_SIGNATURES_PER_PARSE = 100
MAX_PAGE_LIMIT = 100


class HeliusClient:
    """Helius webhook management and enhanced-transaction history."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = "https://api-mainnet.helius-rpc.com",
        client: httpx.AsyncClient | None = None,
        guard: VenueGuard | None = None,
        registry: MetricsRegistry | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.guard = guard or build_guard(VENUE, HELIUS_RATE_LIMIT)
        if registry is not None:
            registry.register(self.guard.metrics)
        self._http = VenueHttp(
            VENUE,
            base_url,
            client=client,
            timeout_s=timeout_s,
            params={"api-key": api_key},
            credentials_variable="WALLTRACK_HELIUS_API_KEY",
        )

    async def aclose(self) -> None:
        """Release the connection pool (if this client created it)."""
        await self._http.aclose()

    async def _json(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        return await self.guard.call(
            lambda: self._http.request_json(method, path, params=params, json_body=body)
        )

    # --- webhooks -------------------------------------------------------------------------

    async def list_webhooks(self) -> tuple[HeliusWebhook, ...]:
        """Every webhook of the account."""
        data = await self._json("GET", "/v0/webhooks")
        return tuple(parse_webhook(item) for item in arr(data, VENUE, "webhooks"))

    async def get_webhook(self, webhook_id: str) -> HeliusWebhook:
        """One webhook by id."""
        return parse_webhook(await self._json("GET", f"/v0/webhooks/{webhook_id}"))

    async def create_webhook(self, spec: WebhookSpec) -> HeliusWebhook:
        """Create a webhook from its full configuration."""
        return parse_webhook(await self._json("POST", "/v0/webhooks", body=webhook_body(spec)))

    async def update_webhook(self, webhook_id: str, spec: WebhookSpec) -> HeliusWebhook:
        """Replace a webhook's whole configuration (Helius edits are not merges)."""
        path = f"/v0/webhooks/{webhook_id}"
        return parse_webhook(await self._json("PUT", path, body=webhook_body(spec)))

    async def delete_webhook(self, webhook_id: str) -> None:
        """Delete a webhook."""
        await self._json("DELETE", f"/v0/webhooks/{webhook_id}")

    async def sync_tracked_wallets(
        self,
        *,
        webhook_url: str,
        wallets: Iterable[str],
        auth_header: str | None,
        transaction_types: Sequence[str] = ("ANY",),
        batch_size: int = HELIUS_MAX_ADDRESSES_PER_WEBHOOK,
    ) -> WebhookSyncResult:
        """Make the webhooks pointing at `webhook_url` watch exactly `wallets`.

        Wallets are spread over webhooks of at most `batch_size` addresses; only webhooks
        whose addresses or configuration differ are written (each write costs credits).
        `["ANY"]` is the default type filter because swaps also arrive typed TRANSFER,
        UNKNOWN, BUY or SELL (api-formats.md §1.3); classification happens client-side.
        """
        types = tuple(transaction_types)
        ours = [hook for hook in await self.list_webhooks() if hook.webhook_url == webhook_url]
        stale = [
            hook.webhook_id
            for hook in ours
            if set(hook.transaction_types) != set(types)
            or hook.webhook_type != "enhanced"
            or (auth_header is not None and hook.auth_header != auth_header)
        ]
        plan = plan_webhook_batches(ours, wallets, batch_size=batch_size, config_changed=stale)

        def spec(addresses: tuple[str, ...]) -> WebhookSpec:
            return WebhookSpec(
                webhook_url=webhook_url,
                account_addresses=addresses,
                transaction_types=types,
                auth_header=auth_header,
            )

        updated = [
            (await self.update_webhook(hook_id, spec(addresses))).webhook_id
            for hook_id, addresses in plan.updates.items()
        ]
        created = [(await self.create_webhook(spec(batch))).webhook_id for batch in plan.creates]
        for hook_id in plan.deletes:
            await self.delete_webhook(hook_id)
        return WebhookSyncResult(
            created=tuple(created),
            updated=tuple(updated),
            deleted=plan.deletes,
            unchanged=plan.unchanged,
        )

    # --- enhanced transactions ------------------------------------------------------------

    async def transactions_for_address(
        self,
        address: str,
        *,
        before: str | None = None,
        until: str | None = None,
        limit: int = MAX_PAGE_LIMIT,
        tx_type: str | None = None,
    ) -> tuple[EnhancedTransaction, ...]:
        """One page of `address`'s enhanced transactions, newest first."""
        params: dict[str, Any] = {
            "before": before,
            "until": until,
            "limit": max(1, min(limit, MAX_PAGE_LIMIT)),
            "type": tx_type,
        }
        data = await self._json("GET", f"/v0/addresses/{address}/transactions", params=params)
        return tuple(obj(item, VENUE, "enhanced transaction") for item in arr(data, VENUE, "page"))

    async def iter_transactions_for_address(
        self,
        address: str,
        *,
        before: str | None = None,
        until: str | None = None,
        page_size: int = MAX_PAGE_LIMIT,
        max_pages: int | None = None,
    ) -> AsyncIterator[tuple[EnhancedTransaction, ...]]:
        """Pages backward in time (`before=` the oldest seen) until `until` or the start."""
        pages = 0
        while max_pages is None or pages < max_pages:
            page = await self.transactions_for_address(
                address, before=before, until=until, limit=page_size
            )
            if not page:
                return
            pages += 1
            yield page
            oldest = opt_str(page[-1].get("signature"))
            if oldest is None or oldest == before:
                return
            before = oldest

    async def parse_transactions(
        self, signatures: Sequence[str]
    ) -> tuple[EnhancedTransaction, ...]:
        """Enhanced transactions for known signatures (100 per request; unknown ones omitted)."""
        found: list[EnhancedTransaction] = []
        for start in range(0, len(signatures), MAX_SIGNATURES_PER_PARSE):
            batch = list(signatures[start : start + MAX_SIGNATURES_PER_PARSE])
            data = await self._json("POST", "/v0/transactions", body={"transactions": batch})
            found.extend(
                obj(item, VENUE, "enhanced transaction") for item in arr(data, VENUE, "txs")
            )
        return tuple(found)


def webhook_body(spec: WebhookSpec) -> dict[str, Any]:
    """The CreateWebhookRequest JSON for `spec`."""
    body: dict[str, Any] = {
        "webhookURL": spec.webhook_url,
        "transactionTypes": list(spec.transaction_types),
        "accountAddresses": list(spec.account_addresses),
        "webhookType": spec.webhook_type,
        "txnStatus": spec.txn_status,
    }
    if spec.auth_header is not None:
        body["authHeader"] = spec.auth_header
    return body


def parse_webhook(data: Any) -> HeliusWebhook:
    """A Webhook object from Helius."""
    hook = obj(data, VENUE, "webhook")
    active = hook.get("active")
    return HeliusWebhook(
        webhook_id=req_str(hook, "webhookID", VENUE),
        webhook_url=req_str(hook, "webhookURL", VENUE),
        account_addresses=tuple(str(a) for a in arr(hook.get("accountAddresses"), VENUE, "addrs")),
        transaction_types=tuple(str(t) for t in arr(hook.get("transactionTypes"), VENUE, "types")),
        webhook_type=opt_str(hook.get("webhookType")) or "enhanced",
        txn_status=opt_str(hook.get("txnStatus")),
        active=active if isinstance(active, bool) else None,
        auth_header=opt_str(hook.get("authHeader")),
    )
