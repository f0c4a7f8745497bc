"""Union-find grouping and the time encoding, without a server."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from walltrack.adapters.graph.components import connected_groups
from walltrack.adapters.graph.records import from_epoch_ms, to_epoch_ms


def test_groups_merge_chains_and_ignore_loops_and_repeats() -> None:
    pairs = [("b", "a"), ("a", "b"), ("b", "c"), ("d", "d"), ("e", "f"), ("x", "y"), ("y", "z")]

    groups = connected_groups(pairs, min_size=1)

    assert [sorted(g.members) for g in groups] == [["a", "b", "c"], ["x", "y", "z"], ["e", "f"]]
    assert groups[0].edges == {("a", "b"), ("b", "c")}
    assert "d" not in {m for g in groups for m in g.members}  # a self-loop connects nothing


def test_min_size_drops_small_groups() -> None:
    assert [len(g.members) for g in connected_groups([("a", "b"), ("c", "d"), ("d", "e")])] == [
        3,
        2,
    ]
    assert connected_groups([("a", "b")], min_size=3) == []


def test_random_graph_matches_a_breadth_first_search() -> None:
    rng = random.Random(7)
    nodes = [f"w{i}" for i in range(400)]
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(300)]

    expected = _bfs_components(pairs)
    found = {g.members for g in connected_groups(pairs, min_size=1)}

    assert found == expected


def test_times_are_stored_as_utc_milliseconds() -> None:
    paris = timezone(timedelta(hours=2))
    moment = datetime(2026, 5, 1, 14, 30, 15, 250_000, tzinfo=paris)

    assert from_epoch_ms(to_epoch_ms(moment)) == moment
    assert from_epoch_ms(to_epoch_ms(moment)).tzinfo is UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        to_epoch_ms(datetime(2026, 5, 1))  # noqa: DTZ001


def _bfs_components(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    neighbours: dict[str, set[str]] = {}
    for a, b in pairs:
        if a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    seen: set[str] = set()
    components: set[frozenset[str]] = set()
    for start in neighbours:
        if start in seen:
            continue
        component, frontier = {start}, [start]
        while frontier:
            for nxt in neighbours[frontier.pop()] - component:
                component.add(nxt)
                frontier.append(nxt)
        seen |= component
        components.add(frozenset(component))
    return components
