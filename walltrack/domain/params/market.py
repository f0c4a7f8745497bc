"""Token surveillance and wallet discovery parameters (domain-rules.md: Tokens, Discovery)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from walltrack.domain.params.parsing import bounds


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenParams:
    """How often tokens are refreshed and the hard safety gates that block a trade."""

    surveillance_refresh_hours: int = field(default=4, metadata=bounds(choices=(1, 2, 4, 8)))
    min_liquidity_usd: Decimal = field(default=Decimal(1000), metadata=bounds(ge=0))
    block_active_freeze_authority: bool = True
    # token discovery job: DexScreener profiles and boosts polled this often
    discovery_every_minutes: int = field(default=15, metadata=bounds(ge=1))
    # safety checks reported as failed (they inform; only the two gates above block)
    max_top10_share: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    min_age_s: int = field(default=300, metadata=bounds(ge=0))


@dataclass(frozen=True, slots=True, kw_only=True)
class DiscoveryParams:
    """Which early buyers of a token count as profitable wallets worth profiling."""

    early_buyer_window_s: int = field(default=1800, metadata=bounds(gt=0))
    min_sold_fraction: float = field(default=0.90, metadata=bounds(ge=0, le=1))
    min_profit_ratio: float = field(default=0.50, metadata=bounds(ge=0))
    # wallet discovery job: how often, and how many not-yet-scanned tokens per run
    every_minutes: int = field(default=60, metadata=bounds(ge=1))
    tokens_per_run: int = field(default=20, metadata=bounds(ge=1))
