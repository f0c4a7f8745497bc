"""A small builder of Helius enhanced transactions whose fields agree with each other.

Why: hand-written payloads drift (a transfer without its balance change, a fee forgotten).
The builder books every movement once and derives `nativeTransfers`, `tokenTransfers` and
`accountData` from it, like Helius does from a confirmed transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any

from solders.pubkey import Pubkey
from solders.signature import Signature

from walltrack.domain.swap_types import WSOL_MINT

RENT_TOKEN_ACCOUNT = 2_039_280  # rent-exempt minimum of a 165-byte SPL token account
USDC_MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
SYSTEM_PROGRAM = "11111111111111111111111111111111"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
COMPUTE_BUDGET = "ComputeBudget111111111111111111111111111111"


def address(name: str) -> str:
    """A valid, deterministic base58 address named by `name`."""
    return str(Pubkey(hashlib.sha256(name.encode()).digest()))


def signature_of(name: str) -> str:
    """A valid, deterministic base58 transaction signature."""
    return str(Signature(hashlib.sha512(name.encode()).digest()))


def ui_amount(raw: int, decimals: int) -> float | int:
    """What Helius puts in `tokenTransfers[].tokenAmount`: the raw amount over 10**decimals."""
    value = raw / 10**decimals
    return int(value) if value.is_integer() else value


class TxBuilder:
    """Books SOL and token movements and renders one enhanced transaction dict."""

    def __init__(
        self,
        *,
        name: str,
        fee_payer: str,
        tx_type: str,
        source: str,
        fee: int = 5_000,
        slot: int = 352_114_861,
        timestamp: int = 1_761_312_456,
    ) -> None:
        self.name = name
        self.fee_payer = fee_payer
        self.tx_type = tx_type
        self.source = source
        self.fee = fee
        self.slot = slot
        self.timestamp = timestamp
        self.description = ""
        self.events: Any = {}
        self._native: dict[str, int] = {fee_payer: 0}
        self._balances: dict[str, dict[tuple[str, str], list[int]]] = {}
        self._native_transfers: list[dict[str, Any]] = []
        self._token_transfers: list[dict[str, Any]] = []
        self._instructions: list[dict[str, Any]] = []
        self.touch(COMPUTE_BUDGET)

    def touch(self, *accounts: str) -> TxBuilder:
        """List accounts in `accountData` even when nothing changes for them."""
        for account in accounts:
            self._native.setdefault(account, 0)
        return self

    def lamports(self, account: str, delta: int) -> TxBuilder:
        """A balance change no transfer explains (program-owned accounts debited directly)."""
        self._native[account] = self._native.get(account, 0) + delta
        return self

    def send_sol(self, source: str, target: str, amount: int, *, listed: bool = True) -> TxBuilder:
        """A system transfer (or an account close) of `amount` lamports."""
        self.lamports(source, -amount).lamports(target, amount)
        if listed:
            self._native_transfers.append(
                {"fromUserAccount": source, "toUserAccount": target, "amount": amount}
            )
        return self

    def create_token_account(self, payer: str, account: str) -> TxBuilder:
        """The payer funds the rent of a new token account."""
        return self.send_sol(payer, account, RENT_TOKEN_ACCOUNT)

    def move_token(
        self,
        mint: str,
        decimals: int,
        raw: int,
        *,
        source: tuple[str, str],
        target: tuple[str, str],
        listed: bool = True,
    ) -> TxBuilder:
        """An SPL transfer of `raw` units between (owner, token account) pairs.

        wSOL carries its lamports with it, as the token program does for native accounts.
        """
        (from_owner, from_account), (to_owner, to_account) = source, target
        self._book(from_account, from_owner, mint, decimals, -raw)
        self._book(to_account, to_owner, mint, decimals, raw)
        if mint == WSOL_MINT:
            self.lamports(from_account, -raw).lamports(to_account, raw)
        if listed:
            self._token_transfers.append(
                {
                    "fromTokenAccount": from_account,
                    "toTokenAccount": to_account,
                    "fromUserAccount": from_owner,
                    "toUserAccount": to_owner,
                    "tokenAmount": ui_amount(raw, decimals),
                    "mint": mint,
                    "tokenStandard": "Fungible",
                }
            )
        return self

    def mint_to(self, mint: str, decimals: int, raw: int, *, owner: str, account: str) -> None:
        """Tokens appear in an account (a wSOL SyncNative after a system transfer)."""
        self._book(account, owner, mint, decimals, raw)

    def program(self, program_id: str, *inner: str) -> TxBuilder:
        """An instruction of `program_id` with inner instructions of `inner` programs."""
        self._instructions.append(
            {
                "accounts": [],
                "data": "",
                "programId": program_id,
                "innerInstructions": [{"accounts": [], "data": "", "programId": p} for p in inner],
            }
        )
        return self.touch(program_id, *inner)

    def build(self) -> dict[str, Any]:
        """Render the transaction, the network fee taken from the fee payer."""
        native = dict(self._native)
        native[self.fee_payer] -= self.fee
        for account in self._balances:
            native.setdefault(account, 0)
        account_data = [
            {
                "account": account,
                "nativeBalanceChange": change,
                "tokenBalanceChanges": self._changes_of(account),
            }
            for account, change in native.items()
        ]
        return {
            "description": self.description,
            "type": self.tx_type,
            "source": self.source,
            "fee": self.fee,
            "feePayer": self.fee_payer,
            "signature": signature_of(self.name),
            "slot": self.slot,
            "timestamp": self.timestamp,
            "tokenTransfers": list(self._token_transfers),
            "nativeTransfers": list(self._native_transfers),
            "accountData": account_data,
            "transactionError": None,
            "instructions": list(self._instructions),
            "events": self.events,
        }

    def _book(self, account: str, owner: str, mint: str, decimals: int, raw: int) -> None:
        entry = self._balances.setdefault(account, {}).setdefault((owner, mint), [0, decimals])
        entry[0] += raw

    def _changes_of(self, account: str) -> list[dict[str, Any]]:
        return [
            {
                "userAccount": owner,
                "tokenAccount": account,
                "rawTokenAmount": {"tokenAmount": str(raw), "decimals": decimals},
                "mint": mint,
            }
            for (owner, mint), (raw, decimals) in self._balances.get(account, {}).items()
            if raw != 0
        ]


def raw_change(owner: str, account: str, mint: str, raw: int, decimals: int) -> dict[str, Any]:
    """One TokenBalanceChange, the shape of `events.swap.tokenInputs/Outputs`."""
    return {
        "userAccount": owner,
        "tokenAccount": account,
        "rawTokenAmount": {"tokenAmount": str(raw), "decimals": decimals},
        "mint": mint,
    }


def swap_event(
    *,
    native_input: tuple[str, int] | None = None,
    native_output: tuple[str, int] | None = None,
    token_inputs: list[dict[str, Any]] | None = None,
    token_outputs: list[dict[str, Any]] | None = None,
    inner_sources: tuple[str, ...] = (),
) -> dict[str, Any]:
    """`events.swap` as Helius parses it for Jupiter and Raydium (amounts as strings)."""

    def native(side: tuple[str, int] | None) -> dict[str, str] | None:
        return None if side is None else {"account": side[0], "amount": str(side[1])}

    return {
        "swap": {
            "nativeInput": native(native_input),
            "nativeOutput": native(native_output),
            "tokenInputs": token_inputs or [],
            "tokenOutputs": token_outputs or [],
            "tokenFees": [],
            "nativeFees": [],
            "innerSwaps": [
                {
                    "tokenInputs": [],
                    "tokenOutputs": [],
                    "tokenFees": [],
                    "nativeFees": [],
                    "programInfo": {"source": source, "account": address(source)},
                }
                for source in inner_sources
            ],
        }
    }
