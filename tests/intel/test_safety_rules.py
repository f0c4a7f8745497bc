"""Token safety rules on hand-built facts with known answers: each failed check named
with its reason, the hard gates blocking a trade, pool vaults left out of the top 10."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from walltrack.adapters.intel.safety import SafetyFacts, judge_safety, top10_share
from walltrack.domain.params.market import TokenParams
from walltrack.domain.venues import TokenHolder

NOW = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
SAFE = SafetyFacts(
    mint_known=True,
    supply=1_000_000,
    top10_share=0.2,
    liquidity_usd=Decimal(20_000),
    pair_count=1,
    launched_at=NOW - timedelta(hours=2),
)


def test_a_safe_token_fails_nothing() -> None:
    report = judge_safety(SAFE, TokenParams(), NOW)
    assert report.failed == {}
    assert report.blocks_trade is False


def test_each_failed_check_has_its_reason_and_only_gates_block() -> None:
    params = TokenParams()
    risky = replace(
        SAFE,
        mint_authority="Auth111",
        top10_share=0.8,
        launched_at=NOW - timedelta(seconds=60),
    )
    report = judge_safety(risky, params, NOW)
    assert report.failed == {
        "mint_authority": "mint authority active (Auth111)",
        "top10_share": "top 10 holders own 80% > 50%",
        "age": "60 s old < 300 s",
    }
    assert report.blocks_trade is False  # informative: the token factor weighs them
    frozen = judge_safety(replace(SAFE, freeze_authority="Dev111"), params, NOW)
    assert frozen.failed == {"freeze_authority": "freeze authority active (Dev111)"}
    assert frozen.blocks_trade is True
    thin = judge_safety(replace(SAFE, liquidity_usd=Decimal(999)), params, NOW)
    assert thin.failed == {"liquidity": "liquidity $999 < $1000"}
    assert thin.blocks_trade is True
    lenient = replace(params, block_active_freeze_authority=False)
    assert (
        judge_safety(replace(SAFE, freeze_authority="Dev111"), lenient, NOW).blocks_trade is False
    )


def test_unknown_facts_fail_their_checks() -> None:
    report = judge_safety(SafetyFacts(), TokenParams(), NOW)
    assert set(report.failed) == {"mint_account", "top10_share", "pairs", "liquidity", "age"}
    assert report.blocks_trade is True  # unknown is not safe


def test_top10_leaves_out_pool_vaults_and_unreadable_accounts() -> None:
    holders = [TokenHolder(address=f"acct{i}", amount=100 - i, decimals=6) for i in range(14)]
    owners: dict[str, str | None] = {f"acct{i}": f"owner{i}" for i in range(14)}
    owners["acct0"] = "PoolPair111"  # the pool's vault: liquidity, not a holder
    owners["acct1"] = None  # unreadable
    owners["acct2"] = "6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P"  # the pump.fun program
    share, excluded = top10_share(10_000, holders, owners, {"PoolPair111"})
    assert excluded == 3
    assert share == sum(100 - i for i in range(3, 13)) / 10_000
    assert top10_share(0, holders, owners, set()) == (None, 0)
