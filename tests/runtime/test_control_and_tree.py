"""Operator control through the root, and the tree snapshot seen from outside."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from actors.runtime.base import SupervisedActor
from actors.runtime.protocol import Ping
from supervisors.introspection import render_tree
from supervisors.runtime import EXIT_OK
from supervisors.specs import ChildSpec
from tests.runtime.kit import Add, Fault, Get, Journal, ask, probe_spec, running_tree, tell
from walltrack.domain.messages.control import PauseTrading, ResumeTrading, Shutdown
from walltrack.domain.tree import ActorKind, ActorState


def _command(kind: type[Any]) -> Any:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    return kind(correlation_id=uuid.uuid4(), ts_event=now, ts_init=now, requested_by="test")


def test_pause_and_resume_are_routed_to_their_owner() -> None:
    journal = Journal()
    routes = {PauseTrading: "breaker", ResumeTrading: "breaker"}
    with running_tree([probe_spec("breaker", journal)], routes=routes) as runtime:
        runtime.control(_command(PauseTrading))
        runtime.control(_command(ResumeTrading))
        journal.wait_for("breaker got ResumeTrading")
    assert journal.starting_with("breaker got") == [
        "breaker got PauseTrading",
        "breaker got ResumeTrading",
    ]


def test_shutdown_command_stops_the_tree_with_exit_code_zero() -> None:
    journal = Journal()
    with running_tree([probe_spec("a", journal)]) as runtime:
        runtime.control(_command(Shutdown))
        assert runtime.wait(timeout=10) == EXIT_OK
    assert journal.starting_with("stop") == ["stop a"]


class _Blocker(SupervisedActor):
    def __init__(self, context: Any, entered: threading.Event, release: threading.Event) -> None:
        super().__init__(context)
        self.entered = entered
        self.release = release

    def handle(self, message: Any) -> Any:
        if message == "block":
            self.entered.set()
            self.release.wait(30)


def test_tree_snapshot_reports_state_restarts_errors_mailbox_and_counts() -> None:
    journal = Journal()
    entered, release = threading.Event(), threading.Event()
    children = [
        probe_spec("a", journal),
        ChildSpec(name="blocker", start=lambda c: _Blocker.start(c, entered, release)),
    ]
    with running_tree(children) as runtime:
        tell(runtime, "a", Add(1))
        tell(runtime, "a", Fault())
        ask(runtime, "a", Get())
        tell(runtime, "blocker", "block")
        entered.wait(10)
        for _ in range(5):
            tell(runtime, "blocker", "queued")
        tree = runtime.tree()
        release.set()

    by_name = {info.name: info for info in tree.actors}
    assert [info.name for info in tree.actors] == ["root", "a", "blocker"]
    assert by_name["root"].kind is ActorKind.SUPERVISOR
    a = by_name["a"]
    assert (a.state, a.restarts, a.incarnation) == (ActorState.RUNNING, 1, 2)
    assert a.last_error == "RuntimeError: fault in a"
    assert a.messages_handled == 4  # Add, Fault, redelivered Fault, Get
    assert by_name["blocker"].mailbox_depth == 5
    text = render_tree(tree)
    assert "a [worker] running  restarts=1" in text
    assert "last error: RuntimeError: fault in a" in text


def test_an_unrouted_operator_command_never_crashes_the_root() -> None:
    journal = Journal()
    with running_tree([probe_spec("a", journal)]) as runtime:
        runtime.control(_command(PauseTrading))  # no route for it in this tree
        assert ask(runtime, "a", Get()) == []
        ask(runtime, "root", Ping())
        assert runtime.wait(timeout=0) is None
        assert runtime.tree().by_name("root").restarts == 0  # type: ignore[union-attr]
