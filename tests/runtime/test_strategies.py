"""Each restart strategy restarts exactly the children it names, restored from snapshots."""

from __future__ import annotations

import pytest

from supervisors.specs import Strategy
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


@pytest.mark.parametrize(
    ("strategy", "restarted"),
    [
        (Strategy.ONE_FOR_ONE, {"b"}),
        (Strategy.ONE_FOR_ALL, {"a", "b", "c"}),
        (Strategy.REST_FOR_ONE, {"b", "c"}),
    ],
)
def test_strategy_restarts_exactly_its_children(strategy: Strategy, restarted: set[str]) -> None:
    journal = Journal()
    children = [probe_spec(name, journal) for name in ("a", "b", "c")]
    with running_tree(children, strategy=strategy) as runtime:
        for name in ("a", "b", "c"):
            tell(runtime, name, Add(ord(name)))
        tell(runtime, "b", Fault())
        for name in sorted(restarted):
            journal.wait_for(f"start {name} 2")
        values = {name: ask(runtime, name, Get()) for name in ("a", "b", "c")}
        incarnations = {name: registry(runtime).get(name).incarnation for name in ("a", "b", "c")}

    assert {name for name, inc in incarnations.items() if inc == 2} == restarted
    assert {name for name, inc in incarnations.items() if inc == 1} == {"a", "b", "c"} - restarted
    # Every child, restarted or not, has its state: siblings saved theirs when stopped.
    assert values == {"a": [97], "b": [98], "c": [99]}


def test_restart_order_follows_start_order_for_rest_for_one() -> None:
    journal = Journal()
    children = [probe_spec(name, journal) for name in ("a", "b", "c")]
    with running_tree(children, strategy=Strategy.REST_FOR_ONE) as runtime:
        tell(runtime, "a", Fault())
        journal.wait_for("start c 2")
        restarts = [
            item.split()[1] for item in journal.starting_with("start") if item.split()[2] == "2"
        ]
        stops = journal.starting_with("stop")

    assert restarts == ["a", "b", "c"]
    # Siblings taken down by the strategy stop in reverse order before the restart.
    assert stops[:2] == ["stop c", "stop b"]
