"""Ordered start (each child ready before the next) and reverse-ordered stop."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from actors.runtime.base import ActorContext
from supervisors.runtime import TreeRuntime
from supervisors.specs import ChildSpec
from supervisors.supervisor import SupervisorSpec, supervisor_child
from tests.runtime.kit import Journal, Probe, make_services, probe_spec, registry, running_tree


def test_children_start_in_order_each_ready_before_the_next() -> None:
    journal = Journal()
    children = [
        probe_spec("a", journal),
        probe_spec("b", journal, siblings=("a",)),
        probe_spec("c", journal, siblings=("a", "b")),
    ]
    with running_tree(children):
        starts = journal.starting_with("start")
    assert starts == ["start a 1", "start b 1 a=running", "start c 1 a=running,b=running"]


def test_tree_stops_in_reverse_start_order_depth_first() -> None:
    services = make_services()
    journal = Journal()
    inner = SupervisorSpec(children=[probe_spec("x", journal), probe_spec("y", journal)])
    children = [
        probe_spec("a", journal),
        supervisor_child("inner", services, inner),
        probe_spec("b", journal),
    ]
    with running_tree(children, services=services):
        pass
    assert journal.starting_with("stop") == ["stop b", "stop y", "stop x", "stop a"]


class _BrokenOnStart(Probe):
    def started(self) -> None:
        raise RuntimeError("cannot start")


def test_a_child_that_cannot_start_fails_the_start_and_stops_the_started_ones() -> None:
    journal = Journal()
    children = [
        probe_spec("a", journal),
        ChildSpec(
            name="broken", start=lambda c: _BrokenOnStart.start(c, journal), start_timeout_s=5
        ),
        probe_spec("c", journal),
    ]
    runtime = TreeRuntime(make_services(), SupervisorSpec(children=children))
    with pytest.raises(Exception, match=r"dead|stopped|broken"):
        runtime.start()
    assert journal.starting_with("start") == ["start a 1"]
    journal.wait_for("stop a")


class _SlowToStop(Probe):
    def __init__(self, context: ActorContext, journal: Journal, release: threading.Event) -> None:
        super().__init__(context, journal)
        self.release = release

    def on_stop(self) -> None:
        self.release.wait(30)  # stuck until the test releases it
        super().on_stop()


def test_a_child_stuck_in_stop_is_abandoned_after_its_timeout() -> None:
    journal = Journal()
    release = threading.Event()
    children: list[Any] = [
        probe_spec("a", journal),
        ChildSpec(
            name="stuck",
            start=lambda c: _SlowToStop.start(c, journal, release),
            shutdown_timeout_s=0.2,
        ),
        probe_spec("c", journal),
    ]
    try:
        with running_tree(children) as runtime:
            pass
        # c stopped, stuck timed out, and a still stopped after it: the order held.
        assert journal.starting_with("stop") == ["stop c", "stop a"]
        assert registry(runtime).get("stuck").state.value == "stopped"
    finally:
        release.set()
