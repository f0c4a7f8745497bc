"""Cluster context reaches the score: the same buy scores higher when its cluster buys too.

Two scenarios with identical market context (two other tracked wallets bought the token
earlier, at the same prices, in the same window): only who they are differs. On token A
they are outsiders, on token B they are the signaller's cluster mates, so only the cluster
factor (live amplification) moves, and the persisted signals prove by how much.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import timedelta

import pytest

from actors.names import CLUSTER
from actors.pipeline_messages import FlushGraph, GetStats, ReloadClusters
from tests.pipeline.kit import (
    START,
    FixedClusters,
    NoGraph,
    pipeline,
    seed_token,
    seed_wallet,
    swap,
)
from walltrack.adapters.graph.live_buys import GraphBuyRecorder
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.domain.clustering import Cluster, FirstBuy, SyncedBuy
from walltrack.domain.params import default_params
from walltrack.errors import StoreUnavailableError

LEAD = "Lead11111111111111111111111111111111111111"
MATE_1 = "Mate11111111111111111111111111111111111111"
MATE_2 = "Mate22222222222222222222222222222222222222"
OUT_1 = "Outs11111111111111111111111111111111111111"
OUT_2 = "Outs22222222222222222222222222222222222222"
TOKEN_A = "TokA1111111111111111111111111111111111111111"
TOKEN_B = "TokB1111111111111111111111111111111111111111"

CLUSTER_OF_THREE = Cluster(
    cluster_id="cluster-test",
    members=frozenset({LEAD, MATE_1, MATE_2}),
    cohesion=1.0,
    mean_win_rate=0.7,
    leader=MATE_1,
    leader_scores=(),
    multiplier=2.0,
)


def test_cluster_members_buying_together_raise_the_persisted_score(
    pg_dsn: str, graph_repository: GraphRepository
) -> None:
    tracked = [LEAD, MATE_1, MATE_2, OUT_1, OUT_2]
    graph = GraphBuyRecorder(graph_repository)
    with pipeline(pg_dsn, tracked=tracked, clusters=[CLUSTER_OF_THREE], graph=graph) as p:
        for wallet in tracked:
            seed_wallet(p.stores, wallet, score=0.7)
        seed_token(p.stores, TOKEN_A)
        seed_token(p.stores, TOKEN_B)

        # Token A: two outsiders buy, then the lead (the same gaps as on token B).
        p.submit(swap(OUT_1, TOKEN_A, at=START))
        p.submit(swap(OUT_2, TOKEN_A, at=START + timedelta(seconds=30)))
        p.drain([OUT_1, OUT_2])
        alone = swap(LEAD, TOKEN_A, at=START + timedelta(seconds=60))
        p.submit(alone)
        # Token B: two cluster mates buy, then the lead.
        later = START + timedelta(seconds=1000)
        p.submit(swap(MATE_1, TOKEN_B, at=later))
        p.submit(swap(MATE_2, TOKEN_B, at=later + timedelta(seconds=30)))
        p.drain([LEAD, MATE_1, MATE_2])
        together = swap(LEAD, TOKEN_B, at=later + timedelta(seconds=60))
        p.submit(together)
        p.wait_told(6)

        by_tx = {s.tx_signature: s for s in p.signals()}
        solo, amplified = by_tx[alone.signature], by_tx[together.signature]
        assert solo.factors["cluster"]["members_buying"] == 1
        assert solo.factors["cluster"]["amplified"] is False
        assert amplified.factors["cluster"]["members_buying"] == 3
        assert amplified.factors["cluster"]["amplified"] is True
        # Everything else is the same ...
        assert amplified.wallet_factor == solo.wallet_factor
        assert amplified.token_factor == solo.token_factor
        assert amplified.context_factor == solo.context_factor
        assert amplified.factors["context"]["tracked_wallets"] > 0
        # ... so the cluster factor alone lifts the stored score, by its weight.
        assert amplified.cluster_factor > solo.cluster_factor
        weight = default_params().scoring.weights.cluster
        lift = weight * (amplified.cluster_factor - solo.cluster_factor)
        assert amplified.score - solo.score == pytest.approx(lift, abs=1e-8)
        assert amplified.score > solo.score

        # The live buys reached the graph in one batch: BOUGHT and SYNCED_BUY edges.
        assert p.ask(CLUSTER, GetStats())["pending"] > 0
        p.ask(CLUSTER, FlushGraph())
        stats = p.ask(CLUSTER, GetStats())
        assert stats["pending"] == 0
        assert stats["flushes"] == 1
        assert stats["amplified"] == 1  # token B only: the outsiders are no cluster
        pairs = {(e.later, e.earlier) for e in graph_repository.synced_pairs_on_token(TOKEN_B)}
        assert pairs == {(MATE_2, MATE_1), (LEAD, MATE_1), (LEAD, MATE_2)}
        rows = graph_repository.client.read(
            "MATCH (w:Wallet)-[b:BOUGHT]->(t:Token) RETURN w.address AS w, t.mint AS t, b.rank AS r"
        )
        assert {(r["w"], r["t"], r["r"]) for r in rows} == {
            (OUT_1, TOKEN_A, 1),
            (OUT_2, TOKEN_A, 2),
            (LEAD, TOKEN_A, 3),
            (MATE_1, TOKEN_B, 1),
            (MATE_2, TOKEN_B, 2),
            (LEAD, TOKEN_B, 3),
        }


def test_a_cluster_rebuild_reaches_the_next_signal(pg_dsn: str) -> None:
    source = FixedClusters()
    with pipeline(pg_dsn, tracked=[LEAD, MATE_1, MATE_2], clusters=source) as p:
        for wallet in (LEAD, MATE_1, MATE_2):
            seed_wallet(p.stores, wallet)
        seed_token(p.stores, TOKEN_A)
        p.submit(swap(LEAD, TOKEN_A, at=START))
        before = p.wait_told(1)[0]
        assert before.cluster_id is None

        source.clusters = (CLUSTER_OF_THREE,)  # the rebuild job stored a new cluster
        p.ask(CLUSTER, ReloadClusters())
        assert p.ask(CLUSTER, GetStats())["clusters"] == 1
        p.submit(swap(LEAD, TOKEN_B, at=START + timedelta(seconds=1)))
        after = p.wait_told(2)[1]
        assert after.cluster_id == CLUSTER_OF_THREE.cluster_id
        assert after.result.cluster.solo is False
        assert after.result.cluster.multiplier == CLUSTER_OF_THREE.multiplier


class GraphDownOnce(NoGraph):
    """The graph refuses the first batch (a restart of the server), then takes them."""

    def __init__(self) -> None:
        super().__init__()
        self.refused = 0

    def record_buys(
        self, bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy]
    ) -> None:
        if not self.refused:
            self.refused += 1
            raise StoreUnavailableError("graph", "restarting")
        super().record_buys(bought, synced)


def test_a_batch_the_graph_refused_is_kept_and_written_next_time(pg_dsn: str) -> None:
    graph = GraphDownOnce()
    with pipeline(pg_dsn, tracked=[MATE_1, MATE_2], graph=graph) as p:
        seed_token(p.stores, TOKEN_A)
        p.submit(swap(MATE_1, TOKEN_A, at=START))
        p.drain([MATE_1])
        p.submit(swap(MATE_2, TOKEN_A, at=START + timedelta(seconds=20)))
        p.wait_told(2)
        p.ask(CLUSTER, FlushGraph())
        stats = p.ask(CLUSTER, GetStats())
        assert stats["flush_errors"] == 1
        assert stats["pending"] == 3  # two BOUGHT, one SYNCED_BUY
        assert graph.batches == []
        p.ask(CLUSTER, FlushGraph())
        assert p.ask(CLUSTER, GetStats())["pending"] == 0
        assert graph.batches == [(2, 1)]


class SignallingGraph(NoGraph):
    """Sets an event when a batch arrives (so the test waits on it, not on time)."""

    def __init__(self) -> None:
        super().__init__()
        self.written = threading.Event()

    def record_buys(
        self, bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy]
    ) -> None:
        super().record_buys(bought, synced)
        self.written.set()


def test_the_flush_timer_writes_buffered_edges_without_being_asked(pg_dsn: str) -> None:
    graph = SignallingGraph()
    with pipeline(pg_dsn, tracked=[MATE_1], graph=graph, graph_flush_every_s=0.05) as p:
        p.submit(swap(MATE_1, TOKEN_A, at=START))
        p.wait_told(1)
        assert graph.written.wait(10)
        assert graph.batches == [(1, 0)]


def test_a_buy_arriving_late_is_paired_and_ranked_by_its_time(
    pg_dsn: str, graph_repository: GraphRepository
) -> None:
    graph = GraphBuyRecorder(graph_repository)
    with pipeline(pg_dsn, tracked=[LEAD, MATE_1, MATE_2], graph=graph) as p:
        seed_token(p.stores, TOKEN_A)
        # MATE_2's buy is delivered first; MATE_1's, 30 s older, arrives after it (a
        # backfilled swap, or two wallet actors starting at once).
        p.submit(swap(MATE_2, TOKEN_A, at=START + timedelta(seconds=30)))
        p.drain([MATE_2])
        p.ask(CLUSTER, FlushGraph())  # MATE_2's edge is written with rank 1 first
        p.submit(swap(MATE_1, TOKEN_A, at=START))
        p.drain([MATE_1])
        p.submit(swap(LEAD, TOKEN_A, at=START + timedelta(seconds=60)))
        p.wait_told(3)
        p.ask(CLUSTER, FlushGraph())
        pairs = {(e.later, e.earlier) for e in graph_repository.synced_pairs_on_token(TOKEN_A)}
        assert pairs == {(MATE_2, MATE_1), (LEAD, MATE_1), (LEAD, MATE_2)}
        rows = graph_repository.client.read(
            "MATCH (w:Wallet)-[b:BOUGHT]->(t:Token) RETURN w.address AS w, b.rank AS r"
        )
        assert {(r["w"], r["r"]) for r in rows} == {(MATE_1, 1), (MATE_2, 2), (LEAD, 3)}
