"""Wallet and token rows: the lifecycle of a tracked wallet and its profile metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from walltrack.errors import IllegalTransitionError


class WalletStatus(StrEnum):
    """discovered -> profiled -> watchlisted | ignored -> flagged -> removed; blacklisted."""

    DISCOVERED = "discovered"
    PROFILED = "profiled"
    WATCHLISTED = "watchlisted"
    IGNORED = "ignored"
    FLAGGED = "flagged"
    REMOVED = "removed"
    BLACKLISTED = "blacklisted"


_S = WalletStatus
WALLET_TRANSITIONS: dict[WalletStatus, frozenset[WalletStatus]] = {
    _S.DISCOVERED: frozenset({_S.PROFILED, _S.BLACKLISTED}),
    _S.PROFILED: frozenset({_S.WATCHLISTED, _S.IGNORED, _S.BLACKLISTED}),
    _S.WATCHLISTED: frozenset({_S.FLAGGED, _S.PROFILED, _S.BLACKLISTED}),
    _S.IGNORED: frozenset({_S.PROFILED, _S.BLACKLISTED}),
    _S.FLAGGED: frozenset({_S.WATCHLISTED, _S.REMOVED, _S.BLACKLISTED}),
    _S.REMOVED: frozenset({_S.PROFILED, _S.BLACKLISTED}),
    _S.BLACKLISTED: frozenset(),
}
"""Allowed moves; blacklisted is permanent, re-profiling is how a wallet comes back."""


def check_wallet_transition(address: str, current: WalletStatus, new: WalletStatus) -> None:
    """Raise IllegalTransitionError unless `current -> new` is an allowed lifecycle move."""
    if new != current and new not in WALLET_TRANSITIONS[current]:
        raise IllegalTransitionError(f"wallet {address}", current.value, new.value)


class Confidence(StrEnum):
    """How much history a profile rests on (high >= 20 trades, medium >= 5, low > 0)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INSUFFICIENT = "insufficient"


class BuySize(StrEnum):
    """Average buy size class: small <= 1 SOL, medium <= 5 SOL, large above."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class DecayStatus(StrEnum):
    """Decay verdict on a watched wallet's recent trades."""

    OK = "ok"
    FLAGGED = "flagged"
    DOWNGRADED = "downgraded"
    RECOVERED = "recovered"
    DORMANT = "dormant"


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletProfile:
    """Metrics computed from a wallet's swap history; PnL in lamports (SOL, never tokens)."""

    trade_count: int = 0
    win_rate: float = 0.0
    total_pnl_lamports: int = 0
    avg_pnl_lamports: int = 0
    timing_percentile: float | None = None
    avg_hold_seconds: float | None = None
    consistency: float | None = None
    preferred_hours: tuple[int, ...] = ()
    avg_buy_lamports: int = 0
    buy_size: BuySize | None = None
    confidence: Confidence = Confidence.INSUFFICIENT
    copy_pnl_lamports: int | None = None
    is_flash_flipper: bool = False
    is_bot: bool = False
    score: float = 0.3
    decay_status: DecayStatus = DecayStatus.OK
    decay_score: float = 0.0
    consecutive_losses: int = 0
    metrics: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletRecord:
    """A wallet WallTrack knows about, with its lifecycle status and latest profile."""

    address: str
    status: WalletStatus
    status_reason: str | None
    status_changed_at: datetime
    discovered_at: datetime
    discovered_from_token: str | None
    profile: WalletProfile
    profiled_at: datetime | None
    last_activity_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRecord:
    """A token under surveillance: market data, computed safety and refresh schedule."""

    mint: str
    symbol: str | None = None
    name: str | None = None
    decimals: int = 6
    source: str = "manual"
    launched_at: datetime | None = None
    discovered_at: datetime
    price_usd: Decimal | None = None
    price_sol: Decimal | None = None
    liquidity_usd: Decimal | None = None
    market_cap_usd: Decimal | None = None
    volume_24h_usd: Decimal | None = None
    holder_count: int | None = None
    top10_share: float | None = None
    pair_count: int | None = None
    mint_authority_revoked: bool | None = None
    freeze_authority_revoked: bool | None = None
    safety_checked_at: datetime | None = None
    refresh_hours: int = 4
    next_refresh_at: datetime | None = None
    extra: dict[str, Any] | None = None
    updated_at: datetime | None = None
