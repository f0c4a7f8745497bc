"""The decay job on the simulator with real PostgreSQL: dormancy flags then removes a
watched wallet on schedule, a pinned one is never removed, and the wallet actor's
decay verdicts (after closed trades) move the lifecycle without ever removing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

from tests.intel.kit import World, intel_world, still
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.messages.wallets import WalletDecayChanged
from walltrack.domain.params import RuntimeParams
from walltrack.domain.records.wallets import DecayStatus, WalletStatus

S = WalletStatus
DAYS_31_S = 31 * 86400.0


def relaxed(params: RuntimeParams) -> RuntimeParams:
    """Criteria a half-hour-old smart wallet meets."""
    watch = replace(params.watchlist, min_trades=2, min_pnl_sol=Decimal("0.01"), min_win_rate=0.5)
    return replace(params, watchlist=watch)


async def watch_two(world: World) -> tuple[str, str]:
    """Two smart wallets on the watchlist, the second pinned."""
    market = world.sim.world.market
    smart = sorted(
        (w["address"] for w in world.truth()["smart_wallets"]),
        key=lambda w: -len(market.events_for(w)),
    )
    world.params = relaxed(world.params)
    world.jobs.watchlist.add_manual(smart[1], pin=True)
    await world.jobs.profiler.run(smart[:2])
    wallets = WalletRepository(world.db)
    for address in smart[:2]:
        assert wallets.get(address).status is S.WATCHLISTED  # type: ignore[union-attr]
    return smart[0], smart[1]


def decay_event(world: World, wallet: str, new: DecayStatus) -> WalletDecayChanged:
    at = world.now()
    return WalletDecayChanged(
        correlation_id=uuid4(),
        ts_event=at,
        ts_init=at,
        wallet=wallet,
        old_status=DecayStatus.OK,
        new_status=new,
        reason="test",
        score_multiplier=1.0,
    )


async def test_dormant_wallets_are_flagged_then_removed_unless_pinned(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=1800.0)) as world:
        active, pinned = await watch_two(world)
        wallets = WalletRepository(world.db)
        world.offset_s = DAYS_31_S  # a month without a trade
        summary = await world.jobs.decay.run()
        assert summary.checked == 2
        assert summary.decayed == 2
        for address in (active, pinned):
            record = wallets.get(address)
            assert record is not None
            assert record.status is S.FLAGGED
            assert record.profile.decay_status is DecayStatus.DORMANT
            assert record.profile.decay_score == 1.0
            assert record.status_reason == "decay: no activity for 30 days"
        changed = world.of_type(WalletDecayChanged)
        assert {(e.wallet, e.new_status) for e in changed} == {
            (active, DecayStatus.DORMANT),
            (pinned, DecayStatus.DORMANT),
        }
        world.offset_s += 3600.0
        await world.jobs.decay.run()  # still dormant at the next scheduled check
        assert wallets.get(active).status is S.REMOVED  # type: ignore[union-attr]
        assert wallets.get(pinned).status is S.FLAGGED  # type: ignore[union-attr]
        assert world.jobs.watchlist.watched() == [pinned]
        finished = [e for e in world.of_type(IntelJobProgressed) if e.finished]
        assert [e.job for e in finished][-2:] == ["decay", "decay"]


async def test_closed_trade_verdicts_flag_and_recover_but_never_remove(pg_dsn: str) -> None:
    async with intel_world(pg_dsn, still(warmup_s=1800.0)) as world:
        wallet, _ = await watch_two(world)
        wallets = WalletRepository(world.db)
        decay = world.jobs.decay
        decay.on_decay_changed(decay_event(world, wallet, DecayStatus.DOWNGRADED))
        assert wallets.get(wallet).status is S.FLAGGED  # type: ignore[union-attr]
        decay.on_decay_changed(decay_event(world, wallet, DecayStatus.FLAGGED))
        assert wallets.get(wallet).status is S.FLAGGED  # type: ignore[union-attr]
        decay.on_decay_changed(decay_event(world, wallet, DecayStatus.RECOVERED))
        assert wallets.get(wallet).status is S.WATCHLISTED  # type: ignore[union-attr]
        world.offset_s = 60.0
        verdict = await decay.check(wallet)  # active and winning: nothing to flag
        assert verdict is not None
        assert verdict.state.status is not DecayStatus.DORMANT
        assert world.jobs.store.intel_of(wallet) is not None
        assert wallets.get(wallet).last_activity_at is not None  # type: ignore[union-attr]
        assert wallets.get(wallet).last_activity_at <= world.now() - timedelta(seconds=60)  # type: ignore[union-attr, operator]
