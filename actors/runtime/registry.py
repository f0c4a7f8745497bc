"""Stable names for actors: a name always resolves to its live incarnation.

Why: pykka refs die with their actor and can never be restarted, so peers hold names, not
refs. Each name has a slot with its own lock; while the actor behind a name is activating,
restarting or passivating, messages to it wait in the slot's buffer and are delivered, in
order, to the next incarnation. Nobody ever holds a dead reference.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, cast

import pykka
from pykka._envelope import Envelope  # pykka has no public way to move queued messages

from actors.runtime.protocol import CrashReply
from walltrack.domain.tree import ActorKind, ActorState

MAX_BUFFERED = 100_000
"""Messages one slot may hold while its actor is away; beyond that they are refused."""


class ActorCrashedError(RuntimeError):
    """The question asked crashed the actor; its supervisor restarts it."""


class UnknownActorError(LookupError):
    """No actor is registered under that name."""


class MailboxOverflowError(RuntimeError):
    """A slot's buffer is full: its actor has been away too long to hold more."""


class Slot:
    """One stable name: its live incarnation (if any), buffered messages and statistics."""

    __slots__ = (
        "_buffer",
        "_lock",
        "activate",
        "handled",
        "incarnation",
        "kind",
        "last_active",
        "last_error",
        "name",
        "parent",
        "ref",
        "resident",
        "restarts",
        "started_at",
        "state",
    )

    def __init__(
        self,
        name: str,
        parent: str | None,
        kind: ActorKind,
        activate: Callable[[str], None] | None,
    ) -> None:
        self.name = name
        self.parent = parent
        self.kind = kind
        self.activate = activate
        self.ref: pykka.ActorRef[Any] | None = None
        self.state = ActorState.INACTIVE if activate else ActorState.STOPPED
        self.incarnation = 0
        self.restarts = 0
        self.resident = False  # a virtual name its supervisor keeps active
        self.handled = 0
        self.last_error: str | None = None
        self.started_at = 0.0
        self.last_active = 0.0
        self._lock = threading.Lock()
        self._buffer: deque[Envelope[Any]] | None = None

    def deliver(self, envelope: Envelope[Any]) -> None:
        """Put a message in the live actor's inbox, or buffer it until there is one."""
        wake = False
        with self._lock:
            self.last_active = time.monotonic()
            ref = self.ref
            if ref is not None and self.state is ActorState.RUNNING:
                ref.actor_inbox.put(envelope)
                return
            buffer = self._buffer if self._buffer is not None else deque()
            if len(buffer) >= MAX_BUFFERED:
                msg = f"{self.name}: {MAX_BUFFERED} messages already wait for this actor"
                raise MailboxOverflowError(msg)
            buffer.append(envelope)
            self._buffer = buffer
            if self.state is ActorState.INACTIVE and self.activate is not None:
                self.state = ActorState.ACTIVATING
                wake = True
        if wake and self.activate is not None:
            self.activate(self.name)

    def hold(self, state: ActorState) -> pykka.ActorRef[Any] | None:
        """Stop direct delivery (restart, passivation, stop); returns the ref that was live."""
        with self._lock:
            ref, self.ref = self.ref, None
            self.state = state
            return ref

    def requeue_front(self, envelopes: list[Envelope[Any]]) -> None:
        """Put messages back at the head of the buffer, keeping their order."""
        if not envelopes:
            return
        with self._lock:
            buffer = self._buffer if self._buffer is not None else deque()
            buffer.extendleft(reversed(envelopes))
            self._buffer = buffer

    def discard(self, envelope: Envelope[Any]) -> bool:
        """Remove one waiting message (a quarantined one); False if it is not waiting."""
        with self._lock:
            if self._buffer is None:
                return False
            for index, waiting in enumerate(self._buffer):
                if waiting is envelope:
                    del self._buffer[index]
                    return True
            return False

    def attach(self, ref: pykka.ActorRef[Any], incarnation: int) -> None:
        """Make `ref` the live incarnation and hand it every buffered message, in order."""
        with self._lock:
            if self._buffer:
                for envelope in self._buffer:
                    ref.actor_inbox.put(envelope)
            self._buffer = None
            self.ref = ref
            self.incarnation = incarnation
            self.state = ActorState.RUNNING
            self.started_at = time.monotonic()
            self.last_active = self.started_at

    def settle(self, state: ActorState) -> bool:
        """After an actor left: go to `state` unless messages wait (then True: reactivate)."""
        with self._lock:
            self.ref = None
            if self._buffer and state is ActorState.INACTIVE:
                self.state = ActorState.ACTIVATING
                return True
            self.state = state
            return False

    def drop_buffer(self) -> int:
        """Discard buffered messages (the actor is gone for good); returns how many."""
        with self._lock:
            count = len(self._buffer) if self._buffer else 0
            self._buffer = None
            return count

    @property
    def buffered(self) -> int:
        """Messages waiting in the slot for the next incarnation."""
        buffer = self._buffer
        return len(buffer) if buffer else 0

    @property
    def mailbox_depth(self) -> int:
        """Messages waiting: in the live inbox plus the slot's buffer."""
        ref = self.ref
        inbox = cast("queue.SimpleQueue[Any]", ref.actor_inbox).qsize() if ref is not None else 0
        return inbox + self.buffered


class Registry:
    """Name -> slot, shared by the whole tree."""

    def __init__(self) -> None:
        self._slots: dict[str, Slot] = {}
        self._lock = threading.Lock()

    def add(
        self,
        name: str,
        *,
        parent: str | None,
        kind: ActorKind = ActorKind.WORKER,
        activate: Callable[[str], None] | None = None,
    ) -> Slot:
        """Register a name; `activate` makes it virtual (started on its first message)."""
        with self._lock:
            existing = self._slots.get(name)
            if existing is not None:
                return existing
            slot = Slot(name, parent, kind, activate)
            self._slots[name] = slot
            return slot

    def remove(self, name: str) -> Slot | None:
        """Forget a name entirely."""
        with self._lock:
            return self._slots.pop(name, None)

    def get(self, name: str) -> Slot:
        """The slot of `name`; raises UnknownActorError."""
        slot = self._slots.get(name)
        if slot is None:
            raise UnknownActorError(name)
        return slot

    def find(self, name: str) -> Slot | None:
        """The slot of `name`, or None."""
        return self._slots.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._slots

    def __len__(self) -> int:
        return len(self._slots)

    def slots(self) -> Iterator[Slot]:
        """Every slot (a copy of the list, safe against concurrent changes)."""
        with self._lock:
            return iter(list(self._slots.values()))

    def tell(self, name: str, message: Any) -> None:
        """Send `message` to whatever incarnation of `name` is, or will be, alive."""
        slot = self._slots.get(name)  # the hot path: no extra call
        if slot is None:
            raise UnknownActorError(name)
        slot.deliver(Envelope(message))

    def ask(self, name: str, message: Any, timeout: float) -> Any:
        """Ask `name` and wait at most `timeout` seconds (edges only: CLI, tests).

        Raises ActorCrashedError when the question crashed the actor.
        """
        future: pykka.Future[Any] = pykka.ThreadingFuture()
        self.get(name).deliver(Envelope(message, reply_to=future))
        reply = future.get(timeout=timeout)
        if isinstance(reply, CrashReply):
            raise ActorCrashedError(f"{name}: {reply.error}")
        return reply
