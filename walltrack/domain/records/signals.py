"""Scored signals: every wallet signal with its factor breakdown, traded or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class TradeSide(StrEnum):
    """Direction of a swap, signal or order."""

    BUY = "buy"
    SELL = "sell"


class SignalDecision(StrEnum):
    """What the scorer decided; a skip always carries its reason."""

    TRADE = "trade"
    SKIP = "skip"


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalRecord:
    """One scored signal; `factors` holds the full breakdown for later accuracy analysis."""

    signal_id: UUID
    correlation_id: UUID
    wallet_address: str
    token_mint: str
    side: TradeSide
    tx_signature: str | None = None
    amount_lamports: int | None = None
    observed_at: datetime
    scored_at: datetime
    score: float
    wallet_factor: float
    cluster_factor: float
    token_factor: float
    context_factor: float
    factors: dict[str, Any]
    decision: SignalDecision
    skip_reason: str | None = None
    high_conviction: bool = False
    created_at: datetime | None = None
