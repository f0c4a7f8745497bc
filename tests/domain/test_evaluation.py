"""The evaluation scores on hand-built partitions with answers worked out by hand."""

from __future__ import annotations

import pytest

from walltrack.domain.evaluation import (
    adjusted_rand_index,
    decay_precision,
    leader_accuracy,
    precision_recall,
)


def test_identical_partitions_score_one_whatever_the_names() -> None:
    truth = {"a": "x", "b": "x", "c": "y", "d": "y"}
    found = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert adjusted_rand_index(truth, found, "abcde") == pytest.approx(1.0)


def test_known_value_from_the_contingency_table() -> None:
    # truth {a,b,c} {d,e,f}; found {a,b} {c,d} {e,f}
    # cells: (x,1)=2 (x,2)=1 (y,2)=1 (y,3)=2 -> index = 1 + 1 = 2
    # rows: C(3,2)*2 = 6; cols: C(2,2)*3 = 3; pairs C(6,2) = 15
    # expected = 6 * 3 / 15 = 1.2; max = 4.5; ARI = (2 - 1.2) / (4.5 - 1.2) = 0.2424...
    truth = dict.fromkeys("abc", "x") | dict.fromkeys("def", "y")
    found = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3", "f": "3"}
    assert adjusted_rand_index(truth, found, "abcdef") == pytest.approx(0.8 / 3.3)


def test_unlabelled_items_are_alone_and_a_merge_costs() -> None:
    truth = {"a": "x", "b": "x", "c": "y", "d": "y"}
    merged = dict.fromkeys("abcd", "1")
    assert adjusted_rand_index(truth, merged, "abcdefgh") < 0.6
    assert adjusted_rand_index(truth, {}, "abcdefgh") == pytest.approx(0.0)


def test_symmetric_and_chance_level_near_zero() -> None:
    truth = {str(i): str(i % 3) for i in range(30)}
    found = {str(i): str(i // 10) for i in range(30)}
    score = adjusted_rand_index(truth, found, truth)
    assert score == pytest.approx(adjusted_rand_index(found, truth, truth))
    assert abs(score) < 0.1


def test_degenerate_universes() -> None:
    assert adjusted_rand_index({}, {}, ["a"]) == 1.0
    assert adjusted_rand_index({}, {}, "abc") == 1.0  # all alone in both
    assert adjusted_rand_index({}, dict.fromkeys("abc", "1"), "abc") == 0.0


def test_precision_and_recall() -> None:
    precision, recall = precision_recall({"a", "b", "c", "z"}, set("abcdef"))
    assert (precision, recall) == (0.75, 0.5)
    assert precision_recall([], {"a"}) == (0.0, 0.0)


def test_leader_accuracy_judges_only_found_clusters() -> None:
    true_clusters = {
        "t1": frozenset("abcd"),
        "t2": frozenset("efg"),
        "t3": frozenset("xyz"),  # never found: not judged
    }
    true_leaders = {"t1": "a", "t2": "e", "t3": "x"}
    found = {"f1": frozenset("abc"), "f2": frozenset("efgh")}
    assert leader_accuracy(true_clusters, true_leaders, found, {"f1": "a", "f2": "f"}) == (0.5, 2)
    assert leader_accuracy(true_clusters, true_leaders, {}, {}) == (0.0, 0)
    # one shared wallet of four is not finding the cluster
    assert leader_accuracy(
        {"t": frozenset("abcd")}, {"t": "a"}, {"f": frozenset("az")}, {"f": "a"}
    ) == (0.0, 0)


def test_decay_precision() -> None:
    assert decay_precision({"a", "b"}, {"a"}) == (0.5, 2)
    assert decay_precision((), {"a"}) == (1.0, 0)
