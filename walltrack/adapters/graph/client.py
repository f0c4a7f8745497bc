"""The one door to the graph server: the official `neo4j` driver, bound to one database.

Why the synchronous driver: every caller is synchronous. The cluster and scorer actors
are pykka threads (one message at a time, blocking is their model), and the CLI, doctor
and benchmarks are plain scripts. The async driver would need an event loop per thread or
a bridge for every call and buys nothing here; the sync driver's pool is thread-safe, so
actors share one driver.

Why a wrapper: ArcadeDB resolves a session without a database to "whatever this pooled
connection used last", and one `DatabaseNotFound` poisons the next database-less session
(feasibility.md §2c). `GraphClient` takes the database once and passes it on every call;
nothing else in the project touches the driver, so forgetting it is impossible. Query
texts are typed `LiteralString`, so only the constants of `queries.py` (never strings
built from data) can be executed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from types import TracebackType
from typing import Any, Final, LiteralString, Self

from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl

from walltrack.adapters.graph import queries
from walltrack.adapters.graph.error_mapping import translated_errors
from walltrack.errors import DuplicateKeyError

_RACE_ATTEMPTS: Final = 5

DEFAULT_BATCH_SIZE: Final = 2000
"""Rows per UNWIND transaction: 100,000 relationship upserts take ~8 s at 2,000 or 5,000."""

type Row = dict[str, Any]
type Params = Mapping[str, object]


def chunked[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class GraphClient:
    """Runs Cypher on one named database; maps driver failures to WallTrack errors."""

    def __init__(
        self, driver: Driver, database: str, *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> None:
        if not database:
            raise ValueError("an explicit graph database name is required")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self._driver = driver
        self._database = database
        self._batch_size = batch_size

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str,
        password: str,
        database: str,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        connection_timeout_s: float = 5.0,
        max_retry_time_s: float = 5.0,
    ) -> Self:
        """A client with its own driver (closed by `close`); no round trip is made yet."""
        driver = GraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=connection_timeout_s,
            max_transaction_retry_time=max_retry_time_s,
        )
        return cls(driver, database, batch_size=batch_size)

    @property
    def database(self) -> str:
        """The database every call runs on."""
        return self._database

    @property
    def batch_size(self) -> int:
        """Rows per transaction in `write_batches`."""
        return self._batch_size

    def read(self, query: LiteralString, params: Params | None = None) -> list[Row]:
        """Run a read query (retried on transient failures) and return its rows."""
        with translated_errors(self._database):
            records, _, _ = self._driver.execute_query(
                query,
                parameters_=dict(params or {}),
                routing_=RoutingControl.READ,
                database_=self._database,
            )
        return [record.data() for record in records]

    def write(self, query: LiteralString, params: Params | None = None) -> list[Row]:
        """Run one write statement in its own transaction and return its rows."""
        with translated_errors(self._database):
            records, _, _ = self._driver.execute_query(
                query,
                parameters_=dict(params or {}),
                routing_=RoutingControl.WRITE,
                database_=self._database,
            )
        return [record.data() for record in records]

    def write_batches(
        self,
        query: LiteralString,
        rows: Iterable[object],
        params: Params | None = None,
        *,
        batch_size: int | None = None,
    ) -> int:
        """Run `query` once per batch of `rows` (bound to `$rows`); returns rows sent.

        Each batch is its own transaction: the statements are idempotent upserts, so a
        failure part-way is repaired by sending the same rows again.
        """
        size = batch_size or self._batch_size
        sent = 0
        for batch in chunked(rows, size):
            self._write_racing(query, {**(params or {}), "rows": batch})
            sent += len(batch)
        return sent

    def _write_racing(self, query: LiteralString, params: Params) -> None:
        """Write an idempotent MERGE batch, running it again if it lost a creation race.

        Two transactions may both decide to create the same new node; the later commit
        then breaks a uniqueness constraint (ArcadeDB does not lock the key the way Neo4j
        does). The node exists by then, so the same MERGE batch succeeds on a new try.
        """
        for attempt in range(1, _RACE_ATTEMPTS + 1):
            try:
                self.write(query, params)
                return
            except DuplicateKeyError:
                if attempt == _RACE_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * attempt)

    def write_together(self, statements: Sequence[tuple[LiteralString, Params]]) -> None:
        """Run several write statements in one transaction: all happen or none."""

        def work(tx: ManagedTransaction) -> None:
            for query, params in statements:
                tx.run(query, dict(params)).consume()

        with (
            translated_errors(self._database),
            self._driver.session(database=self._database) as session,
        ):
            session.execute_write(work)

    def server_agent(self) -> str:
        """The server's product and version as it announces itself over Bolt."""
        with (
            translated_errors(self._database),
            self._driver.session(database=self._database) as session,
        ):
            summary = session.run(queries.PING).consume()
        return summary.server.agent

    def close(self) -> None:
        """Close the driver and its connection pool."""
        self._driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
