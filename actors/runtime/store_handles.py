"""The stores the StoresSupervisor opened, shared with the rest of the tree.

Why one small holder injected at construction: the stores are opened by actors of the
tree itself (embedded servers first, then the connections), yet actors started later need
them. Ordered start guarantees the holder is filled before any later actor starts; a
restart of the stores refills it. Actors therefore fetch `handles.postgres()` /
`handles.graph()` when they use them and never keep them across messages: a store that is
restarting raises StoreUnavailableError (reaction: retry) instead of handing out a
closed pool.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.errors import StoreUnavailableError


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphTarget:
    """Where the graph server is and how to log in; the password never shows in a repr."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str


class StoreHandles:
    """Endpoints, open stores and the runtime parameters in force, thread-safe."""

    def __init__(self, *, pg_dsn: str | None = None, graph: GraphTarget | None = None) -> None:
        self._lock = threading.Lock()
        self._pg_dsn = pg_dsn
        self._graph_target = graph
        self._postgres: PostgresStores | None = None
        self._graph: GraphRepository | None = None
        self._params = default_params()
        self._problem: str | None = None

    # ----- endpoints: configured, or published by the embedded server actors -----------
    def set_pg_dsn(self, dsn: str | None) -> None:
        """Where PostgreSQL answers now (None: the embedded server stopped)."""
        with self._lock:
            self._pg_dsn = dsn

    def pg_dsn(self) -> str:
        """The DSN to connect with; StoreUnavailableError while no server is up."""
        with self._lock:
            dsn = self._pg_dsn
        if dsn is None:
            raise StoreUnavailableError("postgres", "no PostgreSQL server is up")
        return dsn

    def set_graph_target(self, target: GraphTarget | None) -> None:
        """Where the graph server answers now (None: the embedded server stopped)."""
        with self._lock:
            self._graph_target = target

    def graph_target(self) -> GraphTarget:
        """The graph endpoint; StoreUnavailableError while no server is up."""
        with self._lock:
            target = self._graph_target
        if target is None:
            raise StoreUnavailableError("graph", "no graph server is up")
        return target

    # ----- open stores --------------------------------------------------------------------
    def connect(self, postgres: PostgresStores, graph: GraphRepository) -> None:
        """The connections actor opened both stores."""
        with self._lock:
            self._postgres = postgres
            self._graph = graph

    def disconnect(self) -> None:
        """The connections actor is closing the stores: stop handing them out."""
        with self._lock:
            self._postgres = None
            self._graph = None

    def postgres(self) -> PostgresStores:
        """Every PostgreSQL repository on the one pool; raises while the stores restart."""
        stores = self._postgres
        if stores is None:
            raise StoreUnavailableError("postgres", "the stores are not connected")
        return stores

    def graph(self) -> GraphRepository:
        """The graph repository; raises while the stores restart."""
        graph = self._graph
        if graph is None:
            raise StoreUnavailableError("graph", "the stores are not connected")
        return graph

    @property
    def is_connected(self) -> bool:
        """Both stores are open right now."""
        return self._postgres is not None and self._graph is not None

    # ----- what went wrong last -----------------------------------------------------------
    def report_problem(self, problem: str | None) -> None:
        """A store actor could not start (None: it did); for the operator, secret-free."""
        with self._lock:
            self._problem = problem

    @property
    def problem(self) -> str | None:
        """Why the stores last failed to start, or None."""
        with self._lock:
            return self._problem

    # ----- runtime parameters ----------------------------------------------------------------
    def set_params(self, params: RuntimeParams) -> None:
        """The config actor validated a new set of parameters."""
        with self._lock:
            self._params = params

    def params(self) -> RuntimeParams:
        """The parameters in force: what an actor starting now begins with (events follow)."""
        with self._lock:
            return self._params
