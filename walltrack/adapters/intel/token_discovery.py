"""Token discovery and surveillance: DexScreener profiles and boosts, manual adds, refresh.

Why one job: a token is seen (profiles, latest and top boosts, Solana only) or added by
hand, then kept fresh every `surveillance_refresh_hours`; each sighting or refresh reads its
pairs and computes its safety, so the tokens table always says how safe a token is, why,
and since when. Safety is cached: a token checked less than a refresh period ago keeps
its verdict unless `force`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from walltrack.adapters.intel.safety import judge_safety, pair_figures, read_safety
from walltrack.adapters.intel.venues import MintReader, Progress, Publish, TokenFeeds, no_publish
from walltrack.adapters.postgres.repositories.tokens import TokenRepository
from walltrack.domain.params.market import TokenParams
from walltrack.domain.records.wallets import TokenRecord
from walltrack.domain.venues import SOL_MINT, TokenPair
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger
from walltrack.ports import PriceSource

_log = get_logger("token_discovery")

FEEDS = ("profiles", "boosts_latest", "boosts_top")


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRunSummary:
    """What one run saw and stored."""

    seen: int = 0
    stored: int = 0
    new: int = 0
    unsafe: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        """Counters for the progress event."""
        return {
            "seen": self.seen,
            "stored": self.stored,
            "new": self.new,
            "unsafe": self.unsafe,
            "failed": self.failed,
        }


class TokenDiscovery:
    """`discover()` from the feeds, `add(mint)` by hand, `refresh_due()` on schedule."""

    def __init__(
        self,
        *,
        feeds: TokenFeeds,
        rpc: MintReader,
        tokens: TokenRepository,
        params: Callable[[], TokenParams],
        now: Callable[[], datetime],
        prices: PriceSource | None = None,
        publish: Publish = no_publish,
    ) -> None:
        self._feeds = feeds
        self._rpc = rpc
        self._tokens = tokens
        self._params = params
        self._now = now
        self._prices = prices
        self._publish = publish

    async def discover(self) -> TokenRunSummary:
        """Read the three feeds, store every new or due token with fresh safety."""
        progress = Progress("tokens", self._publish, self._now)
        progress.report("reading DexScreener feeds")
        sources: dict[str, list[str]] = {}
        for name, read in zip(
            FEEDS,
            (self._feeds.latest_token_profiles, self._feeds.latest_boosts, self._feeds.top_boosts),
            strict=True,
        ):
            try:
                found = await read()
            except UpstreamError as error:
                _log.warning("token_feed_unavailable", feed=name, error=type(error).__name__)
                continue
            for item in found:
                if item.chain_id == "solana":
                    sources.setdefault(item.token_address, []).append(name)
        summary = await self._store_all(sources, progress, force=False)
        progress.finish(summary.as_dict())
        return summary

    async def add(self, mint: str) -> TokenRecord:
        """A token added by hand: stored (or refreshed) with its safety checked now."""
        progress = Progress("tokens", self._publish, self._now)
        record = await self._store(mint, ["manual"], force=True)
        progress.finish({"stored": 1, "new": 1})
        return record

    async def refresh_due(self, limit: int = 100) -> TokenRunSummary:
        """Refresh the tokens whose surveillance period has passed."""
        progress = Progress("tokens", self._publish, self._now)
        due = self._tokens.due_for_refresh(self._now(), limit=limit)
        summary = await self._store_all({t.mint: [] for t in due}, progress, force=True)
        progress.finish(summary.as_dict())
        return summary

    async def _store_all(
        self, sources: dict[str, list[str]], progress: Progress, *, force: bool
    ) -> TokenRunSummary:
        summary = TokenRunSummary(seen=len(sources))
        for index, (mint, feeds) in enumerate(sources.items()):
            progress.report(f"checking {mint}", done=index, total=len(sources))
            known = self._tokens.get(mint) is not None
            try:
                record = await self._store(mint, feeds, force=force)
            except UpstreamError as error:
                _log.warning("token_check_failed", mint=mint, error=type(error).__name__)
                summary = replace(summary, failed=summary.failed + 1)
                continue
            unsafe = bool((record.extra or {}).get("safety", {}).get("blocks_trade"))
            summary = replace(
                summary,
                stored=summary.stored + 1,
                new=summary.new + (not known),
                unsafe=summary.unsafe + unsafe,
            )
        return summary

    async def _store(self, mint: str, feeds: Sequence[str], *, force: bool) -> TokenRecord:
        now = self._now()
        params = self._params()
        stored = self._tokens.get(mint)
        fresh_until = (
            stored.safety_checked_at + timedelta(hours=params.surveillance_refresh_hours)
            if stored is not None and stored.safety_checked_at is not None
            else None
        )
        if stored is not None and not force and fresh_until is not None and now < fresh_until:
            return stored  # cached: checked within the surveillance period
        pairs = await self._feeds.pairs_for_token(mint)
        facts = await read_safety(self._rpc, mint, pairs)
        if facts.liquidity_usd is None and self._prices is not None and pairs:
            quote = await self._prices.price(mint)
            if quote is not None and quote.liquidity_usd is not None:
                facts = replace(facts, liquidity_usd=quote.liquidity_usd)
        report = judge_safety(facts, params, now)
        extra: dict[str, Any] = dict(stored.extra or {}) if stored is not None else {}
        extra["safety"] = report.as_json(now) | {"holders_excluded": facts.holders_excluded}
        extra["sources"] = sorted({*extra.get("sources", []), *feeds})
        extra["pair_addresses"] = sorted({p.pair_address for p in pairs})
        source = "manual" if "manual" in feeds else "dexscreener"
        record = _record(mint, pairs, stored, now, params, extra, source)
        record = replace(
            record,
            liquidity_usd=facts.liquidity_usd,
            top10_share=facts.top10_share,
            mint_authority_revoked=None if not facts.mint_known else facts.mint_authority is None,
            freeze_authority_revoked=(
                None if not facts.mint_known else facts.freeze_authority is None
            ),
            safety_checked_at=now,
        )
        return self._tokens.upsert(record)


def _record(  # noqa: PLR0917 - one private builder, called once
    mint: str,
    pairs: Sequence[TokenPair],
    stored: TokenRecord | None,
    now: datetime,
    params: TokenParams,
    extra: dict[str, Any],
    source: str,
) -> TokenRecord:
    mine = [p for p in pairs if p.base_token.address == mint]
    best = max(mine, key=lambda p: (p.liquidity_usd or 0, p.volume_h24_usd or 0), default=None)
    _, launched = pair_figures(mint, pairs)
    volume = [p.volume_h24_usd for p in mine if p.volume_h24_usd is not None]
    caps = [c for p in mine if (c := p.market_cap_usd or p.fdv_usd) is not None]
    hours = params.surveillance_refresh_hours
    return TokenRecord(
        mint=mint,
        symbol=best.base_token.symbol if best is not None else _kept(stored, "symbol"),
        name=best.base_token.name if best is not None else _kept(stored, "name"),
        decimals=stored.decimals if stored is not None else 6,
        source=stored.source if stored is not None else source,
        launched_at=launched or (stored.launched_at if stored is not None else None),
        discovered_at=stored.discovered_at if stored is not None else now,
        price_usd=best.price_usd if best is not None else None,
        price_sol=best.price_native
        if best is not None and best.quote_token.address == SOL_MINT
        else None,
        market_cap_usd=max(caps) if caps else None,
        volume_24h_usd=sum(volume, Decimal(0)) if volume else None,
        pair_count=len(mine),
        refresh_hours=hours,
        next_refresh_at=now + timedelta(hours=hours),
        extra=extra,
    )


def _kept(stored: TokenRecord | None, name: str) -> str | None:
    value = getattr(stored, name, None) if stored is not None else None
    return value if isinstance(value, str) else None
