"""Small builders shared by the Helius enhanced-transaction renderers.

Why separate: every shape (pump.fun, PumpSwap, Jupiter, transfers) is made of the same
pieces, and their exact field names and types (UI float vs raw string) must not drift.
"""

from __future__ import annotations

from typing import Any

type Json = dict[str, Any]

FUNGIBLE = "Fungible"
CU_LIMIT_DATA = "K1FDJ7"


def sol_text(lamports: int) -> str:
    """Lamports as a human SOL amount for descriptions ("1.5")."""
    return f"{lamports / 1e9:.9f}".rstrip("0").rstrip(".")


def ui_text(raw: int, decimals: int) -> str:
    """Raw units as a human amount for descriptions."""
    return f"{raw / 10**decimals:.{decimals}f}".rstrip("0").rstrip(".")


def native(source: str, destination: str, lamports: int) -> Json:
    """One `nativeTransfers` element."""
    return {"fromUserAccount": source, "toUserAccount": destination, "amount": lamports}


def token_transfer(  # noqa: PLR0917 - hot path, mirrors the wire field order
    source_owner: str,
    destination_owner: str,
    source_account: str,
    destination_account: str,
    raw: int,
    decimals: int,
    mint: str,
) -> Json:
    """One `tokenTransfers` element; `tokenAmount` is a UI number, as Helius sends it."""
    return {
        "fromUserAccount": source_owner,
        "toUserAccount": destination_owner,
        "fromTokenAccount": source_account,
        "toTokenAccount": destination_account,
        "tokenAmount": raw / 10**decimals,
        "mint": mint,
        "tokenStandard": FUNGIBLE,
    }


def balance_change(owner: str, token_account: str, mint: str, raw: int, decimals: int) -> Json:
    """One `tokenBalanceChanges` element; the raw amount is a signed integer string."""
    return {
        "userAccount": owner,
        "tokenAccount": token_account,
        "rawTokenAmount": {"tokenAmount": str(raw), "decimals": decimals},
        "mint": mint,
    }


def account(address: str, lamports: int, changes: list[Json] | None = None) -> Json:
    """One `accountData` element."""
    return {
        "account": address,
        "nativeBalanceChange": lamports,
        "tokenBalanceChanges": changes if changes is not None else [],
    }


def untouched(address: str) -> Json:
    """An `accountData` element of an account the transaction only reads."""
    return {"account": address, "nativeBalanceChange": 0, "tokenBalanceChanges": []}


def instruction(
    program: str, accounts: list[str], data: str, inner: list[Json] | None = None
) -> Json:
    """One top-level `instructions` element."""
    return {
        "accounts": accounts,
        "data": data,
        "programId": program,
        "innerInstructions": inner if inner is not None else [],
    }


def inner_instruction(program: str, accounts: list[str], data: str) -> Json:
    """One `innerInstructions` element."""
    return {"accounts": accounts, "data": data, "programId": program}


def envelope(
    *,
    description: str,
    type_: str,
    source: str,
    fee: int,
    fee_payer: str,
    signature: str,
    slot: int,
    timestamp: int,
    token_transfers: list[Json],
    native_transfers: list[Json],
    account_data: list[Json],
    instructions: list[Json],
    events: Json,
) -> Json:
    """An enhanced transaction in the key order of the REST API (webhooks sort keys)."""
    return {
        "description": description,
        "type": type_,
        "source": source,
        "fee": fee,
        "feePayer": fee_payer,
        "signature": signature,
        "slot": slot,
        "timestamp": timestamp,
        "tokenTransfers": token_transfers,
        "nativeTransfers": native_transfers,
        "accountData": account_data,
        "transactionError": None,
        "instructions": instructions,
        "events": events,
    }
