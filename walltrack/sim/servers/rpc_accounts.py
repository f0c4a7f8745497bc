"""Account reads of the fake RPC: balances, token accounts, mints, largest holders.

Why real layouts: getAccountInfo with base64 returns the genuine 82-byte SPL mint and
165-byte token account layouts, so clients decoding them with solders or by hand work.
"""

from __future__ import annotations

import base64
import struct
from typing import Any

from solders.pubkey import Pubkey

from walltrack.sim.constants import (
    ATA_RENT,
    MINT_RENT,
    PUMP_AMM_PROGRAM,
    PUMP_PROGRAM,
    SYSTEM_PROGRAM,
    TOKEN_DECIMALS,
    TOKEN_PROGRAM,
    TOKEN_TOTAL_SUPPLY,
)
from walltrack.sim.market import CURVE_SUPPLY_RESERVED
from walltrack.sim.rpc_render import ui_amount
from walltrack.sim.servers.context import SimServices
from walltrack.sim.tokens import SimToken

type Json = dict[str, Any]

RENT_EPOCH = 18_446_744_073_709_551_615


def _key(address: str | None) -> bytes:
    return bytes(Pubkey.from_string(address)) if address else bytes(32)


def _coption_key(address: str | None) -> bytes:
    return (struct.pack("<I", 1) + _key(address)) if address else bytes(36)


def mint_bytes(token: SimToken) -> bytes:
    """The SPL Token mint layout (82 bytes)."""
    freeze = token.creator if token.script.freeze_authority else None
    return (
        _coption_key(None)
        + struct.pack("<QB?", TOKEN_TOTAL_SUPPLY, TOKEN_DECIMALS, True)
        + _coption_key(freeze)
    )


def token_account_bytes(mint: str, owner: str, amount: int) -> bytes:
    """The SPL Token account layout (165 bytes), initialized, not native."""
    return (
        _key(mint)
        + _key(owner)
        + struct.pack("<Q", amount)
        + bytes(36)
        + bytes([1])
        + bytes(12)
        + struct.pack("<Q", 0)
        + bytes(36)
    )


def token_account_json(mint: str, owner: str, amount: int, encoding: str) -> Json:
    """An account object for a token account, in `encoding`."""
    if encoding == "jsonParsed":
        data: Any = {
            "program": "spl-token",
            "parsed": {
                "type": "account",
                "info": {
                    "isNative": False,
                    "mint": mint,
                    "owner": owner,
                    "state": "initialized",
                    "tokenAmount": ui_amount(amount, TOKEN_DECIMALS),
                },
            },
            "space": 165,
        }
    else:
        data = [base64.b64encode(token_account_bytes(mint, owner, amount)).decode(), "base64"]
    return {
        "data": data,
        "executable": False,
        "lamports": ATA_RENT,
        "owner": TOKEN_PROGRAM,
        "rentEpoch": RENT_EPOCH,
        "space": 165,
    }


def account_info(services: SimServices, address: str, encoding: str) -> Json | None:
    """getAccountInfo's value for `address` (None when the account does not exist)."""
    market = services.world.market
    token = market.tokens.get(address)
    if token is not None:
        if encoding == "jsonParsed":
            freeze = token.creator if token.script.freeze_authority else None
            data: Any = {
                "program": "spl-token",
                "parsed": {
                    "type": "mint",
                    "info": {
                        "decimals": TOKEN_DECIMALS,
                        "freezeAuthority": freeze,
                        "isInitialized": True,
                        "mintAuthority": None,
                        "supply": str(TOKEN_TOTAL_SUPPLY),
                    },
                },
                "space": 82,
            }
        else:
            data = [base64.b64encode(mint_bytes(token)).decode(), "base64"]
        return {
            "data": data,
            "executable": False,
            "lamports": MINT_RENT,
            "owner": TOKEN_PROGRAM,
            "rentEpoch": RENT_EPOCH,
            "space": 82,
        }
    holder = market.ledger.token_accounts.get(address)
    if holder is not None:
        owner, mint = holder
        return token_account_json(mint, owner, market.ledger.tokens(owner, mint), encoding)
    pool_token = market.pools.get(address)
    if pool_token is not None:
        on_curve = address == pool_token.curve_address
        reserve = pool_token.reserves()[0] if address == pool_token.trading_address else 0
        return {
            "data": ["", "base64"],
            "executable": False,
            "lamports": reserve + 1_500_000,
            "owner": PUMP_PROGRAM if on_curve else PUMP_AMM_PROGRAM,
            "rentEpoch": RENT_EPOCH,
            "space": 0,
        }
    lamports = market.ledger.sol.get(address)
    if lamports is None:
        return None
    return {
        "data": ["", "base64"],
        "executable": False,
        "lamports": lamports,
        "owner": SYSTEM_PROGRAM,
        "rentEpoch": RENT_EPOCH,
        "space": 0,
    }


def token_accounts_by_owner(
    services: SimServices, owner: str, mint: str | None, program: str | None, encoding: str
) -> list[Json]:
    """getTokenAccountsByOwner's value list."""
    market = services.world.market
    if program is not None and program != TOKEN_PROGRAM:
        return []
    found = []
    for held_mint in market.ledger.owner_mints.get(owner, []):
        if mint is not None and held_mint != mint:
            continue
        amount = market.ledger.tokens(owner, held_mint)
        found.append(
            {
                "pubkey": market.keys.ata(owner, held_mint),
                "account": token_account_json(held_mint, owner, amount, encoding),
            }
        )
    return found


def largest_accounts(services: SimServices, mint: str, limit: int = 20) -> list[Json] | None:
    """getTokenLargestAccounts' value (None for an unknown mint)."""
    market = services.world.market
    token = market.tokens.get(mint)
    if token is None:
        return None
    holders = market.ledger.largest_holders(mint, limit)
    if token.pool is not None:
        vault = (token.pool_base_vault, token.pool.token_reserve)
    else:
        vault = (token.curve_vault, token.curve.real_tokens + CURVE_SUPPLY_RESERVED)
    rows = [(market.keys.ata(owner, mint), amount) for owner, amount in holders]
    rows.append(vault)
    rows.sort(key=lambda row: row[1], reverse=True)
    return [
        {"address": address, **ui_amount(amount, TOKEN_DECIMALS)}
        for address, amount in rows[:limit]
    ]
