"""Hand-written Helius payloads that are not swaps, and malformed elements.

Why apart from the venue shapes: these exist to be refused (a plain SOL transfer, an SPL
transfer paying the recipient's rent, an airdrop claim, a token-to-token trade, broken JSON
shapes), and each says which NotASwap reason it must produce in the tests.
"""

from __future__ import annotations

from typing import Any

from .helius_builder import SYSTEM_PROGRAM, TOKEN_PROGRAM, USDC_MINT, TxBuilder, address
from .helius_payloads import ATA_PROGRAM, JUPITER_V6, ata, pump_fun_buy


def sol_transfer(
    *, sender: str, recipient: str, lamports: int, fee_payer: str | None = None
) -> dict[str, Any]:
    """A plain system transfer, typed TRANSFER / SYSTEM_PROGRAM."""
    b = TxBuilder(
        name="sol-transfer",
        fee_payer=fee_payer or sender,
        tx_type="TRANSFER",
        source="SYSTEM_PROGRAM",
    )
    b.program(SYSTEM_PROGRAM)
    b.send_sol(sender, recipient, lamports)
    return b.build()


def spl_transfer(*, sender: str, recipient: str, mint: str, raw: int) -> dict[str, Any]:
    """An SPL transfer where the sender pays the recipient's new token account."""
    b = TxBuilder(
        name="spl-transfer", fee_payer=sender, tx_type="TRANSFER", source="SOLANA_PROGRAM_LIBRARY"
    )
    b.program(ATA_PROGRAM, SYSTEM_PROGRAM, TOKEN_PROGRAM)
    b.create_token_account(sender, ata(recipient, mint))
    b.move_token(
        mint, 6, raw, source=(sender, ata(sender, mint)), target=(recipient, ata(recipient, mint))
    )
    return b.build()


def airdrop_claim(*, wallet: str, mint: str, raw: int, receipt_rent: int) -> dict[str, Any]:
    """A distributor claim typed UNKNOWN: token in, rent out, nobody paid for the token."""
    distributor = address(f"distributor:{mint}")
    b = TxBuilder(name="claim", fee_payer=wallet, tx_type="UNKNOWN", source="UNKNOWN")
    b.program(address("merkle-distributor-program"), SYSTEM_PROGRAM, TOKEN_PROGRAM)
    b.create_token_account(wallet, ata(wallet, mint))
    b.send_sol(wallet, address(f"claim-receipt:{wallet}"), receipt_rent)
    b.move_token(
        mint,
        6,
        raw,
        source=(distributor, ata(distributor, mint)),
        target=(wallet, ata(wallet, mint)),
    )
    return b.build()


def usdc_for_token(*, wallet: str, mint: str, usdc_in: int, tokens: int) -> dict[str, Any]:
    """Jupiter USDC -> memecoin: a token-to-token trade with no SOL leg."""
    pool = address(f"usdc-pool:{mint}")
    b = TxBuilder(name="usdc-token", fee_payer=wallet, tx_type="SWAP", source="JUPITER")
    b.program(JUPITER_V6, TOKEN_PROGRAM)
    b.move_token(
        USDC_MINT,
        6,
        usdc_in,
        source=(wallet, ata(wallet, USDC_MINT)),
        target=(pool, ata(pool, USDC_MINT)),
    )
    b.move_token(
        mint, 6, tokens, source=(pool, ata(pool, mint)), target=(wallet, ata(wallet, mint))
    )
    return b.build()


def malformed_payloads(wallet: str, mint: str) -> list[tuple[str, Any]]:
    """(label, payload) pairs: missing fields, wrong types, strings where numbers go."""

    def buy() -> dict[str, Any]:
        return pump_fun_buy(
            wallet=wallet,
            mint=mint,
            sol_to_curve=1_000_000_000,
            protocol_fee=9_500_000,
            creator_fee=3_000_000,
            tokens=30_000_000_000_000,
        )

    def with_(**fields: Any) -> dict[str, Any]:
        payload = buy()
        payload.update(fields)
        return payload

    def without(key: str) -> dict[str, Any]:
        payload = buy()
        del payload[key]
        return payload

    def wallet_entry(value: Any) -> dict[str, Any]:
        payload = buy()
        payload["accountData"][0]["nativeBalanceChange"] = value
        return payload

    def token_change(value: Any) -> dict[str, Any]:
        payload = buy()
        for entry in payload["accountData"]:
            for change in entry["tokenBalanceChanges"]:
                change["rawTokenAmount"]["tokenAmount"] = value
        return payload

    return [
        ("an array instead of an object", [buy()]),
        ("a string", "not a transaction"),
        ("None", None),
        ("empty object", {}),
        ("no signature", without("signature")),
        ("no timestamp", without("timestamp")),
        ("no feePayer", without("feePayer")),
        ("slot as a string", with_(slot="352114861")),
        ("fee as a string", with_(fee="105000")),
        ("timestamp as a float", with_(timestamp=1_761_312_456.5)),
        ("timestamp beyond year 9999", with_(timestamp=10**15)),
        ("signature as a number", with_(signature=12345)),
        ("accountData as an object", with_(accountData={"account": wallet})),
        ("accountData entries as strings", with_(accountData=[wallet, mint])),
        ("tokenTransfers as a string", with_(tokenTransfers="none")),
        ("nativeBalanceChange as a string", wallet_entry("-1000")),
        ("nativeBalanceChange as a float", wallet_entry(-1000.5)),
        ("nativeBalanceChange as a bool", wallet_entry(True)),
        ("raw token amount not a number", token_change("lots")),
        ("raw token amount as a float", token_change(1.5)),
        ("raw token amount as a list", token_change([1])),
    ]
