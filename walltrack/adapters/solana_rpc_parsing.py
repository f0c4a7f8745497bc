"""Solana JSON-RPC results (api-formats.md §5.2) turned into WallTrack values.

Why: one place knows the wire shapes (context wrappers, string amounts, jsonParsed account
data, v0 loaded addresses), so the client only chooses methods and parameters.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from solders.transaction import VersionedTransaction

from walltrack.adapters.json_fields import (
    arr,
    compact_json,
    from_unix_s,
    obj,
    opt_int,
    opt_str,
    req_int,
    req_str,
)
from walltrack.domain.venues import (
    AccountInfo,
    ConfirmedTransaction,
    LatestBlockhash,
    MintInfo,
    SignatureInfo,
    SignatureStatus,
    SimulationResult,
    TokenAccount,
    TokenBalance,
    TokenHolder,
)

VENUE = "solana_rpc"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"  # noqa: S105 - a program id
TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"  # noqa: S105 - a program id


def context_value(result: Any) -> tuple[int, Any]:
    """(`context.slot`, `value`) of a context-wrapped result."""
    wrapper = obj(result, VENUE, "context result")
    context = wrapper.get("context")
    slot = opt_int(context.get("slot")) if isinstance(context, Mapping) else None
    return slot or 0, wrapper.get("value")


def parse_balance(result: Any) -> int:
    """getBalance: lamports."""
    _, value = context_value(result)
    lamports = opt_int(value)
    if lamports is None:
        return req_int(obj(value, VENUE, "balance"), "lamports", VENUE)
    return lamports


def parse_signature_infos(result: Any) -> tuple[SignatureInfo, ...]:
    """getSignaturesForAddress: a bare array, newest first."""
    infos = []
    for item in arr(result, VENUE, "signatures"):
        entry = obj(item, VENUE, "signature info")
        infos.append(
            SignatureInfo(
                signature=req_str(entry, "signature", VENUE),
                slot=req_int(entry, "slot", VENUE),
                block_time=from_unix_s(entry.get("blockTime")),
                err=compact_json(entry.get("err")),
                memo=opt_str(entry.get("memo")),
                confirmation_status=opt_str(entry.get("confirmationStatus")),
            )
        )
    return tuple(infos)


def _token_balances(items: Any) -> tuple[TokenBalance, ...]:
    balances = []
    for item in arr(items, VENUE, "token balances"):
        entry = obj(item, VENUE, "token balance")
        amount = obj(entry.get("uiTokenAmount"), VENUE, "uiTokenAmount")
        balances.append(
            TokenBalance(
                account_index=req_int(entry, "accountIndex", VENUE),
                mint=req_str(entry, "mint", VENUE),
                owner=opt_str(entry.get("owner")),
                amount=req_int(amount, "amount", VENUE),
                decimals=req_int(amount, "decimals", VENUE),
            )
        )
    return tuple(balances)


def _account_keys(message: Mapping[str, Any], meta: Mapping[str, Any]) -> tuple[str, ...]:
    keys = []
    for key in arr(message.get("accountKeys"), VENUE, "accountKeys"):
        # json encoding gives strings; jsonParsed gives {"pubkey": ...} objects.
        keys.append(
            key if isinstance(key, str) else req_str(obj(key, VENUE, "key"), "pubkey", VENUE)
        )
    loaded = meta.get("loadedAddresses")
    if isinstance(loaded, Mapping):
        keys.extend(str(k) for k in arr(loaded.get("writable"), VENUE, "writable"))
        keys.extend(str(k) for k in arr(loaded.get("readonly"), VENUE, "readonly"))
    return tuple(keys)


def parse_transaction(result: Any, signature: str) -> ConfirmedTransaction | None:
    """getTransaction (json encoding); None when the node does not know it."""
    if result is None:
        return None
    data = obj(result, VENUE, "transaction")
    meta = obj(data.get("meta") or {}, VENUE, "meta")
    transaction = obj(data.get("transaction"), VENUE, "transaction.transaction")
    message = obj(transaction.get("message"), VENUE, "message")
    version = data.get("version")
    return ConfirmedTransaction(
        signature=signature,
        slot=req_int(data, "slot", VENUE),
        block_time=from_unix_s(data.get("blockTime")),
        fee=opt_int(meta.get("fee")) or 0,
        err=compact_json(meta.get("err")),
        version="legacy" if version in (None, "legacy") else str(version),
        account_keys=_account_keys(message, meta),
        pre_balances=tuple(int(b) for b in arr(meta.get("preBalances"), VENUE, "pre")),
        post_balances=tuple(int(b) for b in arr(meta.get("postBalances"), VENUE, "post")),
        pre_token_balances=_token_balances(meta.get("preTokenBalances")),
        post_token_balances=_token_balances(meta.get("postTokenBalances")),
        log_messages=tuple(str(m) for m in arr(meta.get("logMessages"), VENUE, "logs")),
    )


def _parsed_data(account: Mapping[str, Any]) -> tuple[str | None, str | None, Mapping[str, Any]]:
    """(program, parsed type, info) of jsonParsed account data; Nones for raw bytes."""
    data = account.get("data")
    if not isinstance(data, Mapping):
        return None, None, {}
    parsed = data.get("parsed")
    if not isinstance(parsed, Mapping):
        return opt_str(data.get("program")), None, {}
    info = parsed.get("info")
    return (
        opt_str(data.get("program")),
        opt_str(parsed.get("type")),
        info if isinstance(info, Mapping) else {},
    )


def _token_account(
    address: str, account: Mapping[str, Any], info: Mapping[str, Any]
) -> TokenAccount:
    amount = obj(info.get("tokenAmount"), VENUE, "tokenAmount")
    return TokenAccount(
        address=address,
        mint=req_str(info, "mint", VENUE),
        owner=req_str(info, "owner", VENUE),
        amount=req_int(amount, "amount", VENUE),
        decimals=req_int(amount, "decimals", VENUE),
        program_id=opt_str(account.get("owner")) or TOKEN_PROGRAM,
        lamports=opt_int(account.get("lamports")) or 0,
        state=opt_str(info.get("state")) or "initialized",
    )


def parse_account_info(result: Any, address: str) -> AccountInfo | None:
    """getAccountInfo (jsonParsed); mint and token-account data are decoded when present."""
    _, value = context_value(result)
    if value is None:
        return None
    account = obj(value, VENUE, "account")
    program, parsed_type, info = _parsed_data(account)
    owner = req_str(account, "owner", VENUE)
    mint = None
    token_account = None
    if parsed_type == "mint":
        mint = MintInfo(
            address=address,
            decimals=req_int(info, "decimals", VENUE),
            supply=req_int(info, "supply", VENUE),
            mint_authority=opt_str(info.get("mintAuthority")),
            freeze_authority=opt_str(info.get("freezeAuthority")),
            is_initialized=bool(info.get("isInitialized", True)),
            program_id=owner,
        )
    elif parsed_type == "account":
        token_account = _token_account(address, account, info)
    return AccountInfo(
        address=address,
        lamports=req_int(account, "lamports", VENUE),
        owner=owner,
        executable=bool(account.get("executable", False)),
        space=opt_int(account.get("space")),
        program=program,
        parsed_type=parsed_type,
        mint=mint,
        token_account=token_account,
    )


def parse_token_accounts(result: Any) -> tuple[TokenAccount, ...]:
    """getTokenAccountsByOwner (jsonParsed)."""
    _, value = context_value(result)
    accounts = []
    for item in arr(value, VENUE, "token accounts"):
        entry = obj(item, VENUE, "keyed account")
        account = obj(entry.get("account"), VENUE, "account")
        _, parsed_type, info = _parsed_data(account)
        if parsed_type == "account":
            accounts.append(_token_account(req_str(entry, "pubkey", VENUE), account, info))
    return tuple(accounts)


def parse_token_holders(result: Any) -> tuple[TokenHolder, ...]:
    """getTokenLargestAccounts."""
    _, value = context_value(result)
    holders = []
    for item in arr(value, VENUE, "largest accounts"):
        entry = obj(item, VENUE, "largest account")
        holders.append(
            TokenHolder(
                address=req_str(entry, "address", VENUE),
                amount=req_int(entry, "amount", VENUE),
                decimals=req_int(entry, "decimals", VENUE),
            )
        )
    return tuple(holders)


def parse_blockhash(result: Any) -> LatestBlockhash:
    """getLatestBlockhash."""
    slot, value = context_value(result)
    data = obj(value, VENUE, "blockhash")
    return LatestBlockhash(
        blockhash=req_str(data, "blockhash", VENUE),
        last_valid_block_height=req_int(data, "lastValidBlockHeight", VENUE),
        slot=slot,
    )


def parse_simulation(result: Any) -> SimulationResult:
    """simulateTransaction."""
    slot, value = context_value(result)
    data = obj(value, VENUE, "simulation")
    return SimulationResult(
        err=compact_json(data.get("err")),
        logs=tuple(str(line) for line in arr(data.get("logs"), VENUE, "logs")),
        units_consumed=opt_int(data.get("unitsConsumed")),
        slot=slot,
    )


def parse_statuses(result: Any, signatures: list[str]) -> tuple[SignatureStatus | None, ...]:
    """getSignatureStatuses: one entry per asked signature, None when unknown."""
    _, value = context_value(result)
    entries = arr(value, VENUE, "statuses")
    statuses: list[SignatureStatus | None] = []
    for signature, item in zip(signatures, entries, strict=False):
        if item is None:
            statuses.append(None)
            continue
        entry = obj(item, VENUE, "status")
        statuses.append(
            SignatureStatus(
                signature=signature,
                slot=req_int(entry, "slot", VENUE),
                confirmations=opt_int(entry.get("confirmations")),
                err=compact_json(entry.get("err")),
                confirmation_status=opt_str(entry.get("confirmationStatus")),
            )
        )
    statuses.extend([None] * (len(signatures) - len(statuses)))
    return tuple(statuses)


def transaction_signature(transaction_base64: str) -> str | None:
    """The first (fee payer's) signature of a signed base64 transaction; None if unreadable."""
    try:
        raw = base64.b64decode(transaction_base64, validate=True)
        signatures = VersionedTransaction.from_bytes(raw).signatures
    except (ValueError, binascii.Error):
        return None
    return str(signatures[0]) if signatures else None
