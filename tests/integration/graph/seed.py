"""A small wallet graph whose answers are known by construction.

Funding (arrow = FUNDED_BY, funded -> funder):
    A->B, A->F, B->C, F->C, C->D, D->E          chain of A: depth 1 B,F; 2 C; 3 D; (E at 4)
    X1->H, X2->H, X3->H, X1->G, X2->G, Y->G     H funds X1..X3, G funds X1, X2, Y
    P1->P2                                      a pair: below any group minimum
Synced buys (later -> earlier, token, count):
    S1->S2 T1 1, S1->S2 T2 1, S3->S1 T1 2, S4->S1 T3 1
Bought: S2 bought M1 first (rank 0), S1 second (rank 1).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from walltrack.adapters.graph import (
    BoughtEdge,
    FundingEdge,
    GraphRepository,
    SyncedBuyEdge,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SOL = 1_000_000_000

FUNDING = (
    ("A", "B"),
    ("A", "F"),
    ("B", "C"),
    ("F", "C"),
    ("C", "D"),
    ("D", "E"),
    ("X1", "H"),
    ("X2", "H"),
    ("X3", "H"),
    ("X1", "G"),
    ("X2", "G"),
    ("Y", "G"),
    ("P1", "P2"),
)
SYNCED = (
    ("S1", "S2", "T1", 1),
    ("S1", "S2", "T2", 1),
    ("S3", "S1", "T1", 2),
    ("S4", "S1", "T3", 1),
)


def funding_edge(funded: str, funder: str, index: int = 0) -> FundingEdge:
    """The seeded funding edge of a pair: amount and time derived from its index."""
    return FundingEdge(
        funded=funded,
        funder=funder,
        amount_lamports=(index + 1) * SOL // 10 * 3,
        first_at=T0 + timedelta(minutes=index),
        signature=f"sig-{funded}-{funder}",
    )


def seed(repository: GraphRepository) -> None:
    """Write the graph described in the module docstring."""
    repository.upsert_funding(funding_edge(a, b, i) for i, (a, b) in enumerate(FUNDING))
    repository.upsert_synced_buys(
        SyncedBuyEdge(later=a, earlier=b, mint=t, delta_s=12.5, count=c) for a, b, t, c in SYNCED
    )
    repository.upsert_bought(
        [
            BoughtEdge(wallet="S2", mint="M1", first_at=T0, rank=0),
            BoughtEdge(wallet="S1", mint="M1", first_at=T0 + timedelta(seconds=9), rank=1),
        ]
    )
