"""Renders chain events as Solana JSON-RPC `getTransaction` results (encoding "json").

Why derived from the same records as the Helius payloads: a client that falls back from
webhooks to RPC polling must see the very same balances, so both come from one event.
"""

from __future__ import annotations

from typing import Any

from walltrack.sim.constants import (
    ATA_RENT,
    COMPUTE_BUDGET_PROGRAM,
    JUPITER_PROGRAM,
    MINT_RENT,
    PUMP_AMM_PROGRAM,
    PUMP_PROGRAM,
    SYSTEM_PROGRAM,
    TOKEN_DECIMALS,
    TOKEN_PROGRAM,
    TOKEN_TOTAL_SUPPLY,
)
from walltrack.sim.events import ChainEvent, CreateEvent, MigrateEvent, SwapEvent, TransferEvent
from walltrack.sim.market import Market

type Json = dict[str, Any]

_FEE_SINK_BASE = 250 * 10**9


def ui_amount(raw: int, decimals: int) -> Json:
    """The `uiTokenAmount` / `tokenAmount` object of the RPC."""
    text = f"{raw / 10**decimals:.{decimals}f}".rstrip("0").rstrip(".") if raw else "0"
    return {
        "amount": str(raw),
        "decimals": decimals,
        "uiAmount": raw / 10**decimals,
        "uiAmountString": text,
    }


def _token_balance(index: int, mint: str, owner: str, raw: int) -> Json:
    return {
        "accountIndex": index,
        "mint": mint,
        "owner": owner,
        "programId": TOKEN_PROGRAM,
        "uiTokenAmount": ui_amount(raw, TOKEN_DECIMALS),
    }


class TransactionRenderer:
    """`getTransaction` results for a market's events."""

    def __init__(self, market: Market) -> None:
        self._market = market
        self._curve_fee = market.keys.address("pump-fee-recipient", 0)
        self._pool_fee = market.keys.address("pumpswap-fee-recipient", 0)

    def render(self, event: ChainEvent, blockhash: str) -> Json:
        """The result object (slot, blockTime, meta, transaction, version)."""
        if type(event) is SwapEvent:
            keys, pre, post, pre_tok, post_tok, programs = self._swap(event)
            readonly = 5
        elif type(event) is TransferEvent:
            keys = [event.source, event.destination, SYSTEM_PROGRAM]
            pre = [event.source_before, event.destination_before, 1]
            post = [
                event.source_before - event.lamports - event.fee,
                event.destination_before + event.lamports,
                1,
            ]
            pre_tok, post_tok, programs = [], [], [(2, [0, 1])]
            readonly = 1
        elif type(event) is CreateEvent:
            token = self._market.tokens[event.mint]
            keys = [event.creator, event.mint, token.curve_address, token.curve_vault, PUMP_PROGRAM]
            pre = [event.fee + 10**9, 0, 0, 0, 1]
            post = [10**9, MINT_RENT, 1_231_920, ATA_RENT, 1]
            pre_tok = []
            post_tok = [_token_balance(3, event.mint, token.curve_address, TOKEN_TOTAL_SUPPLY)]
            programs = [(4, [0, 1, 2, 3])]
            readonly = 1
        else:
            assert isinstance(event, MigrateEvent)
            keys, pre, post, pre_tok, post_tok, programs = self._migrate(event)
            readonly = 2
        return {
            "slot": event.slot,
            "blockTime": event.timestamp,
            "version": 0,
            "meta": {
                "err": None,
                "status": {"Ok": None},
                "fee": event.fee,
                "preBalances": pre,
                "postBalances": post,
                "innerInstructions": [],
                "logMessages": _logs(keys, programs),
                "preTokenBalances": pre_tok,
                "postTokenBalances": post_tok,
                "rewards": [],
                "loadedAddresses": {"writable": [], "readonly": []},
                "computeUnitsConsumed": 60_000 + event.seq % 40_000,
            },
            "transaction": {
                "signatures": [event.signature],
                "message": {
                    "header": {
                        "numRequiredSignatures": 1,
                        "numReadonlySignedAccounts": 0,
                        "numReadonlyUnsignedAccounts": readonly,
                    },
                    "accountKeys": keys,
                    "recentBlockhash": blockhash,
                    "instructions": [
                        {
                            "programIdIndex": index,
                            "accounts": accounts,
                            "data": event.signature[8:30],
                            "stackHeight": None,
                        }
                        for index, accounts in programs
                    ],
                    "addressTableLookups": [],
                },
            },
        }

    def _swap(
        self, e: SwapEvent
    ) -> tuple[
        list[str], list[int], list[int], list[Json], list[Json], list[tuple[int, list[int]]]
    ]:
        token = self._market.tokens[e.mint]
        ata = self._market.keys.ata(e.wallet, e.mint)
        sign = 1 if e.is_buy else -1
        if e.on_curve:
            sol_account, vault, owner = token.curve_address, token.curve_vault, token.curve_address
            fee_sink, program = self._curve_fee, PUMP_PROGRAM
        else:
            sol_account, vault = token.pool_quote_vault, token.pool_base_vault
            owner, fee_sink, program = token.pool_address, self._pool_fee, PUMP_AMM_PROGRAM
        if e.venue == "JUPITER":
            program = JUPITER_PROGRAM
        keys = [
            e.wallet,
            ata,
            sol_account,
            vault,
            fee_sink,
            token.creator_vault,
            e.mint,
            program,
            TOKEN_PROGRAM,
            SYSTEM_PROGRAM,
            COMPUTE_BUDGET_PROGRAM,
        ]
        pool_sol = e.pool_sol_before + ATA_RENT
        pre = [
            e.sol_before,
            ATA_RENT - e.rent,
            pool_sol,
            ATA_RENT,
            _FEE_SINK_BASE,
            _FEE_SINK_BASE,
            MINT_RENT,
            1,
            1,
            1,
            1,
        ]
        post = [
            e.sol_before + e.wallet_sol_change,
            ATA_RENT,
            pool_sol + sign * e.sol,
            ATA_RENT,
            _FEE_SINK_BASE + e.protocol_fee,
            _FEE_SINK_BASE + e.creator_fee,
            MINT_RENT,
            1,
            1,
            1,
            1,
        ]
        pre_tok = [_token_balance(3, e.mint, owner, e.pool_tokens_before)]
        if not e.rent:
            pre_tok.insert(0, _token_balance(1, e.mint, e.wallet, e.tokens_before))
        post_tok = [
            _token_balance(1, e.mint, e.wallet, e.tokens_before + sign * e.tokens),
            _token_balance(3, e.mint, owner, e.pool_tokens_before - sign * e.tokens),
        ]
        return keys, pre, post, pre_tok, post_tok, [(10, []), (7, [0, 1, 2, 3, 4, 5, 6])]

    def _migrate(
        self, e: MigrateEvent
    ) -> tuple[
        list[str], list[int], list[int], list[Json], list[Json], list[tuple[int, list[int]]]
    ]:
        token = self._market.tokens[e.mint]
        authority = self._market.keys.address("pump-migration-authority", 0)
        keys = [
            authority,
            e.curve,
            token.pool_quote_vault,
            token.pool_base_vault,
            e.pool,
            e.mint,
            PUMP_PROGRAM,
        ]
        pre = [10**9, e.sol + ATA_RENT, ATA_RENT, ATA_RENT, 0, MINT_RENT, 1]
        post = [10**9 - e.fee, ATA_RENT, ATA_RENT + e.sol, ATA_RENT, 0, MINT_RENT, 1]
        post_tok = [_token_balance(3, e.mint, e.pool, e.tokens)]
        return keys, pre, post, [], post_tok, [(6, [0, 1, 2, 3, 4, 5])]


def _logs(keys: list[str], programs: list[tuple[int, list[int]]]) -> list[str]:
    lines: list[str] = []
    for index, _ in programs:
        program = keys[index]
        lines += [f"Program {program} invoke [1]", f"Program {program} success"]
    return lines
