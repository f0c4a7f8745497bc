"""Token discovery on the simulator: DexScreener feeds (Solana only), pairs, safety computed
from the mint account and the largest holders, cached, refreshed on schedule, manual add."""

from __future__ import annotations

from tests.intel.kit import intel_world, still
from walltrack.adapters.postgres.repositories.tokens import TokenRepository
from walltrack.domain.messages.intel import IntelJobProgressed

FOUR_HOURS_S = 4 * 3600.0


async def test_feeds_become_tokens_with_computed_safety(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=1800.0)) as world:
        summary = await world.jobs.tokens.discover()
        repo = TokenRepository(world.db)
        stored = repo.recent(limit=500)
        truth = {t["mint"]: t for t in world.truth()["tokens"]}
        assert summary.stored == len(stored) > 5
        assert all(t.mint in truth for t in stored)  # the other chains' decoys are dropped
        frozen = [t for t in stored if truth[t.mint]["freeze_authority"]]
        clean = [t for t in stored if not truth[t.mint]["freeze_authority"]]
        assert frozen
        assert clean
        for token in stored:
            safety = (token.extra or {})["safety"]
            assert token.mint_authority_revoked is True
            assert token.freeze_authority_revoked is (token not in frozen)
            assert ("freeze_authority" in safety["failed"]) is (token in frozen)
            assert safety["reasons"].keys() == set(safety["failed"])
            assert token.top10_share is not None
            assert 0 < token.top10_share < 1  # the curve or pool vault is not a holder
            assert (token.pair_count or 0) >= 1
            assert token.launched_at is not None
            assert token.safety_checked_at == world.now()
            assert token.extra is not None
            assert token.extra["sources"]
            blocked = {"freeze_authority", "liquidity"} & set(safety["failed"])
            assert safety["blocks_trade"] is bool(blocked)
        curve_only = [t for t in stored if t.liquidity_usd is None]
        assert all("liquidity unknown" in t.extra["safety"]["reasons"]["liquidity"]  # type: ignore[index]
                   for t in curve_only)  # fmt: skip
        done = [e for e in world.of_type(IntelJobProgressed) if e.finished]
        assert done[-1].job == "tokens"
        assert dict(done[-1].summary)["stored"] == len(stored)


async def test_manual_add_cache_and_scheduled_refresh(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=1800.0)) as world:
        await world.jobs.tokens.discover()
        repo = TokenRepository(world.db)
        known = {t.mint for t in repo.recent(limit=500)}
        unseen = next(t["mint"] for t in world.truth()["tokens"] if t["mint"] not in known)
        added = await world.jobs.tokens.add(unseen)
        assert added.source == "manual"
        assert added.extra is not None
        assert added.extra["sources"] == ["manual"]
        checked_at = added.safety_checked_at
        world.offset_s = 600.0
        await world.jobs.tokens.discover()  # within the 4 h period: the verdicts are cached
        first = repo.get(unseen)
        assert first is not None
        assert first.safety_checked_at == checked_at
        assert repo.due_for_refresh(world.now()) == []
        world.offset_s = FOUR_HOURS_S + 1.0
        due = {t.mint for t in repo.due_for_refresh(world.now())}
        assert unseen in due
        summary = await world.jobs.tokens.refresh_due()
        assert summary.stored == len(due)
        refreshed = repo.get(unseen)
        assert refreshed is not None
        assert refreshed.safety_checked_at == world.now()
        assert refreshed.next_refresh_at is not None
        assert (refreshed.next_refresh_at - world.now()).total_seconds() == FOUR_HOURS_S
        assert refreshed.source == "manual"
