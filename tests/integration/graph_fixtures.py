"""Graph fixtures: one real graph server per test session, a fresh database per test.

By default the session starts the embedded ArcadeDB server (the same launcher WallTrack
uses) in a temporary directory. Set WALLTRACK_TEST_GRAPH_URI (with
WALLTRACK_TEST_GRAPH_USER / WALLTRACK_TEST_GRAPH_PASSWORD) to use an external server
instead. Per-test isolation:
- with an ArcadeDB HTTP API (embedded, or WALLTRACK_TEST_GRAPH_HTTP_URL for an external
  ArcadeDB) each test gets its own database, created and dropped over HTTP;
- otherwise (Neo4j Community cannot create databases) every test gets the one database
  named by WALLTRACK_TEST_GRAPH_DATABASE (default "neo4j"), emptied before it runs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from walltrack.adapters.graph.client import GraphClient
from walltrack.adapters.graph.embedded import EmbeddedGraphServer
from walltrack.adapters.graph.http_admin import ArcadeAdmin
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.graph.schema import ensure_schema

__all__ = [
    "GraphTestServer",
    "graph_client",
    "graph_database",
    "graph_repository",
    "graph_server",
]

_WIPE = "MATCH (n) DETACH DELETE n"


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphTestServer:
    """Where the session's graph server is and how tests get isolated databases."""

    uri: str
    user: str
    password: str = field(repr=False)
    http_url: str | None
    shared_database: str | None = None

    @property
    def can_create_databases(self) -> bool:
        """True when each test can have a database of its own."""
        return self.http_url is not None

    def admin(self) -> ArcadeAdmin:
        """A client for the ArcadeDB HTTP API (only when `can_create_databases`)."""
        assert self.http_url is not None
        return ArcadeAdmin(self.http_url, self.user, self.password)

    def client(self, database: str, *, batch_size: int | None = None) -> GraphClient:
        """A client bound to `database` (close it after use)."""
        if batch_size is None:
            return GraphClient.connect(self.uri, self.user, self.password, database)
        return GraphClient.connect(
            self.uri, self.user, self.password, database, batch_size=batch_size
        )


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphTestServer]:
    """The session's graph server: embedded ArcadeDB unless an external one is configured."""
    uri = os.environ.get("WALLTRACK_TEST_GRAPH_URI")
    if uri:
        http_url = os.environ.get("WALLTRACK_TEST_GRAPH_HTTP_URL")
        yield GraphTestServer(
            uri=uri,
            user=os.environ.get("WALLTRACK_TEST_GRAPH_USER", "neo4j"),
            password=os.environ.get("WALLTRACK_TEST_GRAPH_PASSWORD", ""),
            http_url=http_url,
            shared_database=None
            if http_url
            else os.environ.get("WALLTRACK_TEST_GRAPH_DATABASE", "neo4j"),
        )
        return
    server = EmbeddedGraphServer(tmp_path_factory.mktemp("graph-server"), database="walltrack")
    endpoint = server.start()
    try:
        yield GraphTestServer(
            uri=endpoint.uri,
            user=endpoint.user,
            password=endpoint.password,
            http_url=endpoint.http_url,
        )
    finally:
        server.stop()


@pytest.fixture
def graph_database(graph_server: GraphTestServer) -> Iterator[str]:
    """The name of a database no other test uses (or the shared one, emptied)."""
    if graph_server.can_create_databases:
        name = f"t_{uuid.uuid4().hex[:16]}"
        with graph_server.admin() as admin:
            admin.create_database(name)
            try:
                yield name
            finally:
                admin.drop_database(name)
        return
    assert graph_server.shared_database is not None
    with graph_server.client(graph_server.shared_database) as client:
        client.write(_WIPE)
    yield graph_server.shared_database


@pytest.fixture
def graph_client(graph_server: GraphTestServer, graph_database: str) -> Iterator[GraphClient]:
    """A client on the test's database, schema already created."""
    with graph_server.client(graph_database) as client:
        ensure_schema(client)
        yield client


@pytest.fixture
def graph_repository(graph_client: GraphClient) -> GraphRepository:
    """The repository on the test's database."""
    return GraphRepository(graph_client)
