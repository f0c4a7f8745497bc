"""Poison messages: K crashes by one message quarantine it; the rest keeps flowing."""

from __future__ import annotations

from tests.runtime.kit import Add, Fault, Get, Journal, ask, probe_spec, running_tree, tell


def test_a_message_that_keeps_crashing_is_quarantined_and_others_still_flow() -> None:
    journal = Journal()
    with running_tree([probe_spec("a", journal)]) as runtime:
        tell(runtime, "a", Add(1))
        tell(runtime, "a", Fault(times=100, corrupt=False))
        tell(runtime, "a", Add(2))
        assert ask(runtime, "a", Get()) == [1, 2]
        tree = runtime.tree()
    assert len(tree.quarantined) == 1
    entry = tree.quarantined[0]
    assert (entry.actor, entry.message_type, entry.crashes) == ("a", "Fault", 3)
    assert "fault in a" in entry.last_error
    assert journal.starting_with("start a") == ["start a 1", "start a 2", "start a 3", "start a 4"]


def test_a_message_that_succeeds_on_redelivery_is_not_quarantined() -> None:
    journal = Journal()
    with running_tree([probe_spec("a", journal)]) as runtime:
        tell(runtime, "a", Fault(times=2, corrupt=False))
        tell(runtime, "a", Add(3))
        assert ask(runtime, "a", Get()) == [3]
        assert runtime.tree().quarantined == ()
