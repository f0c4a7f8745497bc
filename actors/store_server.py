"""The actor that owns one embedded store server process (PostgreSQL or the graph).

Why an actor per server process: the server is a child process that can die on its own;
making its owner a supervised worker turns "the process died" into "the actor crashed",
so the StoresSupervisor's rest_for_one strategy restarts the server (its data survives on
disk) and then everything that was connected to it, with intensity limits and backoff.

The server is started in `started()`, before the supervisor's readiness probe is
answered: nothing after it in the tree starts until the server answered a health check.
A daemon timer thread then sends `CheckHealth` every `check_every_s`; a dead process (or
one that failed `unhealthy_limit` checks in a row) makes the actor raise.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pykka

from actors.runtime.base import ActorContext, SupervisedActor
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.stores import StoreServerLost, StoreServerStarted
from walltrack.errors import StoreUnavailableError
from walltrack.logging import get_logger

_log = get_logger("store_server")


class ServerProcess(Protocol):
    """An embedded server the actor can start, probe and stop (again and again)."""

    @property
    def store(self) -> str:
        """`postgres` or `graph`."""
        ...

    @property
    def location(self) -> str:
        """Where its data lives, for the operator."""
        ...

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        ...

    def start(self) -> None:
        """Start (or restart) and return once healthy; publishes its endpoint."""
        ...

    def is_running(self) -> bool:
        """The process exists."""
        ...

    def healthy(self) -> bool:
        """The process answers a real round trip."""
        ...

    def stop(self) -> None:
        """Stop cleanly; a no-op when already stopped."""
        ...


@dataclass(frozen=True, slots=True)
class CheckHealth:
    """Time to look at the server process (sent by the actor's own timer)."""


class _Ticker:
    """A daemon thread that tells one actor incarnation `CheckHealth` at a fixed period."""

    def __init__(self, ref: pykka.ActorRef[Any], every_s: float, name: str) -> None:
        self._ref = ref
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"health-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._every_s):
            try:
                self._ref.tell(CheckHealth())
            except pykka.ActorDeadError:
                return


class StoreServerActor(SupervisedActor):
    """Starts its server, checks it periodically, crashes when it dies, stops it on stop."""

    def __init__(
        self,
        context: ActorContext,
        server: ServerProcess,
        *,
        check_every_s: float = 1.0,
        unhealthy_limit: int = 3,
        report_problem: Callable[[str | None], None] | None = None,
    ) -> None:
        super().__init__(context)
        self._server = server
        self._report_problem = report_problem
        self._check_every_s = check_every_s
        self._unhealthy_limit = unhealthy_limit
        self._failed_checks = 0
        self._ticker: _Ticker | None = None

    def started(self) -> None:
        began = time.monotonic()
        try:
            self._server.start()
        except Exception as error:
            problem = f"{self._server.store} server did not start: {type(error).__name__}: {error}"
            _log.error("store_server_start_failed", store=self._server.store, problem=problem)
            self._report(problem)
            raise
        self._report(None)
        elapsed = round(time.monotonic() - began, 3)
        _log.info(
            "store_server_started",
            store=self._server.store,
            incarnation=self.context.incarnation,
            location=self._server.location,
            seconds=elapsed,
        )
        now = self.context.clock.now()
        self.publish(
            StoreServerStarted(
                correlation_id=random_uuid(),
                ts_event=now,
                ts_init=now,
                store=self._server.store,
                incarnation=self.context.incarnation,
                location=self._server.location,
                start_s=elapsed,
            )
        )
        self._ticker = _Ticker(self.actor_ref, self._check_every_s, self._server.store)
        self._ticker.start()

    def handle(self, message: Any) -> Any:
        match message:
            case CheckHealth():
                self._check()
            case _:
                _log.warning(
                    "store_server_ignored",
                    store=self._server.store,
                    message_type=type(message).__name__,
                )
        return None

    def on_stop(self) -> None:
        self._stop_ticker()
        self._server.stop()
        super().on_stop()

    def _report(self, problem: str | None) -> None:
        if self._report_problem is not None:
            self._report_problem(problem)

    def _check(self) -> None:
        if not self._server.is_running():
            self._lost("the server process exited")
        if self._server.healthy():
            self._failed_checks = 0
            return
        self._failed_checks += 1
        _log.warning(
            "store_server_unhealthy",
            store=self._server.store,
            failed_checks=self._failed_checks,
        )
        if self._failed_checks >= self._unhealthy_limit:
            self._server.stop()  # a restart must start a fresh process, not reuse this one
            self._lost(f"no answer to {self._failed_checks} health checks in a row")

    def _lost(self, detail: str) -> None:
        """Report, then crash: the supervisor restarts the server and its dependants."""
        self._stop_ticker()
        now = self.context.clock.now()
        self.publish(
            StoreServerLost(
                correlation_id=random_uuid(),
                ts_event=now,
                ts_init=now,
                store=self._server.store,
                detail=detail,
            )
        )
        raise StoreUnavailableError(self._server.store, detail)

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
