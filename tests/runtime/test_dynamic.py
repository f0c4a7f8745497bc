"""Dynamic supervision: children at run time, activation on first message, passivation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from actors.runtime.protocol import Ping, StartChild, SweepIdle, TerminateChild, TrackNames
from supervisors.dynamic import DynamicSpec, StartChildren, dynamic_child
from supervisors.runtime import TreeRuntime
from supervisors.specs import ChildSpec
from tests.runtime.kit import (
    Add,
    Fault,
    Get,
    Journal,
    Probe,
    ask,
    make_services,
    probe_spec,
    registry,
    running_tree,
    tell,
)
from walltrack.domain.tree import ActorState


@contextmanager
def wallets_tree(journal: Journal, passivate_after_s: float | None = 0.0) -> Iterator[TreeRuntime]:
    services = make_services()
    spec = DynamicSpec(
        template=lambda name: probe_spec(name, journal),
        passivate_after_s=passivate_after_s,
        sweep_every_s=3600,  # sweeps are sent by the tests, not by the ticker
    )
    with running_tree([dynamic_child("wallets", services, spec)], services=services) as runtime:
        yield runtime


def _passivate_all(runtime: TreeRuntime, names: list[str]) -> int:
    count: int = ask(runtime, "wallets", SweepIdle())
    # Each child reports back to the supervisor; ping until every report was handled.
    while any(registry(runtime).get(name).state is not ActorState.INACTIVE for name in names):
        ask(runtime, "wallets", Ping())
    return count


def test_a_tracked_name_costs_only_a_slot_until_its_first_message() -> None:
    journal = Journal()
    with wallets_tree(journal) as runtime:
        ask(runtime, "wallets", TrackNames(("w1", "w2", "w3")))
        assert runtime.tree().inactive_count == 3
        assert journal.starting_with("start w") == []

        tell(runtime, "w2", Add(5))
        assert ask(runtime, "w2", Get()) == [5]
        assert registry(runtime).get("w2").state is ActorState.RUNNING
        assert journal.starting_with("start w") == ["start w2 1"]
        assert runtime.tree().inactive_count == 2


def test_idle_actors_are_passivated_and_come_back_with_their_state() -> None:
    journal = Journal()
    with wallets_tree(journal) as runtime:
        ask(runtime, "wallets", TrackNames(("w1",)))
        tell(runtime, "w1", Add(1))
        ask(runtime, "w1", Get())

        assert _passivate_all(runtime, ["w1"]) == 1
        assert journal.starting_with("stop w1") == ["stop w1"]
        assert ask(runtime, "w1", Add(2)) is None  # reactivates from the snapshot
        assert ask(runtime, "w1", Get()) == [1, 2]
        assert registry(runtime).get("w1").incarnation == 2


def test_messages_sent_while_passivating_are_delivered_to_the_next_incarnation() -> None:
    journal = Journal()
    with wallets_tree(journal) as runtime:
        ask(runtime, "wallets", TrackNames(("w1",)))
        ask(runtime, "w1", Add(1))
        ask(runtime, "wallets", SweepIdle())  # w1 is now on hold, saving its state
        for value in (2, 3, 4):
            tell(runtime, "w1", Add(value))
        assert ask(runtime, "w1", Get()) == [1, 2, 3, 4]


def test_a_busy_actor_is_not_passivated() -> None:
    journal = Journal()
    with wallets_tree(journal, passivate_after_s=3600) as runtime:
        ask(runtime, "wallets", TrackNames(("w1",)))
        ask(runtime, "w1", Add(1))
        assert ask(runtime, "wallets", SweepIdle()) == 0
        assert registry(runtime).get("w1").state is ActorState.RUNNING


def _until_running(runtime: TreeRuntime, names: list[str]) -> None:
    # Activations report back to the supervisor; ask it until every one was attached.
    while any(registry(runtime).get(name).state is not ActorState.RUNNING for name in names):
        ask(runtime, "wallets", Ping())


def test_resident_names_run_before_any_message_and_are_never_passivated_for_idleness() -> None:
    journal = Journal()
    with wallets_tree(journal) as runtime:
        ask(runtime, "wallets", TrackNames(("w1", "w2"), resident=True))
        ask(runtime, "wallets", TrackNames(("w3",)))
        _until_running(runtime, ["w1", "w2"])
        assert sorted(journal.starting_with("start w")) == ["start w1 1", "start w2 1"]
        assert registry(runtime).get("w3").state is ActorState.INACTIVE

        tell(runtime, "w3", Add(1))
        assert ask(runtime, "w3", Get()) == [1]
        assert _passivate_all(runtime, ["w3"]) == 1  # idle all three: only w3 goes
        assert registry(runtime).get("w1").state is ActorState.RUNNING
        assert registry(runtime).get("w2").state is ActorState.RUNNING

        ask(runtime, "wallets", TrackNames(("w1",), resident=False))
        assert _passivate_all(runtime, ["w1"]) == 1
        assert registry(runtime).get("w2").state is ActorState.RUNNING
        assert journal.starting_with("stop w") == ["stop w3", "stop w1"]


def test_a_resident_name_that_crashes_is_restarted_and_stays_resident() -> None:
    journal = Journal()
    with wallets_tree(journal) as runtime:
        ask(runtime, "wallets", TrackNames(("w1",), resident=True))
        tell(runtime, "w1", Add(1))
        tell(runtime, "w1", Fault())
        assert ask(runtime, "w1", Get()) == [1]
        assert registry(runtime).get("w1").incarnation == 2
        assert ask(runtime, "wallets", SweepIdle()) == 0


def test_a_crashing_dynamic_child_restarts_alone() -> None:
    journal = Journal()
    with wallets_tree(journal, passivate_after_s=None) as runtime:
        ask(runtime, "wallets", TrackNames(("w1", "w2")))
        ask(runtime, "w1", Add(1))
        ask(runtime, "w2", Add(2))
        tell(runtime, "w1", Fault())
        assert ask(runtime, "w1", Get()) == [1]
        assert registry(runtime).get("w1").incarnation == 2
        assert registry(runtime).get("w2").incarnation == 1


def test_start_and_terminate_children_at_run_time() -> None:
    journal = Journal()
    with wallets_tree(journal, passivate_after_s=None) as runtime:
        ask(runtime, "wallets", StartChild(probe_spec("job", journal)))
        assert journal.starting_with("start job") == ["start job 1"]
        ask(runtime, "wallets", TerminateChild("job"))
        assert journal.starting_with("stop job") == ["stop job"]
        assert "job" not in registry(runtime)


def test_two_thousand_children_start_work_and_stop() -> None:
    journal = Journal()
    names = [f"w{index}" for index in range(2000)]
    with wallets_tree(journal, passivate_after_s=None) as runtime:
        ask(runtime, "wallets", StartChildren([probe_spec(name, journal) for name in names]))
        assert len(journal.starting_with("start w")) == 2000
        for index, name in enumerate(names):
            tell(runtime, name, Add(index))
        assert [ask(runtime, name, Get()) for name in names] == [[i] for i in range(2000)]
        assert sum(1 for info in runtime.tree().actors if info.parent == "wallets") == 2000
    assert len(journal.starting_with("stop w")) == 2000


def test_two_thousand_virtual_children_activate_and_passivate() -> None:
    journal = Journal()
    names = [f"v{index}" for index in range(2000)]
    with wallets_tree(journal) as runtime:
        ask(runtime, "wallets", TrackNames(tuple(names)))
        for name in names:
            tell(runtime, name, Add(1))
        assert all(ask(runtime, name, Get()) == [1] for name in names)
        assert _passivate_all(runtime, names) == 2000
        assert runtime.tree().inactive_count == 2000


class FailsItsFirstStart(Probe):
    """A probe whose first start fails (its store was down), once per journal."""

    def started(self) -> None:
        if not self.journal.starting_with("failed start"):
            self.journal.add(f"failed start {self.name}")
            msg = f"{self.name}: snapshot store unavailable"
            raise RuntimeError(msg)
        super().started()


def test_activations_overlap_and_one_failing_to_start_is_restarted_with_its_messages() -> None:
    journal = Journal()
    services = make_services()
    spec = DynamicSpec(
        template=lambda name: ChildSpec(
            name=name,
            start=lambda context: (FailsItsFirstStart if name == "broken" else Probe).start(
                context, journal
            ),
        ),
        passivate_after_s=None,
    )
    with running_tree([dynamic_child("wallets", services, spec)], services=services) as runtime:
        names = ["broken", *(f"w{i}" for i in range(20))]
        ask(runtime, "wallets", TrackNames(tuple(names)))
        for name in names:  # all activated in one burst: none waits for another's start
            tell(runtime, name, Add(1))
        assert [ask(runtime, name, Get()) for name in names] == [[1]] * len(names)
        broken = registry(runtime).get("broken")
        assert broken.state is ActorState.RUNNING
        assert journal.starting_with("failed start") == ["failed start broken"]
        assert journal.starting_with("start broken") == ["start broken 1"]
