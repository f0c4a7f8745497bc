"""Wallet and token repositories round-trip every column type and enforce the lifecycle."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.integration.pg_fixtures import admin_connect
from tests.integration.postgres.builders import PLUS_5, T0
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.tokens import TokenRepository
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.records import (
    BuySize,
    Confidence,
    DecayStatus,
    TokenRecord,
    WalletProfile,
    WalletStatus,
)
from walltrack.errors import ConstraintViolationError, IllegalTransitionError

pytestmark = pytest.mark.integration

ADDRESS = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"


def test_wallet_profile_round_trips_exactly(pg_db: Database) -> None:
    wallets = WalletRepository(pg_db)
    wallets.add_discovered(ADDRESS, at=T0, from_token="MintA")
    profile = WalletProfile(
        trade_count=42,
        win_rate=0.7142857142857143,
        total_pnl_lamports=-9_223_372_036_854_775_807,
        avg_pnl_lamports=123_456_789,
        timing_percentile=0.05,
        avg_hold_seconds=3600.5,
        consistency=0.61,
        preferred_hours=(0, 13, 23),
        avg_buy_lamports=2_000_000_000,
        buy_size=BuySize.MEDIUM,
        confidence=Confidence.HIGH,
        copy_pnl_lamports=42,
        is_flash_flipper=True,
        score=0.93,
        decay_status=DecayStatus.RECOVERED,
        decay_score=0.1,
        consecutive_losses=2,
        metrics={"per_token": {"MintA": {"pnl": "1.5"}}, "flags": ["early"]},
    )
    profiled_at = (T0 + timedelta(hours=1)).astimezone(PLUS_5)

    saved = wallets.save_profile(ADDRESS, profile, profiled_at=profiled_at)
    loaded = wallets.get(ADDRESS)

    assert loaded == saved
    assert loaded is not None
    assert loaded.profile == profile
    assert loaded.profiled_at == profiled_at
    assert loaded.profiled_at is not None
    assert loaded.profiled_at.utcoffset() == timedelta(0)
    assert loaded.discovered_from_token == "MintA"
    assert loaded.status is WalletStatus.DISCOVERED


def test_adding_a_known_wallet_keeps_it(pg_db: Database) -> None:
    wallets = WalletRepository(pg_db)
    first = wallets.add_discovered(ADDRESS, at=T0)
    again = wallets.add_discovered(ADDRESS, at=T0 + timedelta(days=1), from_token="Other")
    assert again.discovered_at == first.discovered_at == T0
    assert again.discovered_from_token is None


def test_wallet_lifecycle_is_enforced(pg_db: Database) -> None:
    wallets = WalletRepository(pg_db)
    wallets.add_discovered(ADDRESS, at=T0)
    wallets.set_status(ADDRESS, WalletStatus.PROFILED, at=T0)
    ignored = wallets.set_status(
        ADDRESS, WalletStatus.IGNORED, at=T0, reason="win_rate 0.41 < 0.70"
    )
    assert ignored.status_reason == "win_rate 0.41 < 0.70"

    with pytest.raises(IllegalTransitionError, match="cannot move from ignored to watchlisted"):
        wallets.set_status(ADDRESS, WalletStatus.WATCHLISTED, at=T0)

    wallets.set_status(ADDRESS, WalletStatus.BLACKLISTED, at=T0, reason="manual")
    with pytest.raises(IllegalTransitionError):
        wallets.set_status(ADDRESS, WalletStatus.PROFILED, at=T0)
    assert wallets.count_by_status() == {WalletStatus.BLACKLISTED: 1}


def test_watchlist_is_ordered_by_score(pg_db: Database) -> None:
    wallets = WalletRepository(pg_db)
    for i, score in enumerate((0.5, 0.9, 0.7)):
        address = f"W{i}"
        wallets.add_discovered(address, at=T0)
        wallets.set_status(address, WalletStatus.PROFILED, at=T0)
        wallets.set_status(address, WalletStatus.WATCHLISTED, at=T0)
        wallets.set_score(address, score)
    assert [w.profile.score for w in wallets.by_status(WalletStatus.WATCHLISTED)] == [
        0.9,
        0.7,
        0.5,
    ]


def test_out_of_range_score_is_a_clear_constraint_error(pg_db: Database) -> None:
    wallets = WalletRepository(pg_db)
    wallets.add_discovered(ADDRESS, at=T0)
    with pytest.raises(ConstraintViolationError) as caught:
        wallets.set_score(ADDRESS, 1.5)
    assert caught.value.table == "wallets"
    assert caught.value.constraint == "wallets_score_check"
    assert "wallets: constraint wallets_score_check violated" in str(caught.value)


def test_activity_never_moves_backwards(pg_db: Database) -> None:
    wallets = WalletRepository(pg_db)
    wallets.add_discovered(ADDRESS, at=T0)
    wallets.touch_activity(ADDRESS, T0 + timedelta(hours=2))
    wallets.touch_activity(ADDRESS, T0 + timedelta(hours=1))
    loaded = wallets.get(ADDRESS)
    assert loaded is not None
    assert loaded.last_activity_at == T0 + timedelta(hours=2)


def test_token_upsert_round_trips_and_refreshes(pg_db: Database) -> None:
    tokens = TokenRepository(pg_db)
    token = TokenRecord(
        mint="MintA",
        symbol="WIF",
        name="dogwifhat",
        decimals=9,
        source="dexscreener_boost",
        launched_at=T0 - timedelta(minutes=3),
        discovered_at=T0,
        price_usd=Decimal("0.000012345678901234567890"),
        price_sol=Decimal("8.1E-8"),
        liquidity_usd=Decimal("52341.17"),
        market_cap_usd=Decimal("1234567.89"),
        volume_24h_usd=Decimal(0),
        holder_count=812,
        top10_share=0.312,
        pair_count=2,
        mint_authority_revoked=True,
        freeze_authority_revoked=False,
        safety_checked_at=T0,
        refresh_hours=2,
        next_refresh_at=T0 + timedelta(hours=2),
        extra={"links": ["https://x.example"], "boosts": 3},
    )
    stored = tokens.upsert(token)
    assert stored.updated_at is not None
    assert replace(stored, updated_at=None) == token

    refreshed = tokens.upsert(
        replace(token, price_sol=Decimal("9E-8"), source="manual", discovered_at=T0 + timedelta(1))
    )
    assert refreshed.price_sol == Decimal("9E-8")
    assert refreshed.source == "dexscreener_boost"
    assert refreshed.discovered_at == T0
    assert [t.mint for t in tokens.due_for_refresh(T0 + timedelta(hours=3))] == ["MintA"]
    assert tokens.due_for_refresh(T0) == []


def test_token_refresh_interval_is_checked(pg_db: Database) -> None:
    tokens = TokenRepository(pg_db)
    with pytest.raises(ConstraintViolationError, match="tokens_refresh_hours_check"):
        tokens.upsert(TokenRecord(mint="M", discovered_at=T0, refresh_hours=3))


def test_updated_at_is_maintained_by_the_database(pg_db: Database, pg_dsn: str) -> None:
    tokens = TokenRepository(pg_db)
    tokens.upsert(TokenRecord(mint="M", discovered_at=T0))
    with admin_connect(pg_dsn) as conn:
        conn.execute(
            "UPDATE walltrack_paper.tokens SET updated_at = '2000-01-01Z' WHERE mint = 'M'"
        )
    tokens.upsert(TokenRecord(mint="M", discovered_at=T0, symbol="NEW"))
    stored = tokens.get("M")
    assert stored is not None
    assert stored.updated_at is not None
    assert stored.updated_at.year >= 2026
