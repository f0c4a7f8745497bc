"""The signal path on the tree's own store handles: what `supervisors/wiring.py` places."""

from __future__ import annotations

from datetime import timedelta

from actors.names import CLUSTER, INGRESS
from actors.pipeline_messages import FlushGraph, GetStats
from actors.runtime.store_handles import StoreHandles
from supervisors.signal_ports import signal_ports
from supervisors.signal_tree import SignalPorts
from tests.pipeline.kit import START, pipeline, seed_token, seed_wallet, swap
from walltrack.adapters.graph.records import ClusterMember, ClusterMembership, ClusterRole
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.domain.records.wallets import WalletStatus

LEAD = "Lead11111111111111111111111111111111111111"
MATE = "Mate11111111111111111111111111111111111111"
FLAGGED = "Flag11111111111111111111111111111111111111"
PROFILED = "Prof11111111111111111111111111111111111111"
MINT = "Mint1111111111111111111111111111111111111111"


def test_store_handles_feed_tracking_clusters_signals_and_the_graph(
    pg_dsn: str, graph_repository: GraphRepository
) -> None:
    graph_repository.write_cluster(
        ClusterMembership(
            cluster_id="c-stored",
            members=(
                ClusterMember(address=LEAD, role=ClusterRole.LEADER),
                ClusterMember(address=MATE, role=ClusterRole.MEMBER),
                ClusterMember(address=FLAGGED, role=ClusterRole.MEMBER),
            ),
            cohesion=1.0,
            updated_at=START,
        )
    )
    handles = StoreHandles()

    def ports(stores: PostgresStores) -> SignalPorts:
        for wallet in (LEAD, MATE):
            seed_wallet(stores, wallet)
        seed_wallet(stores, FLAGGED, status=WalletStatus.FLAGGED)
        seed_wallet(stores, PROFILED, status=WalletStatus.PROFILED)
        seed_token(stores, MINT)
        handles.connect(stores, graph_repository)
        return signal_ports(handles)

    with pipeline(pg_dsn, tracked=(), ports=ports) as p:
        assert p.ask(INGRESS, GetStats())["tracked"] == 3  # watchlisted and flagged
        p.submit(swap(MATE, MINT, at=START))
        p.submit(swap(PROFILED, MINT, at=START + timedelta(seconds=5)))
        p.drain([MATE])
        p.submit(swap(LEAD, MINT, at=START + timedelta(seconds=10)))
        told = p.wait_told(2)
        lead = next(t for t in told if t.wallet == LEAD)
        assert lead.cluster_id == "c-stored"
        assert lead.result.cluster.members_buying == 2
        assert lead.result.wallet.leader_bonus > 0  # the graph says LEAD leads
        assert p.ask(INGRESS, GetStats())["dropped_untracked"] == 1
        stored = {s.wallet_address: s for s in p.signals()}
        assert set(stored) == {LEAD, MATE}
        assert stored[LEAD].cluster_factor > stored[MATE].cluster_factor

        p.ask(CLUSTER, FlushGraph())
        pairs = {(e.later, e.earlier) for e in graph_repository.synced_pairs_on_token(MINT)}
        assert pairs == {(LEAD, MATE)}
