"""Clusters: link rules by hand, core groups, leaders, the multiplier worked example."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest

from walltrack.domain.clustering import (
    FirstBuy,
    SyncedBuy,
    cluster_id,
    cluster_multiplier,
    cohesion,
    cooccurrence,
    core_groups,
    detect_clusters,
    find_synced_buys,
    funding_link,
    is_amplified,
    jaccard,
    members_buying,
    pair,
    signal_context,
    synced_buy_correlation,
)
from walltrack.domain.params import default_params

SOL = 1_000_000_000
PARAMS = default_params().clusters
T0 = datetime(2025, 8, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lamports", "strength"),
    [(90_000_000, None), (100_000_000, 0.01), (5 * SOL, 0.5), (10 * SOL, 1.0), (25 * SOL, 1.0)],
)
def test_funding_strength(lamports: int, strength: float | None) -> None:
    link = funding_link("funded", "funder", lamports, PARAMS)
    assert (link.strength if link else None) == strength
    assert funding_link("same", "same", 10 * SOL, PARAMS) is None


@pytest.mark.parametrize(("dt", "correlation"), [(0, 1.0), (150, 0.5), (300, 0.0), (300.5, None)])
def test_synced_buy_correlation(dt: float, correlation: float | None) -> None:
    assert synced_buy_correlation(dt, PARAMS) == correlation


def test_synced_buys_use_first_buys_within_the_window() -> None:
    buys = [
        FirstBuy(wallet="A", token_mint="T", at=T0),
        FirstBuy(wallet="B", token_mint="T", at=T0 + timedelta(seconds=60)),
        FirstBuy(wallet="C", token_mint="T", at=T0 + timedelta(seconds=400)),
        FirstBuy(wallet="C", token_mint="T", at=T0 + timedelta(seconds=500)),  # not a first buy
        FirstBuy(wallet="A", token_mint="U", at=T0 + timedelta(seconds=10)),
        FirstBuy(wallet="C", token_mint="U", at=T0 + timedelta(seconds=10)),
    ]
    found = find_synced_buys(buys, PARAMS)
    assert [(s.later, s.earlier, s.token_mint, s.delta_s) for s in found] == [
        ("B", "A", "T", 60.0),
        ("C", "A", "U", 0.0),  # C bought T 340 s after B: too late
    ]
    assert found[0].correlation == pytest.approx(0.8)


def test_jaccard_and_cooccurrence() -> None:
    a, b = frozenset("abc"), frozenset("bcd")
    assert jaccard(a, b) == 0.5
    assert cooccurrence(a, b, PARAMS) == 0.5
    assert cooccurrence(frozenset("ab"), frozenset("b"), PARAMS) is None  # one shared token
    wide = frozenset("abcdef")
    assert cooccurrence(wide, frozenset("abghij"), PARAMS) == pytest.approx(0.2)  # 2 / 10
    assert cooccurrence(wide, frozenset("abghijk"), PARAMS) is None  # 2 / 11 < 0.2
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_five_wallet_cluster_with_cohesion_point_six_and_a_leader() -> None:
    # links: A-B, A-C, A-E (A funded B, C and E with 10 SOL), B-C, C-D, D-E (synced buys)
    funding = [funding_link(w, "A", 10 * SOL, PARAMS) for w in ("B", "C", "E")]
    synced = [
        SyncedBuy(later="B", earlier="C", token_mint="T1", delta_s=30, correlation=0.9),
        SyncedBuy(later="D", earlier="C", token_mint="T2", delta_s=30, correlation=0.9),
        SyncedBuy(later="E", earlier="D", token_mint="T3", delta_s=30, correlation=0.9),
    ]
    win_rates = {"A": 0.8, "B": 0.6, "C": 0.6, "D": 0.6, "E": 0.4}
    (cluster,) = detect_clusters(
        funding=[f for f in funding if f is not None],
        synced=synced,
        cooccurring=[],
        win_rates=win_rates,
        params=PARAMS,
    )
    assert cluster.members == frozenset("ABCDE")
    assert cluster.cohesion == pytest.approx(0.6)
    assert cluster.mean_win_rate == pytest.approx(0.6)
    by_wallet = {s.wallet: s for s in cluster.leader_scores}
    # A: 0.30 x 3/4 funded + 0.25 x 0 first moves + 0.25 x 3/4 links + 0.20 x 0.8
    assert by_wallet["A"].score == pytest.approx(0.5725)
    # C: 0.30 x 0 + 0.25 x 2/2 first moves + 0.25 x 3/4 + 0.20 x 0.6
    assert by_wallet["C"].score == pytest.approx(0.5575)
    assert cluster.leader == "A"
    # 1 + min(0.5, 2 x 0.1) + 0.8 x 0.6 + (0.6 - 0.5) + 0.2
    assert cluster.multiplier == pytest.approx(1.98)
    assert cluster.cluster_id == cluster_id(frozenset("EDCBA"))


def test_leader_must_reach_the_minimum_score() -> None:
    triangle = [("A", "B"), ("B", "C"), ("A", "C")]
    (cluster,) = detect_clusters(
        funding=[], synced=[], cooccurring=triangle, win_rates={}, params=PARAMS
    )
    assert cluster.leader_scores[0].score == pytest.approx(0.25)  # centrality only
    assert cluster.leader is None
    assert cluster.multiplier == pytest.approx(1 + 0 + 0.8 * 1.0)


def test_multiplier_terms_and_bounds() -> None:
    assert cluster_multiplier(3, 0.29, 0.5, False, PARAMS) == 1.0  # cohesion below 0.3 adds 0
    assert cluster_multiplier(3, 0.3, 0.4, False, PARAMS) == pytest.approx(1.24)
    assert cluster_multiplier(20, 1.0, 1.0, True, PARAMS) == 3.0
    narrow = dataclasses.replace(PARAMS, multiplier_max=2.5)
    assert cluster_multiplier(20, 1.0, 1.0, True, narrow) == 2.5


def test_core_groups() -> None:
    star = [("hub", leaf) for leaf in "abcd"]
    assert core_groups(star, 3, 2) == []
    triangle_and_tail = [("A", "B"), ("B", "C"), ("A", "C"), ("C", "tail")]
    assert core_groups(triangle_and_tail, 3, 2) == [frozenset("ABC")]
    bridged = [("A", "B"), ("B", "C"), ("A", "C"), ("D", "E"), ("E", "F"), ("D", "F"), ("C", "D")]
    groups = core_groups(bridged, 3, 2)
    assert groups == [frozenset("ABCDEF")]
    assert cohesion(groups[0], bridged) == pytest.approx(7 / 15)
    apart = [
        ("A", "B"),
        ("B", "C"),
        ("A", "C"),
        ("X", "Y"),
        ("Y", "Z"),
        ("X", "Z"),
        ("W", "X"),
        ("W", "Y"),
    ]
    assert core_groups(apart, 3, 2) == [frozenset("WXYZ"), frozenset("ABC")]


def test_live_amplification_window() -> None:
    members = frozenset("ABC")
    now = T0 + timedelta(hours=1)
    buys = [
        FirstBuy(wallet="A", token_mint="T", at=now - timedelta(seconds=600)),
        FirstBuy(wallet="B", token_mint="T", at=now - timedelta(seconds=601)),
        FirstBuy(wallet="C", token_mint="U", at=now),
        FirstBuy(wallet="Z", token_mint="T", at=now),
        FirstBuy(wallet="C", token_mint="T", at=now),
    ]
    count = members_buying(members, buys, "T", now, PARAMS)
    assert count == 2
    assert is_amplified(count, PARAMS)
    assert not is_amplified(1, PARAMS)


def test_property_detected_clusters_respect_the_definition() -> None:
    rng = random.Random(99)
    for _ in range(100):
        wallets = [f"w{i}" for i in range(rng.randint(3, 40))]
        links = [tuple(rng.sample(wallets, 2)) for _ in range(rng.randint(0, 80))]
        clusters = detect_clusters(
            funding=[],
            synced=[],
            cooccurring=[(a, b) for a, b in links],
            win_rates={w: rng.random() for w in wallets},
            params=PARAMS,
        )
        seen: set[str] = set()
        undirected = {pair(a, b) for a, b in links}
        for cluster in clusters:
            assert len(cluster.members) >= 3
            assert not seen & cluster.members
            seen |= cluster.members
            for member in cluster.members:
                inside = sum(
                    1 for a, b in undirected if member in (a, b) and {a, b} <= cluster.members
                )
                assert inside >= 2
            assert 0 < cluster.cohesion <= 1
            assert 1.0 <= cluster.multiplier <= 3.0
            assert (cluster.leader is None) or cluster.leader in cluster.members


def test_signal_context_for_the_scorer() -> None:
    triangle = [("A", "B"), ("B", "C"), ("A", "C")]
    clusters = detect_clusters(
        funding=[], synced=[], cooccurring=triangle, win_rates={}, params=PARAMS
    )
    now = T0 + timedelta(minutes=30)
    buys = [FirstBuy(wallet="B", token_mint="T", at=now - timedelta(seconds=100))]
    context = signal_context("A", "T", clusters=clusters, buys=buys, now=now, params=PARAMS)
    assert context.cluster_id == clusters[0].cluster_id
    assert (context.members_buying, context.cluster_size) == (2, 3)
    assert context.multiplier == clusters[0].multiplier
    alone = signal_context("A", "U", clusters=clusters, buys=buys, now=now, params=PARAMS)
    assert alone.members_buying == 1
    solo = signal_context("Z", "T", clusters=clusters, buys=buys, now=now, params=PARAMS)
    assert solo.cluster_id is None
