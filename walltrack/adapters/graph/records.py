"""What goes into and comes out of the wallet graph, as frozen values.

Why: callers (the cluster actor, the scorer, the dashboard) must not see driver records,
element ids or the way time is stored. Everything crossing the repository boundary is one
of these types.

Time is stored in the graph as integer epoch milliseconds (UTC). ArcadeDB keeps a
datetime parameter but hands it back without its zone, Neo4j keeps the zone: an integer is
the only encoding that compares, sorts and round-trips the same on both servers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


def to_epoch_ms(moment: datetime) -> int:
    """`moment` as integer milliseconds since the epoch; refuses naive datetimes."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
    return round(moment.timestamp() * 1000)


def from_epoch_ms(value: int) -> datetime:
    """The UTC datetime stored as `value` epoch milliseconds."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)


class ClusterRole(StrEnum):
    """The role a wallet plays in its cluster (the MEMBER_OF `role` property)."""

    LEADER = "leader"
    MEMBER = "member"


class RelationshipType(StrEnum):
    """Relationship types between wallets that connected groups can be computed over."""

    FUNDED_BY = "FUNDED_BY"
    SYNCED_BUY = "SYNCED_BUY"


@dataclass(frozen=True, slots=True, kw_only=True)
class FundingEdge:
    """`funded` received at least the funding threshold in SOL from `funder`.

    One edge per (funded, funder) pair: it keeps the earliest qualifying transfer, so an
    upsert is idempotent and a later, smaller top-up never hides the first one.
    """

    funded: str
    funder: str
    amount_lamports: int
    first_at: datetime
    signature: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncedBuyEdge:
    """`later` bought the token `mint` within the sync window after `earlier` did.

    Stored as SYNCED_BUY {token: mint, delta_s, count}, one edge per (later, earlier,
    mint); `count` is how many synced buys of that token
    the caller observed for the pair, `delta_s` the gap in seconds of the closest one.
    """

    later: str
    earlier: str
    mint: str
    delta_s: float
    count: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class BoughtEdge:
    """`wallet` first bought `mint` at `first_at`; `rank` 0 is the token's first buyer."""

    wallet: str
    mint: str
    first_at: datetime
    rank: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FundingLink:
    """One FUNDED_BY edge met while walking up a wallet's funding chain.

    `depth` is 1 for the wallet's direct funders, 2 for their funders, and so on.
    """

    funded: str
    funder: str
    amount_lamports: int
    first_at: datetime
    signature: str
    depth: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CommonFunder:
    """A wallet that funded several wallets of the set asked about."""

    funder: str
    funded: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncedPartner:
    """A wallet that bought in sync with the wallet asked about.

    `count` sums the synced buys over every token, `tokens` counts the distinct tokens,
    `led` is how many of those synced buys the asked wallet made first (it was followed).
    """

    address: str
    count: int
    tokens: int
    led: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletGroup:
    """A connected group of wallets and the undirected edges that connect them.

    `edges` holds each connected pair once, as a (smaller, larger) address tuple, so the
    domain can count connections per wallet and the cohesion of the group.
    """

    members: frozenset[str]
    edges: frozenset[tuple[str, str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterMember:
    """A wallet in a cluster with its role."""

    address: str
    role: ClusterRole


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterMembership:
    """A cluster as the cluster logic decided it: what `write_cluster` stores."""

    cluster_id: str
    members: tuple[ClusterMember, ...]
    cohesion: float
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphNode:
    """A node for the dashboard: its label and its business key (address, mint or id)."""

    label: str
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphEdge:
    """A relationship for the dashboard, by the business keys of its ends."""

    type: str
    source: str
    target: str
    properties: tuple[tuple[str, str | int | float | bool], ...] = field(default=())


@dataclass(frozen=True, slots=True, kw_only=True)
class Subgraph:
    """The neighbourhood of a wallet, bounded, ready to draw."""

    center: str
    nodes: frozenset[GraphNode]
    edges: frozenset[GraphEdge]
    truncated: bool
