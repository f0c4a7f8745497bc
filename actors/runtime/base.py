"""The base of every WallTrack actor: supervision hooks around a plain pykka actor.

Why: pykka gives threads and mailboxes but an actor that raises just stops, taking the
messages queued behind it along. Here a failure is caught in the actor's own thread: its
name is put on hold (new messages wait in the registry), the messages still queued are
handed to the supervisor with the one that crashed, and the supervisor restarts a fresh
incarnation that rebuilds its state from the last snapshot, never from the crashed memory.
"""

from __future__ import annotations

import queue
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, cast, runtime_checkable

import pykka
from pykka._envelope import Envelope

from actors.runtime.bus import EventBus
from actors.runtime.protocol import (
    ChildCrashed,
    ChildExited,
    ChildReady,
    CrashReply,
    Passivate,
    PassivationDone,
    Ping,
    ReportReady,
)
from actors.runtime.registry import Registry
from walltrack.domain.messages.base import Message
from walltrack.domain.tree import ActorState
from walltrack.logging import bind_correlation, get_logger
from walltrack.ports import Clock, Snapshot, SnapshotStore

_log = get_logger("actor")

EFFECTS_KEY = "_effects"
EFFECT_JOURNAL_SIZE = 1024
"""Side-effect keys remembered per actor so a redelivered message never repeats one."""


@runtime_checkable
class Flushable(Protocol):
    """A write-behind snapshot store that can be told to write now."""

    def flush(self, actor_id: str | None = None) -> None:
        """Write what is pending: one actor's snapshot, or everything."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorContext:
    """Everything an actor gets from its supervisor when it is started."""

    name: str
    parent: str
    registry: Registry
    bus: EventBus
    snapshots: SnapshotStore
    clock: Clock
    incarnation: int


class SupervisedActor(pykka.ThreadingActor, ABC):
    """Subclass and implement `handle`; add `snapshot_state`/`restore_state` to keep state."""

    use_daemon_thread = True
    """An actor that outlives a timed-out stop must never keep the process from exiting."""

    snapshot_kind: ClassVar[str] = ""
    """Non-empty for actors whose state survives restarts and passivation."""
    snapshot_version: ClassVar[int] = 1

    def __init__(self, context: ActorContext) -> None:
        super().__init__()
        self.context = context
        self._slot = context.registry.get(context.name)
        self._dirty = False
        self._effects: deque[str] = deque(maxlen=EFFECT_JOURNAL_SIZE)
        self._leaving = False
        self._bound_correlation: object = None

    @staticmethod
    def _create_actor_inbox() -> Any:
        """A C-implemented SimpleQueue instead of pykka's pure-Python queue.Queue.

        Why: every hop of every message pays for the inbox twice (put and get); SimpleQueue
        has the same get/put/get_nowait/empty/qsize and costs a fraction of queue.Queue.
        """
        return queue.SimpleQueue()

    # ----- hooks for subclasses -------------------------------------------------------
    @abstractmethod
    def handle(self, message: Any) -> Any:
        """Handle one domain message; raise to crash (the supervisor decides)."""

    def snapshot_state(self) -> dict[str, Any]:
        """The state to persist (JSON-able, no floats for money)."""
        return {}

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        """Rebuild from a snapshot written by schema `version`."""

    def started(self) -> None:
        """Called once the state is restored, before the first message."""

    # ----- helpers for subclasses -----------------------------------------------------
    @property
    def name(self) -> str:
        """This actor's stable name."""
        return self.context.name

    def mark_dirty(self) -> None:
        """State changed: a snapshot is written after this message."""
        self._dirty = True

    def tell(self, name: str, message: Any) -> None:
        """Send to a peer by stable name."""
        self.context.registry.tell(name, message)

    def publish(self, event: Any) -> None:
        """Publish an event to its subscribers."""
        self.context.bus.publish(event)

    def perform_once[T](self, key: str, effect: Callable[[], T]) -> T | None:
        """Run a non-idempotent side effect at most once across crashes and redeliveries:
        the key is journaled and the snapshot made durable *before* the effect runs, so a
        crash after it can never repeat it (at-most-once; venues get idempotency keys too).
        """
        if key in self._effects:
            return None
        self._effects.append(key)
        self._save(durable=True)
        return effect()

    def remember_effect(self, key: str) -> None:
        """Journal `key` as `perform_once` does, for a caller that makes what the effect
        needs durable in its own statement; `forget_effect(key)` if that write failed."""
        self._effects.append(key)

    def forget_effect(self, key: str) -> None:
        """Take back a journaled key whose effect will not run."""
        self._effects.remove(key)

    # ----- pykka hooks ------------------------------------------------------------------
    def on_start(self) -> None:
        if self.snapshot_kind:
            snapshot = self.context.snapshots.load(self.name)
            if snapshot is not None:
                state = dict(snapshot.state)
                self._effects.extend(state.pop(EFFECTS_KEY, []))
                self.restore_state(state, snapshot.schema_version)
        self.started()

    def on_receive(self, message: Any) -> Any:
        kind = type(message)
        if kind is Ping:  # proves everything told before is done: deferred work included
            try:
                self.settle()
            except Exception as error:
                return self._crash(error, message)
            return True
        if kind is Passivate:
            self._passivate()
            return None
        if kind is ReportReady:
            ready = ChildReady(self.name, self.context.incarnation)
            self.context.registry.tell(self.context.parent, ready)
            return None
        self._slot.handled += 1
        # isinstance first: getattr with a default raises internally on other objects.
        correlation = message.correlation_id if isinstance(message, Message) else None
        if correlation is not self._bound_correlation:
            self._bound_correlation = correlation
            bind_correlation(None if correlation is None else str(correlation))
        try:
            result = self.handle(message)
            if self.actor_inbox.empty():
                self.idle()
        except Exception as error:
            return self._crash(error, message)
        if self._dirty:
            self._save(durable=False)
        return result

    def on_stop(self) -> None:
        if self.snapshot_kind:
            self._save(durable=True)
        if not self._leaving and self._slot.state is ActorState.RUNNING:
            # Stopped itself (not by its supervisor): a normal exit.
            self._slot.hold(ActorState.STOPPED)
            self.context.registry.tell(
                self.context.parent,
                ChildExited(name=self.name, incarnation=self.context.incarnation),
            )

    def idle(self) -> None:
        """The mailbox ran empty (or a Ping asks): finish work deferred to batch it."""

    def settle(self) -> None:
        """A Ping asks: finish all deferred work, waiting for I/O still in flight."""
        self.idle()

    def unfinished(self) -> list[Any]:
        """Messages taken in whose effects are not durable yet (e.g. a batch waiting for
        its group commit): a crash requeues them ahead of the crashed message."""
        return []

    def on_failure(self, *_exc_info: object) -> None:
        """Failures never reach pykka's own handler; see `_crash`."""

    # ----- internals ---------------------------------------------------------------------
    def _save(self, *, durable: bool) -> None:
        self._dirty = False
        if not self.snapshot_kind:
            if durable and self._effects:
                msg = f"{type(self).__name__} uses perform_once without a snapshot_kind"
                raise TypeError(msg)
            return
        store = self.context.snapshots
        store.save(self._snapshot())
        if durable and isinstance(store, Flushable):
            store.flush(self.name)  # this actor's row only: never behind others' batch

    def _snapshot(self) -> Snapshot:
        state = self.snapshot_state()
        if self._effects:
            state = {**state, EFFECTS_KEY: list(self._effects)}
        return Snapshot(
            actor_id=self.name,
            kind=self.snapshot_kind,
            schema_version=self.snapshot_version,
            state=state,
            updated_at=self.context.clock.now(),
        )

    def _drain(self) -> list[Envelope[Any]]:
        """Take the messages still in the inbox (the slot is on hold: no new ones arrive)."""
        self._leaving = True
        undelivered: list[Envelope[Any]] = []
        inbox = cast("queue.SimpleQueue[Envelope[Any]]", self.actor_inbox)
        while True:
            try:
                envelope = inbox.get_nowait()
            except queue.Empty:
                break
            if isinstance(envelope.message, pykka.messages._ActorStop):
                if envelope.reply_to is not None:
                    envelope.reply_to.set(None)
                continue
            undelivered.append(envelope)
        return undelivered

    def _end(self) -> None:
        """End this incarnation's loop; called after the supervisor has been told why."""
        self.actor_stopped.set()
        pykka.ActorRegistry.unregister(self.actor_ref)

    def _crash(self, error: Exception, message: Any) -> CrashReply:
        self._slot.hold(ActorState.RESTARTING)
        crashed = Envelope(message)
        # The messages stay with the name, not in the report: a report can be lost with a
        # supervisor that is itself stopping, the messages must not be.
        taken = [Envelope(m) for m in self.unfinished()]
        self._slot.requeue_front([*taken, crashed, *self._drain()])
        self._slot.last_error = f"{type(error).__name__}: {error}"
        _log.error(
            "actor_crashed",
            actor=self.name,
            incarnation=self.context.incarnation,
            message_type=type(message).__name__,
            error=self._slot.last_error,
            exc_info=error,
        )
        self.context.registry.tell(
            self.context.parent,
            ChildCrashed(
                name=self.name,
                incarnation=self.context.incarnation,
                error=error,
                message=crashed,
            ),
        )
        self._end()
        return CrashReply(error=self._slot.last_error)

    def _passivate(self) -> None:
        self._slot.requeue_front(self._drain())
        self.on_stop()  # the same cleanup as any stop, the snapshot included
        self.context.registry.tell(
            self.context.parent,
            PassivationDone(name=self.name, incarnation=self.context.incarnation),
        )
        self._end()
