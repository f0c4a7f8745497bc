"""Token safety computed for real: mint and freeze authority, top-10 holders, liquidity, age.

Why computed: the original project left token safety as a fixed placeholder. The mint
account (RPC getAccountInfo, jsonParsed) says whether new tokens can be minted or holders
frozen; getTokenLargestAccounts over the supply gives the top-10 share, leaving out the
token accounts of its pools (their owner is a pair address or a swap program), which are
liquidity, not holders; DexScreener pairs give liquidity, pair count and age. Every failed
check keeps its reason; the hard gates (an active freeze authority, liquidity under the
minimum) say the token blocks a trade.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from walltrack.adapters.intel.venues import MintReader
from walltrack.domain.discovery import EXCLUDED_ACCOUNTS
from walltrack.domain.params.market import TokenParams
from walltrack.domain.venues import MintInfo, TokenHolder, TokenPair

HOLDERS_INSPECTED = 14
"""Largest accounts whose owner is read: ten holders plus the few pool vaults among them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyFacts:
    """What was read about a token (None: could not be read)."""

    mint_authority: str | None = None
    freeze_authority: str | None = None
    mint_known: bool = False
    supply: int | None = None
    top10_share: float | None = None
    holders_excluded: int = 0
    liquidity_usd: Decimal | None = None
    pair_count: int = 0
    launched_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyReport:
    """Each failed check by name with its reason, and whether a trade is blocked."""

    failed: dict[str, str] = field(default_factory=dict)
    blocks_trade: bool = False

    def as_json(self, checked_at: datetime) -> dict[str, Any]:
        """The `safety` entry of the token's `extra` column."""
        return {
            "checked_at": checked_at.isoformat(),
            "failed": sorted(self.failed),
            "reasons": dict(sorted(self.failed.items())),
            "blocks_trade": self.blocks_trade,
        }


def judge_safety(facts: SafetyFacts, params: TokenParams, now: datetime) -> SafetyReport:
    """Every check against the facts; an unknown fact fails its check (unknown is unsafe)."""
    failed: dict[str, str] = {}
    if not facts.mint_known:
        failed["mint_account"] = "mint account could not be read"
    elif facts.mint_authority is not None:
        failed["mint_authority"] = f"mint authority active ({facts.mint_authority})"
    if facts.mint_known and facts.freeze_authority is not None:
        failed["freeze_authority"] = f"freeze authority active ({facts.freeze_authority})"
    if facts.top10_share is None:
        failed["top10_share"] = "largest holders unknown"
    elif facts.top10_share > params.max_top10_share:
        failed["top10_share"] = (
            f"top 10 holders own {facts.top10_share:.0%} > {params.max_top10_share:.0%}"
        )
    if facts.pair_count == 0:
        failed["pairs"] = "no trading pair"
    if facts.liquidity_usd is None:
        failed["liquidity"] = "liquidity unknown"
    elif facts.liquidity_usd < params.min_liquidity_usd:
        failed["liquidity"] = f"liquidity ${facts.liquidity_usd:,.0f} < ${params.min_liquidity_usd}"
    if facts.launched_at is None:
        failed["age"] = "launch time unknown"
    elif (age := (now - facts.launched_at).total_seconds()) < params.min_age_s:
        failed["age"] = f"{age:.0f} s old < {params.min_age_s} s"
    gates = {"liquidity"}
    if params.block_active_freeze_authority:
        gates |= {"freeze_authority", "mint_account"}
    return SafetyReport(failed=failed, blocks_trade=bool(gates & failed.keys()))


def pair_figures(mint: str, pairs: Sequence[TokenPair]) -> tuple[Decimal | None, datetime | None]:
    """Liquidity summed over the token's own pairs, and the earliest pair creation."""
    mine = [p for p in pairs if p.base_token.address == mint]
    liquidity = [p.liquidity_usd for p in mine if p.liquidity_usd is not None]
    created = [p.created_at for p in mine if p.created_at is not None]
    return (sum(liquidity, Decimal(0)) if liquidity else None, min(created) if created else None)


def top10_share(
    supply: int, holders: Sequence[TokenHolder], owners: dict[str, str | None], pools: set[str]
) -> tuple[float | None, int]:
    """Share of the supply in the ten largest non-pool accounts, and how many were left out.

    An account whose owner is a pair address or a program is a pool vault; one whose
    owner cannot be read is left out too (counted) rather than guessed.
    """
    if supply <= 0:
        return None, 0
    kept: list[int] = []
    excluded = 0
    for holder in holders:
        owner = owners.get(holder.address)
        if owner is None or owner in pools or owner in EXCLUDED_ACCOUNTS:
            excluded += 1
            continue
        kept.append(holder.amount)
        if len(kept) == 10:
            break
    return min(1.0, sum(kept) / supply), excluded


async def read_safety(rpc: MintReader, mint: str, pairs: Sequence[TokenPair]) -> SafetyFacts:
    """Read the mint, its largest holders and their owners; pairs give liquidity and age."""
    liquidity, launched = pair_figures(mint, pairs)
    account = await rpc.get_account_info(mint)
    info: MintInfo | None = account.mint if account is not None else None
    share: float | None = None
    excluded = 0
    if info is not None:
        holders = (await rpc.get_token_largest_accounts(mint))[:HOLDERS_INSPECTED]
        accounts = await asyncio.gather(*(rpc.get_account_info(h.address) for h in holders))
        owners: dict[str, str | None] = {
            holder.address: held.token_account.owner
            if held is not None and held.token_account is not None
            else None
            for holder, held in zip(holders, accounts, strict=True)
        }
        pools = {p.pair_address for p in pairs}
        share, excluded = top10_share(info.supply, holders, owners, pools)
    return SafetyFacts(
        mint_authority=info.mint_authority if info is not None else None,
        freeze_authority=info.freeze_authority if info is not None else None,
        mint_known=info is not None,
        supply=info.supply if info is not None else None,
        top10_share=share,
        holders_excluded=excluded,
        liquidity_usd=liquidity,
        pair_count=sum(1 for p in pairs if p.base_token.address == mint),
        launched_at=launched,
    )
