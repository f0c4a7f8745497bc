"""Permanent, transient and temporary children after crashes and normal exits."""

from __future__ import annotations

from actors.runtime.protocol import Ping
from supervisors.runtime import ROOT, TreeRuntime
from supervisors.specs import Restart
from tests.runtime.kit import (
    Exit,
    Fault,
    Get,
    Journal,
    ask,
    probe_spec,
    registry,
    running_tree,
    tell,
)


def _exit_and_settle(runtime: TreeRuntime, journal: Journal, name: str) -> None:
    tell(runtime, name, Exit())
    # The child tells the root it exited before journaling its stop; the root's mailbox is
    # FIFO, so once this ping is answered the exit report has been handled.
    journal.wait_for(f"stop {name}")
    ask(runtime, ROOT, Ping())


def _crash_and_settle(runtime: TreeRuntime, name: str) -> None:
    ref = registry(runtime).get(name).ref
    assert ref is not None
    tell(runtime, name, Fault())
    ref.actor_stopped.wait(10)  # set only after the crash report was sent to the root
    ask(runtime, ROOT, Ping())


def test_transient_child_is_not_restarted_after_a_normal_exit() -> None:
    journal = Journal()
    with running_tree([probe_spec("t", journal, restart=Restart.TRANSIENT)]) as runtime:
        _exit_and_settle(runtime, journal, "t")
        assert "t" not in registry(runtime)
        assert journal.starting_with("start t") == ["start t 1"]


def test_transient_child_is_restarted_after_a_crash() -> None:
    journal = Journal()
    with running_tree([probe_spec("t", journal, restart=Restart.TRANSIENT)]) as runtime:
        tell(runtime, "t", Fault())
        assert ask(runtime, "t", Get()) == []
        assert registry(runtime).get("t").incarnation == 2


def test_permanent_child_is_restarted_even_after_a_normal_exit() -> None:
    journal = Journal()
    with running_tree([probe_spec("p", journal)]) as runtime:
        _exit_and_settle(runtime, journal, "p")
        assert ask(runtime, "p", Get()) == []
        assert registry(runtime).get("p").incarnation == 2


def test_temporary_child_is_never_restarted() -> None:
    journal = Journal()
    with running_tree(
        [probe_spec("tmp", journal, restart=Restart.TEMPORARY), probe_spec("p", journal)]
    ) as runtime:
        _crash_and_settle(runtime, "tmp")
        assert "tmp" not in registry(runtime)
        assert registry(runtime).get("p").incarnation == 1
