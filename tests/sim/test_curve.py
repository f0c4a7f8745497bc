"""The bonding curve and the pool reproduce the reference numbers (api-formats.md §6.2, §1.5)
to the last raw unit."""

from __future__ import annotations

import pytest

from tests.sim.conftest import bare_market
from walltrack.sim.amm import ConstantProductPool
from walltrack.sim.constants import ATA_RENT, POOL_MIGRATION_FEE
from walltrack.sim.curve import BondingCurve
from walltrack.sim.enhanced_tx import EnhancedRenderer

# The state of the reference example: a fresh curve after 15 SOL net of buys.
REFERENCE_GROSS_TO_45_SOL = 15_187_500_000


def test_launch_price_and_graduation_numbers() -> None:
    curve = BondingCurve()
    assert curve.price() == pytest.approx(2.796e-8, rel=1e-3)
    fill = curve.quote_buy_exact(793_100_000_000_000)
    assert fill.sol == 85_005_359_057
    curve.apply_buy(fill)
    assert curve.complete
    assert curve.virtual_sol == 115_005_359_057
    assert curve.virtual_tokens == 279_900_000_000_000
    assert curve.price() == pytest.approx(4.109e-7, rel=1e-3)
    assert curve.price() / BondingCurve().price() == pytest.approx(14.7, rel=1e-2)


def test_reference_buy_of_one_and_a_half_sol() -> None:
    curve = BondingCurve()
    curve.apply_buy(curve.quote_buy(REFERENCE_GROSS_TO_45_SOL))
    assert curve.virtual_sol == 45_000_000_000
    fill = curve.quote_buy(1_500_000_000)
    assert fill.sol == 1_481_481_481
    assert fill.tokens == 22_799_468_784_327
    assert fill.protocol_fee == 14_074_074
    assert fill.creator_fee == 4_444_445
    assert fill.sol + fill.fees == 1_500_000_000
    # The buy-exact formula charges the same SOL for those tokens.
    assert curve.quote_buy_exact(fill.tokens).sol == 1_481_481_481


def test_sell_follows_the_formula() -> None:
    curve = BondingCurve()
    curve.apply_buy(curve.quote_buy(5_000_000_000))
    vsol, vtok = curve.virtual_sol, curve.virtual_tokens
    tokens = 50_000_000_000_000
    fill = curve.quote_sell(tokens)
    out = tokens * vsol // (vtok + tokens)
    assert fill.sol == out
    assert fill.fees == -(-out * 125 // 10_000)
    assert fill.creator_fee == -(-out * 30 // 10_000)
    curve.apply_sell(fill)
    assert (curve.virtual_sol, curve.virtual_tokens) == (vsol - out, vtok + tokens)


def test_reference_buy_lands_with_the_reference_balance_changes() -> None:
    market, token, trader = bare_market()
    market.buy(1.0, trader, token.mint, REFERENCE_GROSS_TO_45_SOL, priority_fee=0)
    buyer = market.keys.wallet("buyer", 0)
    market.ledger.credit(buyer, 10 * 10**9)
    event = market.buy(2.0, buyer, token.mint, 1_500_000_000, priority_fee=100_000)
    assert event is not None
    tx = EnhancedRenderer(market).render(event)
    data = {entry["account"]: entry for entry in tx["accountData"]}
    assert tx["fee"] == 105_000
    assert data[buyer]["nativeBalanceChange"] == -1_502_144_280
    assert data[token.curve_address]["nativeBalanceChange"] == 1_481_481_481
    amounts = sorted(n["amount"] for n in tx["nativeTransfers"])
    assert amounts == sorted([ATA_RENT, 1_481_481_481, 14_074_074, 4_444_445])
    (transfer,) = tx["tokenTransfers"]
    assert transfer["tokenAmount"] == 22799468.784327
    ata = market.keys.ata(buyer, token.mint)
    assert data[ata]["tokenBalanceChanges"][0]["rawTokenAmount"] == {
        "tokenAmount": "22799468784327",
        "decimals": 6,
    }
    assert market.ledger.lamports(buyer) == 10 * 10**9 - 1_502_144_280


def test_the_capped_last_buy_graduates_the_token_into_its_pool() -> None:
    market, token, trader = bare_market()
    event = market.buy(1.0, trader, token.mint, 200 * 10**9, priority_fee=0)
    assert event is not None
    assert event.tokens == 793_100_000_000_000
    assert event.sol == 85_005_359_057
    assert token.curve.complete
    assert token.pool is not None
    assert token.pool.sol_reserve == 85_005_359_057 - POOL_MIGRATION_FEE
    assert token.pool.token_reserve == 206_900_000_000_000
    assert token.pool.price() == pytest.approx(4.1085e-7, rel=1e-3)
    assert market.events[-1].kind == "migrate"
    after = market.buy(2.0, trader, token.mint, 10**9, priority_fee=0)
    assert after is not None
    assert not after.on_curve
    assert after.pool == token.pool_address


def test_pool_fees_are_taken_in_sol_and_k_never_shrinks() -> None:
    pool = ConstantProductPool(85 * 10**9, 206_900_000_000_000)
    k = pool.sol_reserve * pool.token_reserve
    buy = pool.quote_buy(10**9)
    assert (buy.lp_fee, buy.protocol_fee, buy.creator_fee) == (2_000_000, 500_000, 500_000)
    assert buy.sol + buy.fees == 10**9
    net = 10**9 - 3_000_000
    assert buy.tokens == net * 206_900_000_000_000 // (85 * 10**9 + net)
    pool.apply_buy(buy)
    sell = pool.quote_sell(buy.tokens)
    pool.apply_sell(sell)
    assert pool.sol_reserve * pool.token_reserve >= k
    assert sell.sol - sell.fees < 10**9
