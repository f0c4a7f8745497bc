"""Names always reach the live incarnation, with no message lost or reordered."""

from __future__ import annotations

from typing import Any

import pytest

from actors.runtime.base import SupervisedActor
from actors.runtime.protocol import Ping
from actors.runtime.registry import UnknownActorError
from supervisors.specs import ChildSpec
from tests.runtime.kit import (
    Add,
    Fault,
    Get,
    Journal,
    ask,
    probe_spec,
    registry,
    running_tree,
    tell,
)


def test_messages_sent_during_a_restart_arrive_in_order() -> None:
    journal = Journal()
    with running_tree([probe_spec("a", journal)]) as runtime:
        tell(runtime, "a", Fault(corrupt=False))
        for value in range(200):
            tell(runtime, "a", Add(value))
        assert ask(runtime, "a", Get()) == list(range(200))
        assert registry(runtime).get("a").incarnation == 2


class _Forwarder(SupervisedActor):
    def handle(self, message: Any) -> Any:
        self.tell("target", message)


def test_a_peer_keeps_reaching_a_restarted_actor_by_name() -> None:
    journal = Journal()
    children = [
        probe_spec("target", journal),
        ChildSpec(name="forwarder", start=_Forwarder.start),
    ]
    with running_tree(children) as runtime:
        tell(runtime, "forwarder", Add(1))
        tell(runtime, "forwarder", Fault(corrupt=False))
        tell(runtime, "forwarder", Add(2))
        journal.wait_for("start target 2")
        tell(runtime, "forwarder", Add(3))
        ask(runtime, "forwarder", Ping())  # FIFO: Add(3) was forwarded before this reply
        values = ask(runtime, "target", Get())
    assert values == [1, 2, 3]


def test_an_unknown_name_is_an_error() -> None:
    with running_tree([]) as runtime, pytest.raises(UnknownActorError):
        tell(runtime, "nobody", Add(1))
