"""The HTTP edge shared by the venue clients: one httpx call, failures in the taxonomy.

Why: each client should only know its paths and JSON shapes. Timeouts, connection errors,
429s, 5xx and refused credentials mean the same thing at every venue, so they are mapped
here once. Error details name the method and path, never the URL's query (API keys travel
there) nor request headers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import anyio._backends._asyncio  # noqa: F401 - see below
import httpx

from walltrack.errors import (
    ConfigurationError,
    RateLimitedError,
    RejectedByVenueError,
    UpstreamError,
    UpstreamTimeoutError,
    WallTrackError,
)

# httpx logs every request URL at INFO, and Helius keys travel in the query string: keep
# those records out of any handler the process configures.
logging.getLogger("httpx").setLevel(logging.WARNING)

# httpcore imports anyio and its asyncio backend at a client's first request, and without
# cached bytecode that is ~30 modules compiled while holding the GIL: every actor stalled
# 20+ ms at the first venue call of a run, in the middle of trading. Imported with this
# module instead, at start-up.

type QueryParams = Mapping[str, str | int | float | bool | None]
type ClientErrorMapper = Callable[[httpx.Response, str], WallTrackError]
"""Turns a 4xx answer (other than 401/403/429) and its `METHOD path` into an error."""


def default_client_error(venue: str) -> ClientErrorMapper:
    """A 4xx the venue understood and refused: RejectedByVenueError with the status code."""

    def mapper(response: httpx.Response, where: str) -> WallTrackError:
        return RejectedByVenueError(
            venue, f"HTTP_{response.status_code}", f"{where}: {response.text[:200]}"
        )

    return mapper


def new_http_client(timeout_s: float = 10.0) -> httpx.AsyncClient:
    """An httpx client tuned for many small JSON requests to few hosts."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout_s),
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        headers={"accept": "application/json"},
    )


class VenueHttp:
    """Sends requests to one venue's base URL and maps every failure to the taxonomy."""

    def __init__(
        self,
        venue: str,
        base_url: str,
        *,
        client: httpx.AsyncClient | None = None,
        timeout_s: float = 10.0,
        headers: Mapping[str, str] | None = None,
        params: QueryParams | None = None,
        credentials_variable: str | None = None,
        client_error: ClientErrorMapper | None = None,
    ) -> None:
        self.venue = venue
        self.base_url = base_url.rstrip("/")
        self._own_client = client is None
        self._client = client or new_http_client(timeout_s)
        self._timeout_s = timeout_s
        self._headers = dict(headers or {})
        self._params = dict(params or {})
        self._credentials_variable = credentials_variable
        self._client_error = client_error or default_client_error(venue)

    async def aclose(self) -> None:
        """Close the connection pool if this object created it."""
        if self._own_client:
            await self._client.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json_body: Any = None,
        timeout_s: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One request; only transport failures are mapped (any status is returned)."""
        query = {
            k: _query_value(v)
            for k, v in {**self._params, **(params or {})}.items()
            if v is not None
        }
        where = f"{method} {path or '/'}"
        try:
            return await self._client.request(
                method,
                self.base_url + path,
                params=query or None,
                content=None if json_body is None else json.dumps(json_body).encode(),
                headers={
                    **self._headers,
                    **(headers or {}),
                    **({"content-type": "application/json"} if json_body is not None else {}),
                },
                timeout=timeout_s or self._timeout_s,
            )
        except httpx.TimeoutException as error:
            raise UpstreamTimeoutError(self.venue, f"{where}: {type(error).__name__}") from error
        except httpx.RequestError as error:
            raise UpstreamError(self.venue, f"{where}: {type(error).__name__}") from error

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json_body: Any = None,
        timeout_s: float | None = None,
    ) -> Any:
        """The decoded JSON body of a 2xx answer (None when empty); errors are raised."""
        response = await self.send(
            method, path, params=params, json_body=json_body, timeout_s=timeout_s
        )
        self.raise_for_status(response, f"{method} {path}")
        if not response.content:
            return None
        try:
            return json.loads(response.content)
        except ValueError as error:
            raise UpstreamError(self.venue, f"{method} {path}: body is not JSON") from error

    def raise_for_status(self, response: httpx.Response, where: str) -> None:
        """Raise the taxonomy error for a non-2xx answer."""
        status = response.status_code
        if status < 300:
            return
        if status == 429:
            raise RateLimitedError(self.venue, f"{where}: HTTP 429")
        if status >= 500 or status == 408:
            raise UpstreamError(self.venue, f"{where}: HTTP {status}")
        if status in (401, 403) and self._credentials_variable:
            raise ConfigurationError(
                self._credentials_variable, f"{self.venue} refused the credentials (HTTP {status})"
            )
        raise self._client_error(response, where)


def _query_value(value: str | int | float | bool) -> str | int | float:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
