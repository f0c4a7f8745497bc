"""Data for the dashboard's pages: wallets, tokens, positions, alerts and a cluster.

Why written through the repositories: the pages read what the tree's own stores hold, so
the seed goes where the actors would have put it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from walltrack.adapters.graph.records import (
    ClusterMember,
    ClusterMembership,
    ClusterRole,
    FundingEdge,
)
from walltrack.adapters.graph.repository import GraphRepository
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.domain.records import (
    AlertRecord,
    AlertSeverity,
    PositionRecord,
    PositionState,
    TokenRecord,
    WalletProfile,
    WalletStatus,
)
from walltrack.domain.records.trading import ExitReason

SOL = 1_000_000_000
SMART = "SmartDash11111111111111111111111111111111111"
LEADER = "LeaderDash1111111111111111111111111111111111"
FOLLOWER = "FollowDash1111111111111111111111111111111111"
SOLO = "SoloDash111111111111111111111111111111111111"
MATE = "MateDash111111111111111111111111111111111111"
"""SOLO leads a cluster of its own with MATE: its positions (the strategy, job and latency
tests') do not count against the first cluster's limit of open positions."""
TOKEN_ROLES = ("GOOD", "OLD", "PAUSE", "CONF", "LIVE", "EXIT", "SYS")
"""The seeded tokens by symbol; their mints are tradable tokens of the simulator."""


@dataclass(frozen=True, slots=True)
class Seeded:
    """What the seed wrote, for the assertions."""

    wallets: tuple[str, ...]
    tokens: dict[str, str]  # symbol -> mint
    open_position: uuid.UUID
    cluster_id: str


def _wallet(stores: PostgresStores, address: str, now: datetime, *, score: float) -> None:
    wallets = stores.wallets
    wallets.add_discovered(address, at=now - timedelta(days=10))
    profile = WalletProfile(
        trade_count=40,
        win_rate=0.75,
        total_pnl_lamports=30 * SOL,
        timing_percentile=0.1,
        consistency=0.85,
        score=score,
    )
    wallets.save_profile(address, profile, profiled_at=now - timedelta(days=1))
    wallets.set_status(address, WalletStatus.PROFILED, at=now - timedelta(days=1))
    wallets.set_status(address, WalletStatus.WATCHLISTED, at=now - timedelta(days=1))


def _token(stores: PostgresStores, mint: str, symbol: str, now: datetime) -> None:
    stores.tokens.upsert(
        TokenRecord(
            mint=mint,
            symbol=symbol,
            discovered_at=now - timedelta(days=7),
            launched_at=now - timedelta(days=7),
            price_sol=Decimal("0.0000021"),
            liquidity_usd=Decimal(90_000),
            market_cap_usd=Decimal(450_000),
            volume_24h_usd=Decimal(150_000),
            holder_count=950,
            top10_share=0.2,
            mint_authority_revoked=True,
            freeze_authority_revoked=True,
        )
    )


def seed(stores: PostgresStores, graph: GraphRepository, mints: Sequence[str]) -> Seeded:
    """Three watchlisted wallets in a cluster, five tokens, a closed and an open position."""
    now = datetime.now(UTC)
    for address, score in (
        (SMART, 0.9),
        (LEADER, 0.85),
        (FOLLOWER, 0.8),
        (SOLO, 0.9),
        (MATE, 0.85),
    ):
        _wallet(stores, address, now, score=score)
    tokens = dict(zip(TOKEN_ROLES, mints, strict=True))
    for symbol, mint in tokens.items():
        _token(stores, mint, symbol, now)
    old = tokens["OLD"]
    closed = PositionRecord(
        position_id=uuid.uuid4(),
        wallet_address=LEADER,
        token_mint=old,
        token_decimals=6,
        state=PositionState.CLOSED,
        exit_strategy="balanced",
        entry_price_sol=Decimal("0.0000010"),
        entry_lamports=SOL,
        token_amount=10**9,
        proceeds_lamports=SOL + SOL // 2,
        realized_pnl_lamports=SOL // 2,
        opened_at=now - timedelta(hours=3),
        closed_at=now - timedelta(hours=1),
        exit_reason=ExitReason.TAKE_PROFIT,
    )
    stores.positions.insert(closed)
    opened = PositionRecord(
        position_id=uuid.uuid4(),
        wallet_address=FOLLOWER,
        token_mint=old,
        token_decimals=6,
        state=PositionState.OPEN,
        exit_strategy="balanced",
        entry_price_sol=Decimal("0.0000020"),
        entry_lamports=SOL // 2,
        token_amount=250_000_000,
        remaining_amount=250_000_000,
        opened_at=now - timedelta(minutes=30),
    )
    stores.positions.insert(opened)
    stores.alerts.raise_alert(
        AlertRecord(
            raised_at=now,
            severity=AlertSeverity.WARNING,
            source="dashboard-test",
            code="seeded",
            message="a seeded alert",
            details={},
        )
    )
    cluster_id = "cluster-dashboard-test"
    graph.upsert_wallets([SMART, LEADER, FOLLOWER])
    graph.upsert_funding(
        [
            FundingEdge(
                funded=FOLLOWER,
                funder=LEADER,
                amount_lamports=2 * SOL,
                first_at=now,
                signature="fund-1",
            ),
            FundingEdge(
                funded=SMART,
                funder=LEADER,
                amount_lamports=2 * SOL,
                first_at=now,
                signature="fund-2",
            ),
        ]
    )
    graph.write_cluster(
        ClusterMembership(
            cluster_id=cluster_id,
            members=(
                ClusterMember(address=LEADER, role=ClusterRole.LEADER),
                ClusterMember(address=FOLLOWER, role=ClusterRole.MEMBER),
                ClusterMember(address=SMART, role=ClusterRole.MEMBER),
            ),
            cohesion=0.8,
            updated_at=now,
        )
    )
    _second_cluster(graph, now)
    return Seeded(
        wallets=(SMART, LEADER, FOLLOWER),
        tokens=tokens,
        open_position=opened.position_id,
        cluster_id=cluster_id,
    )


def _second_cluster(graph: GraphRepository, now: datetime) -> None:
    graph.upsert_wallets([SOLO, MATE])
    graph.upsert_funding(
        [
            FundingEdge(
                funded=MATE,
                funder=SOLO,
                amount_lamports=2 * SOL,
                first_at=now,
                signature="fund-solo",
            )
        ]
    )
    graph.write_cluster(
        ClusterMembership(
            cluster_id="cluster-solo",
            members=(
                ClusterMember(address=SOLO, role=ClusterRole.LEADER),
                ClusterMember(address=MATE, role=ClusterRole.MEMBER),
            ),
            cohesion=0.8,
            updated_at=now,
        )
    )
