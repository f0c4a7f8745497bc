"""The token factor: is this token liquid, sizeable, widely held and traded, and safe?

token = 0.30 liquidity + 0.25 market cap + 0.20 holders + 0.25 volume, minus penalties,
clamped to [0, 1] (weights and levels from `TokenFactorParams`):

- liquidity: 0 at $1K, 1 at $50K, linear.
- market cap: 0 below $10K, 0.2 at $10K rising linearly to 1 at $500K.
- holders: `holder_count_share` of it from the holder count (0 at 50, 1 at 1,000), the
  rest from top-10 concentration (1 at <= 20 % of supply, 0 at >= 80 %).
- volume: 24 h volume, 0 at $1K, 1 at $100K.
- penalties: `young_token_penalty` under `young_token_minutes` of age; `authority_penalty`
  when the mint or the freeze authority is still active.

A figure nobody could fetch scores 0 for its part (unknown is not safe) and is named in
`missing`. The hard gates of `TokenParams` (liquidity below $1K or unknown, an active
freeze authority) block the trade whatever the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from walltrack.domain.params.market import TokenParams
from walltrack.domain.params.scoring import TokenFactorParams
from walltrack.domain.records.wallets import TokenRecord
from walltrack.domain.scoring.ramp import clamp01, falling_ramp, ramp


class TokenBlock(StrEnum):
    """Why a token may not be traded at all."""

    LIQUIDITY_UNKNOWN = "liquidity_unknown"
    LIQUIDITY_TOO_LOW = "liquidity_too_low"
    FREEZE_AUTHORITY_ACTIVE = "freeze_authority_active"


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenFactorInputs:
    """Market and safety figures of the token (None = could not be fetched)."""

    liquidity_usd: Decimal | None = None
    market_cap_usd: Decimal | None = None
    holder_count: int | None = None
    top10_share: float | None = None
    volume_24h_usd: Decimal | None = None
    launched_at: datetime | None = None
    mint_authority_revoked: bool | None = None
    freeze_authority_revoked: bool | None = None

    @classmethod
    def from_record(cls, token: TokenRecord) -> TokenFactorInputs:
        """The figures of a stored token."""
        return cls(
            liquidity_usd=token.liquidity_usd,
            market_cap_usd=token.market_cap_usd,
            holder_count=token.holder_count,
            top10_share=token.top10_share,
            volume_24h_usd=token.volume_24h_usd,
            launched_at=token.launched_at,
            mint_authority_revoked=token.mint_authority_revoked,
            freeze_authority_revoked=token.freeze_authority_revoked,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenFactor:
    """The token factor, every part of it, and the hard gate that blocks it if any."""

    value: float
    liquidity: float
    market_cap: float
    holders: float
    volume: float
    age_penalty: float
    authority_penalty: float
    missing: tuple[str, ...]
    block: TokenBlock | None


def market_cap_score(market_cap_usd: Decimal, params: TokenFactorParams) -> float:
    """0 below the low level, then from `market_cap_low_score` up to 1 at the full level."""
    if market_cap_usd < params.market_cap_low_usd:
        return 0.0
    low_score = params.market_cap_low_score
    rise = ramp(market_cap_usd, params.market_cap_low_usd, params.market_cap_full_usd)
    return low_score + (1.0 - low_score) * rise


def holders_score(
    holder_count: int | None, top10_share: float | None, params: TokenFactorParams
) -> float:
    """Holder count and top-10 concentration blended; an unknown part counts 0."""
    count = (
        0.0 if holder_count is None else ramp(holder_count, params.holders_low, params.holders_full)
    )
    spread = (
        0.0
        if top10_share is None
        else falling_ramp(top10_share, params.top10_share_good, params.top10_share_bad)
    )
    share = params.holder_count_share
    return share * count + (1.0 - share) * spread


def token_block(inputs: TokenFactorInputs, gates: TokenParams) -> TokenBlock | None:
    """The hard safety gate the token fails, if any."""
    if inputs.liquidity_usd is None:
        return TokenBlock.LIQUIDITY_UNKNOWN
    if inputs.liquidity_usd < gates.min_liquidity_usd:
        return TokenBlock.LIQUIDITY_TOO_LOW
    if gates.block_active_freeze_authority and inputs.freeze_authority_revoked is False:
        return TokenBlock.FREEZE_AUTHORITY_ACTIVE
    return None


def token_factor(
    inputs: TokenFactorInputs, params: TokenFactorParams, gates: TokenParams, now: datetime
) -> TokenFactor:
    """The token factor of a signal at `now`, with its breakdown."""
    missing = tuple(
        name
        for name, value in (
            ("liquidity_usd", inputs.liquidity_usd),
            ("market_cap_usd", inputs.market_cap_usd),
            ("holder_count", inputs.holder_count),
            ("top10_share", inputs.top10_share),
            ("volume_24h_usd", inputs.volume_24h_usd),
            ("launched_at", inputs.launched_at),
        )
        if value is None
    )
    liquidity = (
        0.0
        if inputs.liquidity_usd is None
        else ramp(inputs.liquidity_usd, params.liquidity_low_usd, params.liquidity_full_usd)
    )
    market_cap = (
        0.0 if inputs.market_cap_usd is None else market_cap_score(inputs.market_cap_usd, params)
    )
    holders = holders_score(inputs.holder_count, inputs.top10_share, params)
    volume = (
        0.0
        if inputs.volume_24h_usd is None
        else ramp(inputs.volume_24h_usd, params.volume_low_usd, params.volume_full_usd)
    )
    age_penalty = 0.0
    if inputs.launched_at is not None:
        age_minutes = (now - inputs.launched_at).total_seconds() / 60.0
        if age_minutes < params.young_token_minutes:
            age_penalty = params.young_token_penalty
    authority_active = (
        inputs.mint_authority_revoked is False or inputs.freeze_authority_revoked is False
    )
    authority_penalty = params.authority_penalty if authority_active else 0.0
    weighted = (
        params.liquidity_weight * liquidity
        + params.market_cap_weight * market_cap
        + params.holders_weight * holders
        + params.volume_weight * volume
    )
    return TokenFactor(
        value=clamp01(weighted - age_penalty - authority_penalty),
        liquidity=liquidity,
        market_cap=market_cap,
        holders=holders,
        volume=volume,
        age_penalty=age_penalty,
        authority_penalty=authority_penalty,
        missing=missing,
        block=token_block(inputs, gates),
    )
