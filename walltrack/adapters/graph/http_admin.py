"""ArcadeDB's HTTP server API: readiness and creating or dropping databases.

Why: Bolt cannot create a database on ArcadeDB (nor on Neo4j Community), but ArcadeDB's
HTTP API can, in 10–90 ms. The embedded launcher uses it as its health check and the test
fixtures use it to give every test a fresh database. Production code against Neo4j never
needs it.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Self

import httpx

from walltrack.errors import RejectedByVenueError, StoreUnavailableError

VENUE = "graph"
_DATABASE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")


def check_database_name(name: str) -> str:
    """`name` if it is a safe database name (it is spliced into an admin command)."""
    if not _DATABASE_NAME.fullmatch(name):
        raise ValueError(f"invalid graph database name {name!r}: use letters, digits and _")
    return name


class ArcadeAdmin:
    """A small client for ArcadeDB's `/api/v1` administration endpoints."""

    def __init__(self, base_url: str, user: str, password: str, *, timeout_s: float = 5.0):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), auth=(user, password), timeout=timeout_s
        )

    def ready(self) -> bool:
        """True when the server answers its readiness probe (HTTP 204)."""
        try:
            response = self._http.get("/api/v1/ready")
        except httpx.HTTPError:
            return False
        return response.status_code == 204

    def databases(self) -> list[str]:
        """Names of the databases on the server."""
        body = self._call("GET", "/api/v1/databases").json()
        return [str(name) for name in body.get("result", [])]

    def create_database(self, name: str) -> None:
        """Create database `name` unless it exists."""
        check_database_name(name)
        if name not in self.databases():
            self._server_command(f"create database {name}")

    def drop_database(self, name: str) -> None:
        """Drop database `name` if it exists (its files are deleted)."""
        check_database_name(name)
        if name in self.databases():
            self._server_command(f"drop database {name}")

    def _server_command(self, command: str) -> None:
        self._call("POST", "/api/v1/server", json={"command": command})

    def _call(self, method: str, path: str, json: object | None = None) -> httpx.Response:
        try:
            response = self._http.request(method, path, json=json)
        except httpx.HTTPError as error:
            raise StoreUnavailableError(VENUE, f"HTTP {type(error).__name__}") from error
        if response.status_code >= 500:
            raise StoreUnavailableError(VENUE, f"HTTP {response.status_code} on {path}")
        if response.status_code >= 400:
            detail = _error_detail(response)
            raise RejectedByVenueError(VENUE, str(response.status_code), detail)
        return response

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("error") or body)[:200]
    return str(body)[:200]
