"""Ports of the signal path (ingress -> wallet -> scorer, cluster): what its actors need.

Why a module of its own: `walltrack/ports.py` holds the venue and store protocols shared
by everything; these are the narrow views the signal-path actors take of the stores, so a
test can hand them a real repository and the wiring can hand them the mode's one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from walltrack.domain.clustering import Cluster, FirstBuy, SyncedBuy
from walltrack.domain.records.signals import SignalRecord
from walltrack.domain.records.wallets import WalletRecord
from walltrack.domain.scoring.token_factor import TokenFactorInputs
from walltrack.domain.swap_types import Swap


class WalletDirectory(Protocol):
    """The wallets table as a wallet actor sees it (the PostgreSQL WalletRepository fits)."""

    def get(self, address: str) -> WalletRecord | None:
        """The wallet's row, or None when WallTrack does not know it."""
        ...

    def set_score(self, address: str, score: float) -> WalletRecord:
        """Store the wallet's maintained score (after trade feedback)."""
        ...


class SignalSink(Protocol):
    """Where every scored signal is stored (the SignalRepository fits: idempotent by id)."""

    def insert_many(self, signals: Sequence[SignalRecord]) -> None:
        """Store `signals` in one transaction; a signal id already stored is a no-op."""
        ...


class TokenFacts(Protocol):
    """Market and safety figures of a token for the token factor.

    Called from the scorer's thread: an implementation must answer within a bounded time
    (a store read, or a venue call with a short timeout) and return what it has.
    """

    def facts(self, mint: str) -> TokenFactorInputs | None:
        """The figures known for `mint`, or None when nothing could be found in time."""
        ...


class BuyGraph(Protocol):
    """The graph edges live swaps create (the graph repository behind an adapter)."""

    def record_buys(
        self, bought: Sequence[tuple[FirstBuy, int]], synced: Sequence[SyncedBuy]
    ) -> None:
        """Upsert BOUGHT edges (first buy, buyer rank) and SYNCED_BUY edges in batches."""
        ...


class ClusterSource(Protocol):
    """The clusters last computed from the graph (by the rebuild job or at start-up)."""

    def load_clusters(self) -> tuple[Cluster, ...]:
        """Every known cluster with members, leader and multiplier."""
        ...


class RecentSwaps(Protocol):
    """Swaps of tracked wallets recovered from the chain (the backfill's source)."""

    async def recover(self, wallets: Sequence[str]) -> Sequence[Swap]:
        """Swaps of `wallets` made since the previous call (the first call sets a baseline)."""
        ...

    def progress(self) -> dict[str, str]:
        """The newest signature seen per wallet (what the backfill actor snapshots)."""
        ...

    def resume(self, progress: Mapping[str, str]) -> None:
        """Continue after the signatures of `progress` (after a restart)."""
        ...
