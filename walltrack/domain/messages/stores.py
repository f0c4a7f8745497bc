"""Store lifecycle events: the embedded servers and the connections of the StoresSupervisor.

Why events: the dashboard shows when a store went away and came back, and tests wait for
a restart by listening for it instead of sleeping.
"""

from __future__ import annotations

from walltrack.domain.messages.base import MESSAGE, Event


@MESSAGE
class StoreServerStarted(Event):
    """An embedded store server is up and healthy (first start or a restart)."""

    store: str
    incarnation: int
    location: str
    start_s: float


@MESSAGE
class StoreServerLost(Event):
    """An embedded store server died or stopped answering; its actor crashes to restart it."""

    store: str
    detail: str


@MESSAGE
class StoresConnected(Event):
    """The pool, the migrations and the graph schema are ready; `targets` say where."""

    postgres: str
    graph: str
    incarnation: int
