"""A restarted actor rebuilds from its last snapshot, never from crashed memory."""

from __future__ import annotations

from dataclasses import replace

from tests.runtime.kit import (
    Add,
    Effect,
    Fault,
    Get,
    Journal,
    ask,
    make_services,
    probe_spec,
    running_tree,
    tell,
)


def test_restart_restores_the_last_snapshot_not_the_corrupted_memory() -> None:
    journal = Journal()
    with running_tree([probe_spec("a", journal)]) as runtime:
        for value in range(5):
            tell(runtime, "a", Add(value))
        tell(runtime, "a", Fault(corrupt=True))  # sets values to [-999] before raising
        assert ask(runtime, "a", Get()) == [0, 1, 2, 3, 4]
        assert journal.starting_with("start a") == ["start a 1", "start a 2"]


def test_state_survives_a_whole_tree_restart_through_the_snapshot_store() -> None:
    services = make_services()
    journal = Journal()
    with running_tree([probe_spec("a", journal)], services=services) as runtime:
        tell(runtime, "a", Add(7))
        ask(runtime, "a", Get())
    # A new tree over the same store: the actor comes back with its state.
    fresh = replace(make_services(), snapshots=services.snapshots)
    with running_tree([probe_spec("a", journal)], services=fresh) as runtime:
        assert ask(runtime, "a", Get()) == [7]


def test_a_side_effect_is_never_repeated_when_its_message_is_redelivered() -> None:
    journal = Journal()
    effect = Effect(key="order-1")
    with running_tree([probe_spec("a", journal)]) as runtime:
        tell(runtime, "a", effect)  # performs the effect, then crashes
        ask(runtime, "a", Get())  # the restarted actor handled the redelivered message
        assert journal.starting_with("start a") == ["start a 1", "start a 2"]
    assert effect.performed == [1]
