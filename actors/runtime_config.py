"""The actor that owns the config listener and pushes runtime parameters to the tree.

Why: a change written to the config table (dashboard, CLI, psql) must reach the actors that
use it without a restart. The listener (its own connection and thread, LISTEN/NOTIFY)
validates each committed change; this actor turns it into a `RuntimeConfigChanged` event
on the bus, so subscribers cache the new parameters, and keeps the parameters in force in
the store handles for actors that start later. A stored configuration that fails
validation is rejected: `RuntimeConfigRejected` is published, logged, and the previous
parameters stay in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pykka

from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.store_handles import StoreHandles
from walltrack.adapters.postgres.config_listener import ConfigListener
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.config import RuntimeConfigChanged, RuntimeConfigRejected
from walltrack.domain.params import RuntimeParams
from walltrack.errors import InvalidParameterError
from walltrack.logging import get_logger

_log = get_logger("runtime_config")

ALL_SECTIONS = frozenset({"*"})


@dataclass(frozen=True, slots=True)
class _Loaded:
    """The listener read and validated a committed change."""

    params: RuntimeParams
    sections: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Rejected:
    """The listener found the stored configuration invalid."""

    error: InvalidParameterError


class RuntimeConfigActor(SupervisedActor):
    """Listens for config changes; publishes each validated set of parameters."""

    def __init__(
        self,
        context: ActorContext,
        handles: StoreHandles,
        *,
        schema: str,
        poll_s: float = 0.25,
    ) -> None:
        super().__init__(context)
        self._handles = handles
        self._schema = schema
        self._poll_s = poll_s
        self._listener: ConfigListener | None = None

    def started(self) -> None:
        self._listener = ConfigListener(
            self._handles.pg_dsn(),
            schema=self._schema,
            on_change=self._from_listener_changed,
            on_invalid=self._from_listener_invalid,
            poll_s=self._poll_s,
        )
        params = self._listener.start()  # LISTENing before the first read: nothing missed
        self._apply(params, ALL_SECTIONS)

    def handle(self, message: Any) -> Any:
        try:
            match message:
                case _Loaded(params=params, sections=sections):
                    self._apply(params, sections)
                case _Rejected(error=error):
                    self._reject(error)
                case _:
                    _log.warning("runtime_config_ignored", message_type=type(message).__name__)
        except BaseException:
            self._stop_listener()  # a crashed incarnation must not leave its thread behind
            raise
        return None

    def on_stop(self) -> None:
        self._stop_listener()
        super().on_stop()

    # ----- called on the listener's thread: hand over to the actor's own thread -----------
    def _from_listener_changed(self, params: RuntimeParams, sections: frozenset[str]) -> None:
        self._to_self(_Loaded(params, sections))

    def _from_listener_invalid(self, error: InvalidParameterError) -> None:
        self._to_self(_Rejected(error))

    def _to_self(self, message: _Loaded | _Rejected) -> None:
        try:
            self.actor_ref.tell(message)
        except pykka.ActorDeadError:
            _log.info("runtime_config_change_after_stop", schema=self._schema)

    # ----- on the actor's thread -------------------------------------------------------------
    def _apply(self, params: RuntimeParams, sections: frozenset[str]) -> None:
        self._handles.set_params(params)
        now = self.context.clock.now()
        self.publish(
            RuntimeConfigChanged(
                correlation_id=random_uuid(),
                ts_event=now,
                ts_init=now,
                params=params,
                sections=sections,
            )
        )
        _log.info("runtime_config_published", schema=self._schema, sections=sorted(sections))

    def _reject(self, error: InvalidParameterError) -> None:
        now = self.context.clock.now()
        event = RuntimeConfigRejected(
            correlation_id=random_uuid(), ts_event=now, ts_init=now, problems=error.problems
        )
        _log.error("runtime_config_rejected", schema=self._schema, problems=event.describe())
        self.publish(event)

    def _stop_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
