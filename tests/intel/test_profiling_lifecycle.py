"""Profiling and the watchlist lifecycle on the simulator with real PostgreSQL: discovered
wallets against the world's smart wallets, every lifecycle move with its event, manual add,
pin and blacklist, and the Helius webhook's address list following the watchlist."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from tests.intel.kit import HOOK_URL, World, intel_world, still
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.messages.wallets import WalletStatusChanged
from walltrack.domain.params import RuntimeParams
from walltrack.domain.records.wallets import WalletStatus
from walltrack.errors import IllegalTransitionError
from walltrack.sim.ground_truth import wallet_summary

S = WalletStatus


def hooked(world: World) -> set[str]:
    """The addresses the simulator's Helius delivers to our webhook."""
    hooks = [h for h in world.sim.webhooks.hooks.values() if h.url == HOOK_URL]
    return {a for h in hooks for a in h.addresses}


def moves(world: World, wallet: str) -> list[tuple[S | None, S]]:
    """The lifecycle events published for `wallet`, in order."""
    return [
        (e.old_status, e.new_status)
        for e in world.of_type(WalletStatusChanged)
        if e.wallet == wallet
    ]


def busiest(world: World, wallets: list[str]) -> str:
    """The wallet of `wallets` with the most transactions."""
    market = world.sim.world.market
    return max(wallets, key=lambda w: len(market.events_for(w)))


def biggest_loser(world: World, wallets: list[str]) -> str:
    """The wallet of `wallets` that lost the most SOL on closed-out trading."""

    def net(wallet: str) -> int:
        figures = wallet_summary(world.sim.world, wallet)
        return figures["sol_received"] - figures["sol_spent"] if figures["sells"] else 0

    return min(wallets, key=net)


def copiers(truth: dict[str, Any]) -> dict[str, set[str]]:
    """Copy-farmers and cluster followers -> the wallets found ahead of them may be: the
    one they copy (a follower may also trail a fellow follower of its leader)."""
    found = {c["address"]: {c["copies"]} for c in truth["copy_farmers"]}
    for group in truth["clusters"]:
        if group["kind"] == "copy_group":
            members = set(group["members"])
            found.update({m: members - {m} for m in members if m != group["leader"]})
    return found


def relaxed(params: RuntimeParams) -> RuntimeParams:
    """Criteria a half-hour-old smart wallet meets (few trades yet)."""
    watch = replace(params.watchlist, min_trades=2, min_pnl_sol=Decimal("0.01"), min_win_rate=0.5)
    return replace(params, watchlist=watch)


def impossible(params: RuntimeParams) -> RuntimeParams:
    """Criteria nobody meets."""
    return replace(params, watchlist=replace(params.watchlist, min_pnl_sol=Decimal(10**9)))


@pytest.mark.timeout(600)
async def test_discovered_wallets_against_the_ground_truth(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=3600.0)) as world:
        truth = world.truth()
        smart = {w["address"] for w in truth["smart_wallets"]}
        found = await world.jobs.wallets.discover([t["mint"] for t in truth["tokens"]])
        assert len(smart & set(found.found)) >= 0.8 * len(smart)  # recall of discovery
        summary = await world.jobs.profiler.run()
        assert summary.profiled == found.new_wallets
        watched = set(world.jobs.watchlist.watched())
        assert len(watched & smart) >= 0.5 * len(smart)
        assert len(watched & smart) >= 0.5 * len(watched)  # the watchlist is mostly smart
        wallets = WalletRepository(world.db)
        smart_timing = [wallets.get(a).profile.timing_percentile for a in watched & smart]  # type: ignore[union-attr]
        assert all(t is not None and t < 0.3 for t in smart_timing)  # early buyers rank early
        for address in watched & smart:
            record = wallets.get(address)
            assert record is not None
            assert record.profile.total_pnl_lamports >= 5 * 10**9
            assert record.profile.copy_pnl_lamports is not None  # priced on the scans
        judged_copiers = 0
        for copier, leads in copiers(truth).items():  # followers: flagged, with their lead
            record = wallets.get(copier)
            metrics = (record.profile.metrics or {}) if record is not None else {}
            if metrics.get("follow_tokens_judged", 0) >= world.params.profiling.follow_min_tokens:
                judged_copiers += 1
                assert metrics["is_follower"] is True
                assert metrics["lead_wallet"] in leads
                assert "follower" in world.jobs.store.intel_of(copier).failed_criteria  # type: ignore[union-attr]
        assert judged_copiers >= 3
        assert not watched & set(copiers(truth))
        for address in smart:  # nobody the smart wallets trail is mistaken for their lead
            record = wallets.get(address)
            if record is not None and record.profile.metrics is not None:
                assert record.profile.metrics["is_follower"] is False
                assert record.profile.metrics["is_launch_buyer"] is False
        ignored = [e for e in world.of_type(WalletStatusChanged) if e.new_status is S.IGNORED]
        assert ignored
        assert all(e.failed_criteria for e in ignored)
        sample = ignored[0].wallet
        intel = world.jobs.store.intel_of(sample)
        assert intel is not None
        assert intel.failed_criteria == ignored[0].failed_criteria
        assert hooked(world) == watched  # the webhook follows the watchlist
        finished = [e for e in world.of_type(IntelJobProgressed) if e.finished]
        assert [e.job for e in finished] == ["wallets", "profiling"]


async def test_lifecycle_moves_pins_blacklist_and_webhook(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=1800.0)) as world:
        truth = world.truth()
        smart = busiest(world, [w["address"] for w in truth["smart_wallets"]])
        retail = world.sim.world.retail.wallets
        pinned, loser = busiest(world, retail[:40]), biggest_loser(world, retail[40:240])
        wallets = WalletRepository(world.db)
        jobs = world.jobs
        jobs.watchlist.add_manual(pinned, pin=True)
        jobs.watchlist.add_manual(loser)
        world.params = relaxed(world.params)
        await jobs.profiler.run([smart, pinned, loser])
        assert moves(world, smart) == [(S.DISCOVERED, S.PROFILED), (S.PROFILED, S.WATCHLISTED)]
        assert moves(world, loser)[-1] == (S.PROFILED, S.IGNORED)
        assert moves(world, pinned)[-1] == (S.PROFILED, S.WATCHLISTED)
        record = wallets.get(pinned)
        assert record is not None
        if jobs.store.intel_of(pinned).failed_criteria:  # type: ignore[union-attr]
            assert record.status_reason is not None
            assert record.status_reason.startswith("pinned")
        assert hooked(world) == {smart, pinned}
        world.params = impossible(world.params)
        await jobs.profiler.run([smart, pinned])
        assert wallets.get(smart).status is S.FLAGGED  # type: ignore[union-attr]
        assert wallets.get(pinned).status is S.WATCHLISTED  # type: ignore[union-attr]
        assert hooked(world) == {smart, pinned}  # flagged wallets are still watched
        await jobs.profiler.run([smart])
        assert moves(world, smart)[-2:] == [(S.WATCHLISTED, S.FLAGGED), (S.FLAGGED, S.REMOVED)]
        assert world.of_type(WalletStatusChanged)[-1].failed_criteria == ("pnl",)
        assert hooked(world) == {pinned}  # removed: out of the webhook's list
        world.params = relaxed(world.params)
        await jobs.profiler.run([smart])  # back through profiling
        assert moves(world, smart)[-2:] == [(S.REMOVED, S.PROFILED), (S.PROFILED, S.WATCHLISTED)]
        jobs.watchlist.blacklist(smart, "operator: wash trading")
        await jobs.watchlist.sync_webhook()
        record = wallets.get(smart)
        assert record is not None
        assert record.status is S.BLACKLISTED
        assert record.status_reason == "blacklisted: operator: wash trading"
        assert hooked(world) == {pinned}
        await jobs.profiler.run([smart])  # permanent: profiling never brings it back
        assert wallets.get(smart).status is S.BLACKLISTED  # type: ignore[union-attr]
        with pytest.raises(IllegalTransitionError):
            jobs.watchlist.move(smart, S.WATCHLISTED, "operator")
