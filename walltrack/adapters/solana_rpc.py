"""Solana JSON-RPC client over several providers, rotating away from a failing one.

Why: every RPC provider has bad minutes (429s, lagging nodes, outages). Each provider has
its own breaker and token bucket; a call tries the current provider once and, on a
temporary failure, moves on to the next one immediately. Only when every provider failed in
a round does the retry policy back off (1 s / 2 s / 4 s) and start another round.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from walltrack.adapters import solana_rpc_parsing as parse
from walltrack.adapters.json_fields import MalformedResponseError, opt_str
from walltrack.adapters.resilience import (
    BucketExhaustedError,
    MetricsRegistry,
    RateLimit,
    RetryPolicy,
    VenueGuard,
    VenueMetrics,
    build_guard,
    is_retryable,
)
from walltrack.adapters.solana_rpc_errors import rpc_error
from walltrack.adapters.venue_http import VenueHttp, new_http_client
from walltrack.domain.venues import (
    AccountInfo,
    ConfirmedTransaction,
    LatestBlockhash,
    SignatureInfo,
    SignatureStatus,
    SimulationResult,
    TokenAccount,
    TokenHolder,
)
from walltrack.errors import (
    ConfigurationError,
    RateLimitedError,
    RejectedByVenueError,
    UpstreamError,
    VenueUnavailableError,
)

VENUE = "solana_rpc"
DEFAULT_RPC_RATE_LIMIT = RateLimit(limit=10, window_s=1.0)
MAX_STATUSES_PER_CALL = 256
ALREADY_PROCESSED = "AlreadyProcessed"


class RpcProvider:
    """One RPC endpoint with its own breaker, bucket and metrics."""

    def __init__(self, name: str, http: VenueHttp, guard: VenueGuard) -> None:
        self.name = name
        self.http = http
        self.guard = guard


class SolanaRpcClient:
    """The JSON-RPC methods WallTrack uses, over providers tried in rotation."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        client: httpx.AsyncClient | None = None,
        guards: Sequence[VenueGuard] | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit = DEFAULT_RPC_RATE_LIMIT,
        timeout_s: float = 10.0,
        commitment: str = "confirmed",
        registry: MetricsRegistry | None = None,
    ) -> None:
        if not urls:
            raise ConfigurationError("WALLTRACK_RPC_URLS", "at least one RPC URL is required")
        if guards is not None and len(guards) != len(urls):
            msg = "one guard per RPC URL"
            raise ValueError(msg)
        self._own_client = client is None
        self._client = client or new_http_client(timeout_s)
        self.metrics = VenueMetrics(VENUE)
        if registry is not None:
            registry.register(self.metrics)
        self.providers: list[RpcProvider] = []
        for index, url in enumerate(urls):
            name = f"{VENUE}#{index}"
            guard = guards[index] if guards else build_guard(name, rate_limit)
            if registry is not None:
                registry.register(guard.metrics)
            http = VenueHttp(name, url, client=self._client, timeout_s=timeout_s)
            self.providers.append(RpcProvider(name, http, guard))
        self._retry = retry or (guards[0].retry if guards else RetryPolicy())
        self._commitment = commitment
        self._current = 0
        self._ids = itertools.count(1)

    @property
    def current_provider(self) -> str:
        """The provider the next call goes to first."""
        return self.providers[self._current].name

    async def aclose(self) -> None:
        """Release the connection pool (if this client created it)."""
        if self._own_client:
            await self._client.aclose()

    # --- transport --------------------------------------------------------------------------

    async def call(self, method: str, params: list[Any]) -> Any:
        """The `result` of one JSON-RPC call, with rotation and retries."""
        return await self._retry.run(lambda: self._round(method, params), metrics=self.metrics)

    async def _round(self, method: str, params: list[Any]) -> Any:
        count = len(self.providers)
        retryable: UpstreamError | None = None
        first = self._current
        for offset in range(count):
            index = (first + offset) % count
            provider = self.providers[index]
            try:
                return await provider.guard.attempt(
                    lambda p=provider: self._post(p, method, params)  # type: ignore[misc]
                )
            except UpstreamError as error:
                if is_retryable(error):
                    retryable = error
                elif not isinstance(error, VenueUnavailableError | BucketExhaustedError):
                    raise
                if count > 1 and index == self._current:
                    self._current = (index + 1) % count
                    self.metrics.rotated()
        if retryable is not None:
            raise retryable
        raise VenueUnavailableError(VENUE, f"{method}: every provider is unavailable")

    async def _post(self, provider: RpcProvider, method: str, params: list[Any]) -> Any:
        body = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        response = await provider.http.send("POST", "", json_body=body)
        if response.status_code == 429:
            raise RateLimitedError(provider.name, f"{method}: HTTP 429")
        try:
            payload = json.loads(response.content)
        except ValueError:
            payload = None
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict):
            raise rpc_error(provider.name, method, error)
        provider.http.raise_for_status(response, method)
        if not isinstance(payload, dict) or "result" not in payload:
            raise MalformedResponseError(provider.name, f"{method}: not a JSON-RPC response")
        return payload["result"]

    # --- methods ----------------------------------------------------------------------------

    async def get_balance(self, address: str) -> int:
        """Lamports held by `address`."""
        result = await self.call("getBalance", [address, {"commitment": self._commitment}])
        return parse.parse_balance(result)

    async def get_signatures_for_address(
        self,
        address: str,
        *,
        before: str | None = None,
        until: str | None = None,
        limit: int = 1000,
    ) -> tuple[SignatureInfo, ...]:
        """One page of signatures, newest first; `before`/`until` bound the page."""
        config: dict[str, Any] = {"limit": max(1, min(limit, 1000))}
        if self._commitment != "processed":
            config["commitment"] = self._commitment
        if before:
            config["before"] = before
        if until:
            config["until"] = until
        result = await self.call("getSignaturesForAddress", [address, config])
        return parse.parse_signature_infos(result)

    async def iter_signatures_for_address(
        self, address: str, *, until: str | None = None, page_size: int = 1000
    ) -> AsyncIterator[tuple[SignatureInfo, ...]]:
        """Pages backward (`before=` the oldest seen) down to `until` or the first signature."""
        before: str | None = None
        while True:
            page = await self.get_signatures_for_address(
                address, before=before, until=until, limit=page_size
            )
            if not page:
                return
            yield page
            if len(page) < page_size or page[-1].signature == before:
                return
            before = page[-1].signature

    async def get_transaction(self, signature: str) -> ConfirmedTransaction | None:
        """A confirmed transaction (v0 supported), or None when unknown."""
        config = {
            "encoding": "json",
            "maxSupportedTransactionVersion": 0,
            "commitment": self._commitment,
        }
        result = await self.call("getTransaction", [signature, config])
        return parse.parse_transaction(result, signature)

    async def get_token_accounts_by_owner(
        self, owner: str, *, mint: str | None = None
    ) -> tuple[TokenAccount, ...]:
        """The owner's token accounts; without a mint, both token programs are asked."""
        config = {"encoding": "jsonParsed", "commitment": self._commitment}
        filters: list[dict[str, str]] = (
            [{"mint": mint}]
            if mint
            else [{"programId": parse.TOKEN_PROGRAM}, {"programId": parse.TOKEN_2022_PROGRAM}]
        )
        accounts: list[TokenAccount] = []
        for account_filter in filters:
            result = await self.call("getTokenAccountsByOwner", [owner, account_filter, config])
            accounts.extend(parse.parse_token_accounts(result))
        return tuple(accounts)

    async def get_account_info(self, address: str) -> AccountInfo | None:
        """A jsonParsed account, or None when it does not exist."""
        config = {"encoding": "jsonParsed", "commitment": self._commitment}
        result = await self.call("getAccountInfo", [address, config])
        return parse.parse_account_info(result, address)

    async def get_token_largest_accounts(self, mint: str) -> tuple[TokenHolder, ...]:
        """The mint's largest token accounts (up to 20), largest first."""
        result = await self.call(
            "getTokenLargestAccounts", [mint, {"commitment": self._commitment}]
        )
        return parse.parse_token_holders(result)

    async def get_latest_blockhash(self) -> LatestBlockhash:
        """A fresh blockhash and its last valid block height."""
        result = await self.call("getLatestBlockhash", [{"commitment": self._commitment}])
        return parse.parse_blockhash(result)

    async def send_transaction(
        self, transaction_base64: str, *, skip_preflight: bool = False
    ) -> str:
        """Send a signed transaction (base64); returns its signature.

        Resending the same signed bytes is harmless (same signature), so this is retried
        like any other call. The node's own retries are off: the caller owns landing.
        A node answering "already processed" (an earlier attempt landed but its answer was
        lost, or a restart resends what it signed) is saying the transaction is on chain:
        its signature is returned as for a first send, never a refusal that would make the
        caller trade a second time.
        """
        config = {
            "encoding": "base64",
            "skipPreflight": skip_preflight,
            "preflightCommitment": self._commitment,
            "maxRetries": 0,
        }
        try:
            result = await self.call("sendTransaction", [transaction_base64, config])
        except RejectedByVenueError as error:
            landed = parse.transaction_signature(transaction_base64)
            if error.code != ALREADY_PROCESSED or landed is None:
                raise
            return landed
        signature = opt_str(result)
        if signature is None:
            raise MalformedResponseError(VENUE, "sendTransaction: result is not a signature")
        return signature

    async def simulate_transaction(
        self, transaction_base64: str, *, sig_verify: bool = False
    ) -> SimulationResult:
        """Simulate a transaction (with a fresh blockhash unless signatures are verified)."""
        config = {
            "encoding": "base64",
            "sigVerify": sig_verify,
            "replaceRecentBlockhash": not sig_verify,
            "commitment": self._commitment,
        }
        result = await self.call("simulateTransaction", [transaction_base64, config])
        return parse.parse_simulation(result)

    async def get_signature_statuses(
        self, signatures: Sequence[str], *, search_history: bool = False
    ) -> tuple[SignatureStatus | None, ...]:
        """Statuses in the order asked (256 per request); None for unknown signatures."""
        statuses: list[SignatureStatus | None] = []
        for start in range(0, len(signatures), MAX_STATUSES_PER_CALL):
            batch = list(signatures[start : start + MAX_STATUSES_PER_CALL])
            config = {"searchTransactionHistory": search_history}
            result = await self.call("getSignatureStatuses", [batch, config])
            statuses.extend(parse.parse_statuses(result, batch))
        return tuple(statuses)
