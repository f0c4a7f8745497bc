"""Wallet discovery on the simulator: a token's history read backward to its launch, its
early profitable buyers judged in SOL and stored with where and how they were found."""

from __future__ import annotations

from datetime import timedelta

from tests.intel.kit import World, intel_world, still
from walltrack.adapters.intel.token_history import scan_token
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.discovery import EXCLUDED_ACCOUNTS
from walltrack.domain.records.wallets import WalletStatus
from walltrack.sim.events import SwapEvent

WINDOW = timedelta(minutes=30)


def busy_token(world: World) -> tuple[str, list[SwapEvent]]:
    """The token with the most transactions after its first 30 minutes, and its swaps."""
    market = world.sim.world.market
    best: tuple[int, str, list[SwapEvent]] = (0, "", [])
    for token in market.token_list:
        events = [market.event(seq) for seq in market.events_for(token.mint)]
        swaps = [e for e in events if type(e) is SwapEvent and e.mint == token.mint]
        later = sum(1 for e in events if e.t > token.launch_t + WINDOW.total_seconds())
        if later > best[0]:
            best = (later, token.mint, swaps)
    assert best[0] > 1000, "the world must hold a token with > 1,000 newer transactions"
    return best[1], best[2]


async def test_backward_paging_reaches_the_launch_window_buyers(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=3000.0)) as world:
        mint, swaps = busy_token(world)
        token = world.sim.world.market.tokens[mint]
        launched = world.sim.world.datetime_at(token.launch_t)
        early = {e.wallet for e in swaps if e.is_buy and e.t <= token.launch_t + 1800}
        scan = await scan_token(world.helius, mint)
        assert scan.reached_launch
        assert scan.launched_at == launched.replace(microsecond=0) or (
            abs((scan.launched_at - launched).total_seconds()) < 1  # type: ignore[operator]
        )
        assert scan.pages > 10
        assert early <= set(scan.first_buys())
        newest_only = await world.helius.transactions_for_address(mint, limit=100)
        oldest_seen = min(tx["timestamp"] for tx in newest_only)
        assert oldest_seen > (launched + WINDOW).timestamp()  # one page never gets there
        result = await world.jobs.wallets.discover_token(mint)
        judged = {c.wallet for c in result.candidates}
        assert early - EXCLUDED_ACCOUNTS <= judged
        assert result.accepted
        for candidate in result.accepted:
            assert candidate.seconds_after_launch <= 1800
            assert candidate.sold_fraction >= 0.9
            assert candidate.profit_ratio >= 0.5


async def test_candidates_stored_with_where_and_how_found(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=2400.0)) as world:
        await world.jobs.tokens.discover()
        mint = world.truth()["tokens"][0]["mint"]  # the oldest token: launched and over
        summary = await world.jobs.wallets.discover([mint])
        assert summary.tokens == 1
        assert summary.accepted == len(summary.found) > 0
        wallets = WalletRepository(world.db)
        store = world.jobs.store
        for address in summary.found:
            record = wallets.get(address)
            assert record is not None
            assert record.status is WalletStatus.DISCOVERED
            assert record.discovered_from_token == mint
            intel = store.intel_of(address)
            assert intel is not None
            assert intel.discovery_method == "early_profitable_buyer"
            (row,) = store.discoveries_of(address)
            assert row["token_mint"] == mint
            assert row["accepted"] is True
            assert row["failed"] == []
            assert row["seconds_after_launch"] <= 1800
            assert row["profit_ratio"] >= 0.5
        scan = store.scan_of(mint)
        assert scan is not None
        assert scan["reached_launch"] is True
        assert int(str(scan["buyers"])) >= summary.accepted
        rejected = world.db.read(
            lambda c: c.execute(
                "SELECT failed FROM wallet_discoveries WHERE accepted = false"
            ).fetchall()
        )
        assert rejected
        assert all(set(r["failed"]) <= {"late", "kept_tokens", "low_profit"} and r["failed"]
                   for r in rejected)  # fmt: skip
        assert not EXCLUDED_ACCOUNTS & set(summary.found)
        pending = world.jobs.wallets.pending_tokens()  # the schedule: tokens never scanned
        assert mint not in pending
        assert pending
        again = await world.jobs.wallets.discover()
        assert again.tokens == len(pending)
        assert world.jobs.store.scanned(pending) == set(pending)
