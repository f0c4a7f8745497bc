"""Scores of the intelligence against a known answer: discovery, clusters, leaders, decay.

Why pure: `walltrack eval` compares what discovery, profiling and clustering found in a
simulated world with the world's ground truth; the arithmetic must be checkable by hand
(the adjusted Rand index especially, written here from its definition rather than taken
from a library).

Adjusted Rand index (Hubert & Arabie): over every pair of items, agreement of two
partitions corrected for chance, ARI = (index - expected) / (max - expected), where
index = sum over contingency cells C(n_ij, 2), expected = sum_i C(a_i, 2) * sum_j C(b_j, 2)
/ C(n, 2), max = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2. It is 1 for identical partitions,
about 0 for random ones, and may be negative. An item with no label is alone in its group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from math import comb


def _labels(items: list[str], labels: Mapping[str, str]) -> list[str]:
    """Each item's group; an unlabelled item gets a group of its own."""
    return [labels.get(item, f"\x00alone:{item}") for item in items]


def adjusted_rand_index(
    truth: Mapping[str, str], found: Mapping[str, str], universe: Iterable[str]
) -> float:
    """ARI of the `found` partition against `truth` over `universe` (item -> group id).

    Degenerate cases (fewer than 2 items, or both partitions all singletons or one group)
    where max == expected score 1.0 when the partitions agree on every pair, else 0.0.
    """
    items = sorted(set(universe))
    a, b = _labels(items, truth), _labels(items, found)
    same_cell = sum(comb(n, 2) for n in Counter(zip(a, b, strict=True)).values())
    same_a = sum(comb(n, 2) for n in Counter(a).values())
    same_b = sum(comb(n, 2) for n in Counter(b).values())
    pairs = comb(len(items), 2)
    if pairs == 0:
        return 1.0
    expected = same_a * same_b / pairs
    maximum = (same_a + same_b) / 2
    if maximum == expected:
        return 1.0 if same_cell == same_a == same_b else 0.0
    return (same_cell - expected) / (maximum - expected)


def precision_recall(found: Iterable[str], relevant: Iterable[str]) -> tuple[float, float]:
    """(precision, recall) of `found` against `relevant`; an empty side scores 0."""
    found_set, relevant_set = set(found), set(relevant)
    hits = len(found_set & relevant_set)
    precision = hits / len(found_set) if found_set else 0.0
    recall = hits / len(relevant_set) if relevant_set else 0.0
    return precision, recall


def leader_accuracy(
    true_clusters: Mapping[str, frozenset[str]],
    true_leaders: Mapping[str, str],
    found_clusters: Mapping[str, frozenset[str]],
    found_leaders: Mapping[str, str | None],
) -> tuple[float, int]:
    """Share of the found true clusters whose found leader is the true leader, and how many.

    A true cluster is found by the found cluster sharing most of its members (at least
    half of the true cluster, at least 2 wallets); a true cluster nobody found is left out
    (discovery and ARI measure that).
    """
    judged = right = 0
    for cluster_id, members in sorted(true_clusters.items()):
        best, overlap = None, 0
        for found_id, found_members in sorted(found_clusters.items()):
            shared = len(members & found_members)
            if shared > overlap:
                best, overlap = found_id, shared
        if best is None or overlap < 2 or overlap * 2 < len(members):
            continue
        judged += 1
        right += int(found_leaders.get(best) == true_leaders.get(cluster_id))
    return (right / judged if judged else 0.0), judged


def decay_precision(decayed: Iterable[str], should_decay: Iterable[str]) -> tuple[float, int]:
    """Share of the wallets decay flagged that deserved it, and how many were flagged.

    Nothing flagged scores 1.0: no false alarm was raised.
    """
    flagged = set(decayed)
    if not flagged:
        return 1.0, 0
    return len(flagged & set(should_decay)) / len(flagged), len(flagged)
