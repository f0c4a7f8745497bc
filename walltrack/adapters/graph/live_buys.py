"""The cluster actor's batched graph writes: BOUGHT and SYNCED_BUY edges of live swaps.

Why an adapter over the repository: the actor speaks the domain's `FirstBuy`/`SyncedBuy`;
the repository's edge records and Cypher stay here. Both upserts are idempotent (MERGE,
earliest buy kept), so a batch retried after a failure or a restart writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from walltrack.adapters.graph.records import BoughtEdge, SyncedBuyEdge
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.domain.clustering import FirstBuy, SyncedBuy


class GraphBuyRecorder:
    """`record_buys` as two batched upserts on the graph repository."""

    def __init__(self, repository: GraphRepository) -> None:
        self._repository = repository

    def record_buys(
        self, bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy]
    ) -> None:
        """Upsert the BOUGHT edges, then the SYNCED_BUY edges between their buyers."""
        if bought:
            self._repository.upsert_bought(
                BoughtEdge(wallet=buy.wallet, mint=buy.token_mint, first_at=buy.at, rank=rank)
                for buy, rank in bought
            )
        if synced:
            self._repository.upsert_synced_buys(
                SyncedBuyEdge(
                    later=s.later, earlier=s.earlier, mint=s.token_mint, delta_s=s.delta_s
                )
                for s in synced
            )
