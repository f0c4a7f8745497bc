"""The actor that opens the stores once their servers are up, and closes them on stop.

Why an actor: opening means migrating the mode's schema, opening the one pool and creating
the graph's constraints, all of which must happen after the servers are healthy and
before anything that uses the stores starts; closing must happen after every user of the
stores stopped. As a child of the StoresSupervisor (rest_for_one, after the servers) the
ordered start and the reverse-ordered stop give exactly that, and a restarted server
restarts its connections too.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg

from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.store_handles import StoreHandles
from walltrack.adapters.bindable_snapshots import BindableSnapshotStore
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.postgres.doctor import describe_dsn
from walltrack.adapters.postgres.errors import redact, translate
from walltrack.adapters.postgres.repositories.actor_snapshots import PostgresSnapshotStore
from walltrack.adapters.postgres.snapshot_upgrades import SnapshotUpgrades
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.stores import StoresConnected
from walltrack.logging import get_logger

_log = get_logger("store_connections")


class StoreConnectionsActor(SupervisedActor):
    """Opens PostgreSQL (migrated) and the graph (schema ensured); shares them via handles."""

    def __init__(
        self,
        context: ActorContext,
        handles: StoreHandles,
        snapshots: BindableSnapshotStore,
        *,
        schema: str,
        upgrades: SnapshotUpgrades | None = None,
        pool_size: int = 10,
    ) -> None:
        super().__init__(context)
        self._handles = handles
        self._snapshots = snapshots
        self._schema = schema
        self._upgrades = upgrades
        self._pool_size = pool_size
        self._postgres: PostgresStores | None = None
        self._graph: GraphRepository | None = None

    def started(self) -> None:
        try:
            self._open()
        except Exception as error:
            problem = _describe(error)
            self._handles.report_problem(problem)
            _log.error("stores_connect_failed", problem=problem)
            raise
        self._handles.report_problem(None)

    def _open(self) -> None:
        began = time.monotonic()
        dsn = self._handles.pg_dsn()
        target = self._handles.graph_target()
        try:
            self._postgres = PostgresStores.open(
                dsn, schema=self._schema, upgrades=self._upgrades, max_size=self._pool_size
            )
        except psycopg.Error as error:  # migrations connect directly: translate here
            raise translate(error) or error from error
        try:
            self._graph = GraphRepository.open(
                target.uri, target.user, target.password, target.database
            )
        except BaseException:
            self._close()
            raise
        # The timed batches commit asynchronously; a flush asked for and perform_once's
        # journal (save_durably) commit synchronously: see write_behind.py.
        self._snapshots.bind(PostgresSnapshotStore(self._postgres.db, upgrades=self._upgrades))
        self._handles.connect(self._postgres, self._graph)
        report = self._postgres.migrations
        postgres = f"{describe_dsn(dsn)} schema {self._schema}"
        graph = f"{target.uri} database {target.database}"
        _log.info(
            "stores_connected",
            postgres=postgres,
            graph=graph,
            migrations_applied_now=list(report.applied_now) if report is not None else None,
            seconds=round(time.monotonic() - began, 3),
        )
        now = self.context.clock.now()
        self.publish(
            StoresConnected(
                correlation_id=random_uuid(),
                ts_event=now,
                ts_init=now,
                postgres=postgres,
                graph=graph,
                incarnation=self.context.incarnation,
            )
        )

    def handle(self, message: Any) -> Any:
        _log.warning("store_connections_ignored", message_type=type(message).__name__)
        return None

    def on_stop(self) -> None:
        self._handles.disconnect()
        self._snapshots.unbind()  # writes what is pending while the pool is still open
        self._close()
        super().on_stop()

    def _close(self) -> None:
        graph, self._graph = self._graph, None
        postgres, self._postgres = self._postgres, None
        if graph is not None:
            graph.close()
        if postgres is not None:
            postgres.close()


def _describe(error: Exception) -> str:
    """One secret-free line naming the store and the reason."""
    lines = str(error).strip().splitlines()
    return redact(f"{type(error).__name__}: {lines[0] if lines else ''}")
