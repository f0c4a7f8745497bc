"""A tracked wallet's swap becomes a scored, persisted signal; others never signal."""

from __future__ import annotations

from datetime import timedelta

from actors.names import INGRESS, SCORER, wallet_actor
from actors.pipeline_messages import GetStats
from tests.pipeline.kit import START, pipeline, seed_token, seed_wallet, status_changed, swap
from walltrack.domain.records.signals import SignalDecision
from walltrack.domain.records.wallets import WalletStatus
from walltrack.domain.swap_types import Side

SMART = "Smart1111111111111111111111111111111111111"
STRANGER = "Stranger11111111111111111111111111111111111"
BANNED = "Banned1111111111111111111111111111111111111"
MINT = "Mint1111111111111111111111111111111111111111"
UNKNOWN_MINT = "Unknown111111111111111111111111111111111111"


def test_a_tracked_buy_is_scored_with_every_factor_and_persisted(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[SMART]) as p:
        seed_wallet(p.stores, SMART, score=0.8)
        seed_token(p.stores, MINT)
        buy = swap(SMART, MINT, at=START)
        p.submit(buy)
        [told] = p.wait_told(1)

        stored = p.signals()
        assert len(stored) == 1
        signal = stored[0]
        assert signal.signal_id == told.signal_id
        assert signal.tx_signature == buy.signature
        assert signal.wallet_address == SMART
        assert signal.amount_lamports == buy.sol_lamports
        assert signal.score == told.score
        result = told.result
        assert signal.wallet_factor == result.wallet.value
        assert signal.token_factor == result.token.value
        assert signal.context_factor == result.context.value
        assert signal.cluster_factor == result.cluster.value
        # The maintained wallet score is the wallet factor's base, the token figures came
        # from the tokens table, and the context saw the clock at 16:00 UTC (active hours).
        assert signal.factors["wallet"]["base"] == 0.8
        assert signal.factors["token"]["missing"] == []
        assert signal.factors["token"]["liquidity"] > 0.7
        assert signal.factors["context"]["hour_utc"] == 16
        assert signal.factors["cluster"]["solo"] is True
        assert signal.decision is told.decision
        assert signal.observed_at == buy.timestamp


def test_a_token_nobody_knows_is_scored_and_skipped_with_the_reason(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[SMART]) as p:
        seed_wallet(p.stores, SMART)
        p.submit(swap(SMART, UNKNOWN_MINT, at=START))
        p.wait_told(1)
        [signal] = p.signals()
        assert signal.decision is SignalDecision.SKIP
        assert signal.skip_reason == "liquidity_unknown"
        assert "liquidity_usd" in signal.factors["token"]["missing"]


def test_an_untracked_wallets_swap_is_dropped_and_counted(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[SMART]) as p:
        seed_wallet(p.stores, SMART)
        seed_token(p.stores, MINT)
        p.submit(swap(STRANGER, MINT, at=START))
        p.submit(swap(STRANGER, MINT, at=START + timedelta(seconds=1)))
        p.submit(swap(SMART, MINT, at=START + timedelta(seconds=2)))
        p.wait_told(1)
        stats = p.ask(INGRESS, GetStats())
        assert stats["dropped_untracked"] == 2
        assert stats["routed"] == 1
        assert [s.wallet_address for s in p.signals()] == [SMART]
        assert p.registry.find(wallet_actor(STRANGER)) is None


def test_a_blacklisted_wallet_never_signals(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[BANNED, SMART]) as p:
        seed_wallet(p.stores, BANNED, status=WalletStatus.BLACKLISTED)
        seed_wallet(p.stores, SMART)
        seed_token(p.stores, MINT)
        p.submit(swap(BANNED, MINT, at=START))
        p.submit(swap(BANNED, MINT, at=START + timedelta(seconds=5), side=Side.SELL))
        stats = p.drain([BANNED])
        assert stats["scored"] == 0
        assert p.ask(wallet_actor(BANNED), GetStats())["ignored"] == 2
        p.submit(swap(SMART, MINT, at=START + timedelta(seconds=9)))
        p.wait_told(1)
        assert [s.wallet_address for s in p.signals()] == [SMART]
        assert p.ask(SCORER, GetStats())["scored"] == 1


def test_tracking_follows_the_wallet_lifecycle_events(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[]) as p:
        seed_wallet(p.stores, SMART)
        seed_token(p.stores, MINT)
        bus = p.runtime.services.bus
        p.submit(swap(SMART, MINT, at=START))
        assert p.ask(INGRESS, GetStats())["dropped_untracked"] == 1

        bus.publish(status_changed(SMART, WalletStatus.PROFILED, WalletStatus.WATCHLISTED))
        p.submit(swap(SMART, MINT, at=START + timedelta(seconds=1)))
        p.wait_told(1)

        bus.publish(status_changed(SMART, WalletStatus.WATCHLISTED, WalletStatus.BLACKLISTED))
        p.submit(swap(SMART, MINT, at=START + timedelta(seconds=2)))
        stats = p.ask(INGRESS, GetStats())
        assert stats["dropped_untracked"] == 2
        assert stats["tracked"] == 0
        # The actor was told before the ingress let go: a redelivery is ignored too.
        assert p.ask(wallet_actor(SMART), GetStats())["status"] == "blacklisted"
        assert len(p.signals()) == 1
