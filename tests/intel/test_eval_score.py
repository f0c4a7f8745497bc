"""`walltrack eval`'s scoring of an outcome against a hand-built ground truth."""

from __future__ import annotations

import pytest

from walltrack.domain.clustering import Cluster
from walltrack.eval.run import IntelOutcome, score

TRUTH = {
    "smart_wallets": [{"address": a} for a in ("s1", "s2", "s3", "s4")],
    "clusters": [
        {"id": "c1", "leader": "l1", "members": ["l1", "f1", "f2"]},
        {"id": "c2", "leader": "dev", "members": ["dev", "i1", "i2", "i3"]},
    ],
}


def cluster(members: str, leader: str | None) -> Cluster:
    names = frozenset(members.split())
    return Cluster(
        cluster_id="|".join(sorted(names)),
        members=names,
        cohesion=1.0,
        mean_win_rate=0.0,
        leader=leader,
        leader_scores=(),
        multiplier=1.0,
    )


def outcome(clusters: tuple[Cluster, ...], **changes: object) -> IntelOutcome:
    values: dict[str, object] = {
        "watched": ("s1", "s2", "s3", "x1"),
        "discovered": ("s1", "s2", "s3", "x1", "x2"),
        "profiled": ("s1", "s2", "s3", "x1", "x2"),
        "decayed": ("x2", "s3"),
        "network": ("s1", "s2", "l1", "f1", "f2", "x1"),
        "clusters": clusters,
        "timings": {"discovery_s": 1.234},
    }
    values.update(changes)
    return IntelOutcome(**values)  # type: ignore[arg-type]


def test_a_perfect_clustering_of_everything_it_reached() -> None:
    found = (cluster("l1 f1 f2", "l1"), cluster("dev i1 i2 i3", "dev"))
    metrics = score(TRUTH, outcome(found))
    assert metrics["discovery_precision"] == pytest.approx(0.75)
    assert metrics["discovery_recall"] == pytest.approx(0.75)
    assert metrics["cluster_ari"] == pytest.approx(1.0)
    assert metrics["leader_accuracy"] == pytest.approx(1.0)
    assert metrics["decay_precision"] == pytest.approx(0.5)  # s3 is smart: a false alarm
    assert metrics["discovery_s"] == pytest.approx(1.23)


def test_a_missed_cluster_and_a_wrong_leader_cost() -> None:
    metrics = score(TRUTH, outcome((cluster("l1 f1 f2", "f1"),)))
    assert metrics["leader_accuracy"] == 0.0  # the one found cluster has the wrong leader
    assert metrics["clusters_judged"] == 1
    # the insiders never reached still count, each alone: the ring is lost
    assert metrics["cluster_ari"] < 0.7


def test_a_watched_copy_group_leader_is_no_false_positive_but_a_dev_is() -> None:
    truth = {
        "smart_wallets": TRUTH["smart_wallets"],
        "clusters": [
            {"id": "c1", "leader": "l1", "members": ["l1", "f1", "f2"], "kind": "copy_group"},
            {"id": "c2", "leader": "dev", "members": ["dev", "i1", "i2", "i3"], "kind": "insider"},
        ],
    }
    watched = ("s1", "s2", "l1", "dev", "f1")
    metrics = score(truth, outcome((), watched=watched))
    assert metrics["discovery_precision"] == pytest.approx(3 / 5)  # s1, s2, l1
    assert metrics["discovery_precision_strict"] == pytest.approx(2 / 5)
    assert metrics["discovery_recall"] == pytest.approx(2 / 4)  # over the smart wallets only
    assert (metrics["watched_smart"], metrics["watched_leaders"]) == (2, 1)
    assert metrics["watched_other"] == 2  # the dev and the follower
