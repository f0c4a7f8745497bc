"""The graph store's contract: schema, clear errors, big batches, database isolation."""

from __future__ import annotations

import threading

import pytest

from tests.integration.graph.seed import T0, funding_edge
from tests.integration.graph_fixtures import GraphTestServer
from walltrack.adapters.graph import (
    GraphClient,
    GraphRepository,
    SyncedBuyEdge,
    ensure_schema,
    graph_doctor_report,
    schema_status,
)
from walltrack.adapters.graph.embedded import free_port
from walltrack.errors import (
    ConfigurationError,
    ConstraintViolationError,
    DuplicateKeyError,
    Reaction,
    StoreUnavailableError,
)

pytestmark = pytest.mark.integration


def test_schema_is_created_idempotently(graph_client: GraphClient) -> None:
    ensure_schema(graph_client)  # a second start-up: no error, nothing duplicated
    status = schema_status(graph_client)

    assert status.complete, status
    names = [row["name"] for row in graph_client.read("SHOW CONSTRAINTS")]
    assert sorted(names) == ["cluster_id_unique", "token_mint_unique", "wallet_address_unique"]


def test_a_duplicate_key_is_a_clear_error(graph_client: GraphClient) -> None:
    graph_client.write("CREATE (:Wallet {address: $address})", {"address": "W1"})

    with pytest.raises(DuplicateKeyError) as caught:
        graph_client.write("CREATE (:Wallet {address: $address})", {"address": "W1"})

    error = caught.value
    assert isinstance(error, ConstraintViolationError)
    assert error.reaction is Reaction.REJECT
    assert (error.table, error.constraint) == ("Wallet", "Wallet[address]")
    assert "W1" in str(error)
    assert "#" not in str(error)  # no storage record ids
    rows = graph_client.read("MATCH (w:Wallet) RETURN count(w) AS n")
    assert rows == [{"n": 1}]


def test_thousands_of_rows_go_in_batches_and_upserts_are_idempotent(
    graph_server: GraphTestServer, graph_database: str
) -> None:
    with graph_server.client(graph_database, batch_size=1000) as client:
        ensure_schema(client)
        repository = GraphRepository(client)
        edges = [funding_edge(f"w{i:05d}", f"f{i % 97:03d}", i) for i in range(4500)]
        synced = [
            SyncedBuyEdge(later=f"w{i:05d}", earlier=f"w{i + 1:05d}", mint="M", delta_s=3.0)
            for i in range(2500)
        ]

        sent = repository.upsert_funding(edges)
        repository.upsert_funding(edges)  # replayed webhooks change nothing
        repository.upsert_synced_buys(synced)

        counts = client.read(
            "MATCH (a:Wallet)-[f:FUNDED_BY]->(b:Wallet) "
            "RETURN count(f) AS links, count(DISTINCT a) AS funded, count(DISTINCT b) AS funders"
        )
        synced_count = client.read("MATCH ()-[s:SYNCED_BUY]->() RETURN count(s) AS n")
        wallets = client.read("MATCH (w:Wallet) RETURN count(w) AS n")
    assert sent == 4500
    assert counts == [{"links": 4500, "funded": 4500, "funders": 97}]
    assert synced_count == [{"n": 2500}]
    assert wallets == [{"n": 4500 + 97}]  # synced buyers are among the funded wallets


def test_each_database_is_isolated(graph_server: GraphTestServer, graph_database: str) -> None:
    if not graph_server.can_create_databases:
        pytest.skip("the external server cannot create databases")
    other = f"{graph_database}_other"
    with graph_server.admin() as admin:
        admin.create_database(other)
        try:
            with (
                graph_server.client(graph_database) as mine,
                graph_server.client(other) as theirs,
            ):
                GraphRepository(mine).upsert_wallets(["only-here"])
                GraphRepository(theirs).upsert_wallets(["only-there", "and-there"])
                mine_rows = mine.read("MATCH (w:Wallet) RETURN w.address AS a")
                their_rows = theirs.read("MATCH (w:Wallet) RETURN w.address AS a ORDER BY a")
        finally:
            admin.drop_database(other)
    assert mine_rows == [{"a": "only-here"}]
    assert their_rows == [{"a": "and-there"}, {"a": "only-there"}]


def test_a_missing_database_is_a_configuration_error(graph_server: GraphTestServer) -> None:
    if not graph_server.can_create_databases:
        pytest.skip("the external server may resolve unknown names differently")
    with (
        graph_server.client("no_such_database") as client,
        pytest.raises(ConfigurationError) as caught,
    ):
        client.read("RETURN 1 AS ok")
    assert caught.value.variable == "WALLTRACK_GRAPH_DATABASE"


def test_wrong_credentials_are_a_configuration_error_without_the_secret(
    graph_server: GraphTestServer, graph_database: str
) -> None:
    wrong = "not-the-password-123"
    with (
        GraphClient.connect(graph_server.uri, graph_server.user, wrong, graph_database) as client,
        pytest.raises(ConfigurationError) as caught,
    ):
        client.read("RETURN 1 AS ok")
    assert caught.value.variable == "WALLTRACK_GRAPH_PASSWORD"
    assert wrong not in str(caught.value)
    assert graph_server.password not in str(caught.value)


def test_an_unreachable_server_is_store_unavailable(graph_database: str) -> None:
    port = free_port()  # nothing listens there
    with (
        GraphClient.connect(
            f"bolt://127.0.0.1:{port}",
            "root",
            "secret-password",
            graph_database,
            connection_timeout_s=1.0,
            max_retry_time_s=0.5,
        ) as client,
        pytest.raises(StoreUnavailableError) as caught,
    ):
        client.read("RETURN 1 AS ok")
    assert caught.value.reaction is Reaction.RETRY
    assert "secret-password" not in str(caught.value)


def test_doctor_report_describes_a_healthy_store(graph_client: GraphClient) -> None:
    report = graph_doctor_report(graph_client)

    assert report.reachable
    assert report.healthy
    assert report.version is not None
    assert report.version
    assert report.round_trip_ms is not None
    assert 0 < report.round_trip_ms < 1000
    assert report.database == graph_client.database


def test_doctor_report_names_missing_schema_and_unreachable_servers(
    graph_server: GraphTestServer, graph_database: str
) -> None:
    with graph_server.client(graph_database) as bare:  # no ensure_schema
        bare.write("DROP CONSTRAINT token_mint_unique IF EXISTS")
        missing = graph_doctor_report(bare)
    with GraphClient.connect(
        f"bolt://127.0.0.1:{free_port()}", "root", "pw", graph_database, max_retry_time_s=0.5
    ) as gone:
        down = graph_doctor_report(gone)

    assert missing.reachable
    assert not missing.healthy
    assert "token_mint_unique" in missing.missing_constraints
    assert not down.reachable
    assert down.problem is not None
    assert "graph" in down.problem


def test_times_round_trip_as_aware_utc(graph_repository: GraphRepository) -> None:
    graph_repository.upsert_funding([funding_edge("a", "b", 0)])

    link = graph_repository.funding_chain("a")[0]
    assert link.first_at == T0
    assert link.first_at.tzinfo is not None


def test_concurrent_upserts_from_several_threads_lose_nothing(
    graph_server: GraphTestServer, graph_database: str
) -> None:
    """Actors share one driver; racing MERGEs of the same new wallets must all land."""
    errors: list[BaseException] = []

    def upsert(thread: int, repository: GraphRepository) -> None:
        try:
            repository.upsert_funding(
                funding_edge(f"w{i:03d}", f"funder{(i + thread) % 7}", i) for i in range(300)
            )
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    with graph_server.client(graph_database, batch_size=50) as client:
        ensure_schema(client)
        repository = GraphRepository(client)
        threads = [
            threading.Thread(target=upsert, args=(n, repository), name=f"upsert-{n}")
            for n in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        links = client.read("MATCH ()-[f:FUNDED_BY]->() RETURN count(f) AS n")
        wallets = client.read("MATCH (w:Wallet) RETURN count(w) AS n")

    assert errors == []
    assert links == [{"n": 4 * 300}]
    assert wallets == [{"n": 300 + 7}]
