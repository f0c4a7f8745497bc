"""Wallet actors are virtual: passivated when idle, reactivated from their snapshot."""

from __future__ import annotations

from datetime import timedelta

from actors.names import INGRESS, WALLETS, wallet_actor
from actors.pipeline_messages import GetStats
from actors.runtime.protocol import Ping, SweepIdle
from tests.pipeline.kit import (
    START,
    observed,
    pipeline,
    seed_token,
    seed_wallet,
    status_changed,
    swap,
)
from walltrack.domain.records.wallets import WalletStatus
from walltrack.domain.swap_types import Side
from walltrack.domain.tree import ActorState

SMART = "Smart1111111111111111111111111111111111111"
IDLE = "Idle11111111111111111111111111111111111111"
MINT = "Mint1111111111111111111111111111111111111111"


def test_a_passivated_wallet_actor_comes_back_with_its_memory(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[SMART, IDLE], passivate_after_s=0.0) as p:
        seed_wallet(p.stores, SMART)
        seed_token(p.stores, MINT)
        # Tracked but never traded: a registry entry, no actor.
        assert p.registry.get(wallet_actor(IDLE)).state is ActorState.INACTIVE

        buy = swap(SMART, MINT, at=START, tokens=1_000)
        p.submit(buy)
        p.wait_told(1)
        name = wallet_actor(SMART)
        first = p.registry.get(name).incarnation
        assert p.ask(WALLETS, SweepIdle()) == 1  # idle "for 0 s": passivated

        # The webhook redelivers the buy after the ingress forgot it (a restart): the
        # reactivated actor remembers the signature from its snapshot and stays silent.
        p.registry.tell(name, observed(buy))
        # A partial sell is measured against the holding it restored.
        p.submit(swap(SMART, MINT, at=START + timedelta(seconds=5), side=Side.SELL, tokens=250))
        p.drain([SMART])
        assert p.registry.get(name).incarnation > first
        assert p.ask(name, GetStats())["status"] == "watchlisted"
        assert len(p.signals()) == 1
        [sold] = p.sold
        assert str(sold.sold_fraction) == "0.25"
        assert p.registry.get(wallet_actor(IDLE)).state is ActorState.INACTIVE


def test_a_reactivated_wallet_actor_reads_its_status_again(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[SMART], passivate_after_s=0.0) as p:
        seed_wallet(p.stores, SMART)
        seed_token(p.stores, MINT)
        p.submit(swap(SMART, MINT, at=START))
        p.wait_told(1)
        assert p.ask(WALLETS, SweepIdle()) == 1
        # Blacklisted in the table while the actor slept (no event reached it).
        p.stores.wallets.set_status(SMART, WalletStatus.BLACKLISTED, at=START)
        p.submit(swap(SMART, MINT, at=START + timedelta(seconds=5)))
        p.drain([SMART])
        stats = p.ask(wallet_actor(SMART), GetStats())
        assert stats["status"] == "blacklisted"
        assert stats["ignored"] == 1
        assert len(p.signals()) == 1


def test_a_watchlisted_wallet_stays_active_and_a_flagged_one_passivates(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[], passivate_after_s=0.0) as p:
        seed_wallet(p.stores, SMART)
        bus, name = p.runtime.services.bus, wallet_actor(SMART)
        bus.publish(status_changed(SMART, WalletStatus.PROFILED, WalletStatus.WATCHLISTED))
        assert p.ask(INGRESS, GetStats())["resident"] == 1
        # Activated by the lifecycle event, before any swap of the wallet.
        while p.registry.get(name).state is not ActorState.RUNNING:
            p.ask(WALLETS, Ping())
        assert p.ask(name, GetStats())["status"] == "watchlisted"
        assert p.ask(WALLETS, SweepIdle()) == 0  # idle "for 0 s", yet resident

        bus.publish(status_changed(SMART, WalletStatus.WATCHLISTED, WalletStatus.FLAGGED))
        stats = p.ask(INGRESS, GetStats())
        assert (stats["tracked"], stats["resident"]) == (1, 0)
        assert p.ask(WALLETS, SweepIdle()) == 1
