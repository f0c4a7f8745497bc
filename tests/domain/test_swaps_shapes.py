"""Swap classification of hand-built payloads, one per venue shape of the reference."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from walltrack.domain.swaps import NotASwap, NotASwapReason, Side, Swap, classify_swap

from . import helius_non_swaps as refused
from . import helius_payloads as shapes
from .helius_builder import TxBuilder, address

WALLET = address("trader")
MINT = "9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCpump"
OTHER_MINT = address("other-mint")

# api-formats.md §1.5: 1.5 SOL buy = 1,481,481,481 into the curve + 14,074,074 protocol fee
# + 4,444,445 creator fee, for 22,799,468.784327 tokens.
PUMP_BUY: dict[str, Any] = {
    "wallet": WALLET,
    "mint": MINT,
    "sol_to_curve": 1_481_481_481,
    "protocol_fee": 14_074_074,
    "creator_fee": 4_444_445,
    "tokens": 22_799_468_784_327,
}


def swap(result: object) -> Swap:
    assert isinstance(result, Swap), result
    return result


def not_a_swap(result: object, reason: NotASwapReason) -> NotASwap:
    assert isinstance(result, NotASwap), result
    assert result.reason is reason, result
    return result


def without_accounts(payload: dict[str, Any], *accounts: str) -> dict[str, Any]:
    """A trimmed payload whose accountData lacks `accounts`."""
    payload["accountData"] = [e for e in payload["accountData"] if e["account"] not in accounts]
    return payload


def test_pump_fun_buy_is_the_reference_example() -> None:
    payload = shapes.pump_fun_buy(**PUMP_BUY)
    result = swap(classify_swap(payload, WALLET))
    assert result == Swap(
        wallet=WALLET,
        side=Side.BUY,
        token_mint=MINT,
        token_amount=22_799_468_784_327,
        token_decimals=6,
        sol_lamports=1_500_000_000,  # rent of the new ATA (2,039,280) and fee excluded
        network_fee_lamports=105_000,
        venue="PUMP_FUN",
        signature=payload["signature"],
        slot=352_114_861,
        timestamp=datetime(2025, 10, 24, 13, 27, 36, tzinfo=UTC),
        fee_payer=WALLET,
    )


@pytest.mark.parametrize("events", ["absent", None, {}, [], "with swap event"])
@pytest.mark.parametrize("tx_type", ["SWAP", "UNKNOWN", "TRANSFER"])
def test_pump_fun_buy_does_not_need_the_swap_event(events: Any, tx_type: str) -> None:
    payload = shapes.pump_fun_buy(
        **PUMP_BUY, tx_type=tx_type, with_event=events == "with swap event"
    )
    if events == "absent":
        del payload["events"]
    elif events != "with swap event":
        payload["events"] = events
    result = swap(classify_swap(payload, WALLET))
    assert (result.side, result.token_amount, result.sol_lamports) == (
        Side.BUY,
        22_799_468_784_327,
        1_500_000_000,
    )


def test_pump_fun_buy_into_an_existing_token_account() -> None:
    result = swap(classify_swap(shapes.pump_fun_buy(**PUMP_BUY, create_ata=False), WALLET))
    assert result.sol_lamports == 1_500_000_000


def test_pump_fun_buy_with_a_fee_payer_that_is_not_the_trader() -> None:
    relayer = address("relayer")
    payload = shapes.pump_fun_buy(**PUMP_BUY, fee_payer=relayer)
    result = swap(classify_swap(payload, WALLET))
    assert (result.sol_lamports, result.network_fee_lamports, result.fee_payer) == (
        1_500_000_000,
        0,
        relayer,
    )
    not_a_swap(classify_swap(payload, relayer), NotASwapReason.NO_TOKEN_CHANGE)


@pytest.mark.parametrize("close_ata", [False, True])
@pytest.mark.parametrize("tx_type", ["SWAP", "UNKNOWN"])
def test_pump_fun_sell(close_ata: bool, tx_type: str) -> None:
    # 300,000,000 out of the curve - 2,850,000 protocol - 900,000 creator = 296,250,000;
    # closing the emptied ATA refunds its rent, which is not part of the proceeds.
    payload = shapes.pump_fun_sell(
        wallet=WALLET,
        mint=MINT,
        tokens=10_000_000_000_000,
        sol_from_curve=300_000_000,
        protocol_fee=2_850_000,
        creator_fee=900_000,
        close_ata=close_ata,
        tx_type=tx_type,
    )
    result = swap(classify_swap(payload, WALLET))
    assert (result.side, result.token_mint, result.token_amount, result.sol_lamports) == (
        Side.SELL,
        MINT,
        10_000_000_000_000,
        296_250_000,
    )
    assert result.network_fee_lamports == 80_000


PUMPSWAP_BUY: dict[str, Any] = {
    "wallet": WALLET,
    "mint": MINT,
    "quote_in": 20_040_000_002,
    "protocol_fee": 10_000_001,
    "creator_fee": 10_000_001,
    "bot_fee": 200_000_000,
    "tokens": 19_418_974_012_530,
}


@pytest.mark.parametrize("trimmed", [False, True])
def test_pumpswap_buy_counts_fees_and_bot_fee(trimmed: bool) -> None:
    payload = shapes.pumpswap_buy(**PUMPSWAP_BUY)
    if trimmed:  # like a webhook test payload: only the wallet and its new ATA remain
        keep = {WALLET, shapes.ata(WALLET, MINT)}
        payload["accountData"] = [e for e in payload["accountData"] if e["account"] in keep]
    result = swap(classify_swap(payload, WALLET))
    assert (result.side, result.token_amount, result.venue) == (
        Side.BUY,
        19_418_974_012_530,
        "PUMP_AMM",
    )
    assert result.sol_lamports == 20_040_000_002 + 10_000_001 + 10_000_001 + 200_000_000


@pytest.mark.parametrize("trimmed", [False, True])
def test_pumpswap_sell(trimmed: bool) -> None:
    payload = shapes.pumpswap_sell(
        wallet=WALLET, mint=MINT, tokens=3_666_988_222_932, quote_out=11_263_971_513
    )
    if trimmed:
        keep = {WALLET, shapes.ata(WALLET, MINT)}
        payload["accountData"] = [e for e in payload["accountData"] if e["account"] in keep]
    result = swap(classify_swap(payload, WALLET))
    assert (result.side, result.token_amount, result.sol_lamports) == (
        Side.SELL,
        3_666_988_222_932,
        11_263_971_513,
    )


def test_jupiter_route_through_usdc_is_a_buy_of_the_final_token() -> None:
    payload = shapes.jupiter_route_buy(
        wallet=WALLET, mint=MINT, sol_in=1_452_531_235, usdc_mid=238_630_695, tokens=5_000_000
    )
    result = swap(classify_swap(payload, WALLET))
    assert (result.side, result.token_mint, result.token_amount, result.sol_lamports) == (
        Side.BUY,
        MINT,
        5_000_000,
        1_452_531_235,
    )
    assert result.venue == "JUPITER"


@pytest.mark.parametrize(
    ("standing_wsol", "tx_type", "with_event"),
    [(False, "SWAP", True), (True, "SWAP", True), (True, "UNKNOWN", False)],
)
def test_raydium_buy_includes_the_tip(standing_wsol: bool, tx_type: str, with_event: bool) -> None:
    payload = shapes.raydium_buy(
        wallet=WALLET,
        mint=MINT,
        sol_in=1_000_000,
        tip=10_000,
        tokens=3_689_514,
        standing_wsol=standing_wsol,
        tx_type=tx_type,
        with_event=with_event,
    )
    result = swap(classify_swap(payload, WALLET))
    assert (result.side, result.token_amount, result.sol_lamports) == (
        Side.BUY,
        3_689_514,
        1_010_000,
    )


def test_raydium_sell() -> None:
    payload = shapes.raydium_sell(wallet=WALLET, mint=MINT, tokens=3_689_514, sol_out=987_654)
    result = swap(classify_swap(payload, WALLET))
    assert (result.side, result.token_amount, result.sol_lamports, result.venue) == (
        Side.SELL,
        3_689_514,
        987_654,
        "RAYDIUM",
    )


def test_sol_transfer_is_not_a_swap_for_anyone() -> None:
    recipient, payer = address("recipient"), address("nonce-payer")
    payload = refused.sol_transfer(
        sender=WALLET, recipient=recipient, lamports=15_000_000, fee_payer=payer
    )
    for wallet in (WALLET, recipient, payer):
        not_a_swap(classify_swap(payload, wallet), NotASwapReason.NO_TOKEN_CHANGE)


def test_spl_transfer_is_not_a_swap() -> None:
    recipient = address("recipient")
    payload = refused.spl_transfer(sender=WALLET, recipient=recipient, mint=MINT, raw=1_000)
    not_a_swap(classify_swap(payload, WALLET), NotASwapReason.SAME_DIRECTION)
    # The recipient got tokens and a token account it did not pay for: nothing went out.
    not_a_swap(classify_swap(payload, recipient), NotASwapReason.SAME_DIRECTION)


def test_airdrop_claim_paying_rent_is_not_a_buy() -> None:
    payload = refused.airdrop_claim(
        wallet=WALLET, mint=MINT, raw=1_500_000_000, receipt_rent=1_948_800
    )
    result = not_a_swap(classify_swap(payload, WALLET), NotASwapReason.NO_COUNTERPARTY)
    assert "-1948800" in result.detail


def test_token_to_token_is_not_represented() -> None:
    payload = refused.usdc_for_token(wallet=WALLET, mint=MINT, usdc_in=50_000_000, tokens=7_000)
    not_a_swap(classify_swap(payload, WALLET), NotASwapReason.TOKEN_TO_TOKEN)


def test_two_tokens_bought_at_once_are_ambiguous() -> None:
    b = TxBuilder(name="two-buys", fee_payer=WALLET, tx_type="SWAP", source="PUMP_FUN")
    for mint in (MINT, OTHER_MINT):
        curve = address(f"curve:{mint}")
        b.move_token(
            mint,
            6,
            1_000,
            source=(curve, shapes.ata(curve, mint)),
            target=(WALLET, shapes.ata(WALLET, mint)),
        )
        b.send_sol(WALLET, curve, 5_000_000)
    not_a_swap(classify_swap(b.build(), WALLET), NotASwapReason.SEVERAL_TOKENS)


def test_wallet_entry_missing_uses_the_transfers() -> None:
    payload = without_accounts(shapes.pump_fun_buy(**PUMP_BUY), WALLET)
    result = swap(classify_swap(payload, WALLET))
    assert (result.token_amount, result.sol_lamports) == (22_799_468_784_327, 1_500_000_000)


@pytest.mark.parametrize("decimals_from", ["swap event", "counterparty balance"])
def test_token_only_in_token_transfers(decimals_from: str) -> None:
    payload = shapes.pump_fun_buy(**PUMP_BUY, with_event=decimals_from == "swap event")
    wallet_ata = shapes.ata(WALLET, MINT)
    for entry in payload["accountData"]:
        if entry["account"] == wallet_ata or decimals_from == "swap event":
            entry["tokenBalanceChanges"] = []
    result = swap(classify_swap(payload, WALLET))
    assert (result.token_amount, result.token_decimals, result.sol_lamports) == (
        22_799_468_784_327,
        6,
        1_500_000_000,
    )


def test_token_without_any_decimals_is_not_guessed() -> None:
    payload = shapes.pump_fun_buy(**PUMP_BUY)
    for entry in payload["accountData"]:
        entry["tokenBalanceChanges"] = []
    not_a_swap(classify_swap(payload, WALLET), NotASwapReason.UNKNOWN_DECIMALS)


def test_failed_transaction() -> None:
    payload = shapes.pump_fun_buy(**PUMP_BUY)
    payload["transactionError"] = {"error": "custom program error: 0x1771"}
    not_a_swap(classify_swap(payload, WALLET), NotASwapReason.FAILED_TRANSACTION)


def test_uninvolved_wallet() -> None:
    payload = shapes.pump_fun_buy(**PUMP_BUY)
    not_a_swap(classify_swap(payload, address("bystander")), NotASwapReason.WALLET_NOT_INVOLVED)


@pytest.mark.parametrize(
    ("label", "payload"), refused.malformed_payloads(WALLET, MINT), ids=lambda v: str(v)[:40]
)
def test_malformed_payload(label: str, payload: Any) -> None:
    result = not_a_swap(classify_swap(payload, WALLET), NotASwapReason.MALFORMED)
    assert result.detail, label
    if isinstance(payload, dict) and isinstance(payload.get("signature"), str):
        assert result.signature == payload["signature"]


@pytest.mark.parametrize("wallet", ["", None, 42])
def test_bad_wallet_argument(wallet: Any) -> None:
    not_a_swap(classify_swap(shapes.pump_fun_buy(**PUMP_BUY), wallet), NotASwapReason.MALFORMED)
