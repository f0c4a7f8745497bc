"""Read one Helius enhanced transaction into the tracked wallet's SOL and token flows.

Why balance changes first: Helius parses only some venues into `events.swap` (pump.fun and
PumpSwap trades often arrive without it, typed TRANSFER or UNKNOWN), while `accountData`
always carries the signed balance deltas. The wallet's SOL leg is its own native delta plus
the lamports of its token accounts (so wSOL is folded in and ATA rent, which stays the
wallet's, cancels out), plus the network fee when the wallet paid it. Only when the wallet's
own entry is missing (trimmed payloads) are the SOL transfers across the wallet's boundary
summed instead; a token the balances do not show is read from `tokenTransfers`.

Shape errors raise `PayloadError`; the classifier turns every error into NotASwap.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, NamedTuple

from walltrack.domain.swap_types import WSOL_MINT, NotASwapReason

_MAX_TIMESTAMP = 253_402_300_800  # 10000-01-01: datetime cannot go further
_MAX_DECIMALS = 30
_POW10 = tuple(Decimal(10) ** n for n in range(_MAX_DECIMALS + 1))
_INT_POW10: tuple[int, ...] = tuple(int(10**n) for n in range(_MAX_DECIMALS + 1))
_WSOL_DECIMALS = 9
_NO_ITEMS: tuple[Any, ...] = ()


class PayloadError(Exception):
    """The payload cannot be read as a swap; carries the NotASwap reason."""

    def __init__(self, reason: NotASwapReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def malformed(detail: str) -> PayloadError:
    """A PayloadError for a missing field or a value of the wrong type."""
    return PayloadError(NotASwapReason.MALFORMED, detail)


class Header(NamedTuple):
    """The top-level fields every enhanced transaction carries.

    A NamedTuple, not a frozen dataclass: built once per classification on the webhook
    path, where a frozen dataclass's per-field `object.__setattr__` cost three times more.
    """

    signature: str
    slot: int
    timestamp: int  # unix seconds
    fee: int  # lamports
    fee_payer: str
    venue: str
    tx_type: str


class WalletFlows(NamedTuple):
    """Net movements of one wallet in one transaction (a NamedTuple, as Header)."""

    involved: bool  # the wallet appears in balances or transfers
    sol_delta: int  # lamports, network fee and ATA rent excluded, wSOL folded in
    token_deltas: dict[str, int]  # mint -> signed raw amount, wSOL excluded
    decimals: dict[str, int]
    token_accounts: frozenset[str]  # the wallet's token accounts seen in the payload


def items(tx: dict[str, Any], key: str) -> list[Any] | tuple[Any, ...]:
    """A list field that may be absent or null; anything but a list is malformed."""
    value = tx.get(key)
    if value is None:
        return _NO_ITEMS
    if type(value) is not list:
        raise malformed(f"{key} is not a list")
    return value


def read_header(tx: dict[str, Any]) -> Header:
    """Validate and read the top-level fields."""
    signature = tx.get("signature")
    if type(signature) is not str or not signature:
        raise malformed("signature is missing or not a string")
    slot = tx.get("slot")
    if type(slot) is not int or slot < 0:
        raise malformed("slot is missing or not a non-negative integer")
    timestamp = tx.get("timestamp")
    if type(timestamp) is not int or not 0 <= timestamp < _MAX_TIMESTAMP:
        raise malformed("timestamp is missing or not unix seconds")
    fee = tx.get("fee")
    if type(fee) is not int or fee < 0:
        raise malformed("fee is missing or not a non-negative integer")
    fee_payer = tx.get("feePayer")
    if type(fee_payer) is not str or not fee_payer:
        raise malformed("feePayer is missing or not a string")
    source = tx.get("source")
    tx_type = tx.get("type")
    return Header(
        signature=signature,
        slot=slot,
        timestamp=timestamp,
        fee=fee,
        fee_payer=fee_payer,
        venue=source if type(source) is str and source else "UNKNOWN",
        tx_type=tx_type if type(tx_type) is str else "",
    )


def lamports(value: object, what: str) -> int:
    """A signed integer number of lamports."""
    if type(value) is not int:
        raise malformed(f"{what} is not an integer")
    return value


def raw_amount(raw: Any) -> tuple[int, int]:
    """`rawTokenAmount` -> (signed raw amount, decimals)."""
    amount = raw["tokenAmount"]
    if type(amount) is str:
        value = int(amount)
    elif type(amount) is int:
        value = amount
    else:
        raise malformed("rawTokenAmount.tokenAmount is not an integer string")
    return value, decimals_of(raw["decimals"])


def decimals_of(value: object) -> int:
    """Token decimals: a small non-negative integer."""
    if type(value) is not int or not 0 <= value <= _MAX_DECIMALS:
        raise malformed("decimals is not an integer in 0..30")
    return value


def ui_to_raw(value: object, decimals: int) -> int:
    """A `tokenTransfers` UI amount (already divided by 10**decimals) back to raw units."""
    if type(value) is int:
        return value * _INT_POW10[decimals]
    if type(value) is float and math.isfinite(value):
        scaled = Decimal(repr(value)) * _POW10[decimals]
        return int(scaled.to_integral_value(rounding=ROUND_HALF_EVEN))
    raise malformed("tokenTransfers.tokenAmount is not a number")


def read_wallet_flows(tx: dict[str, Any], wallet: str, header: Header) -> WalletFlows:
    """The wallet's SOL delta and per-mint token deltas in this transaction."""
    token_transfers = items(tx, "tokenTransfers")
    owned, transfer_mints = _wallet_side_of_transfers(token_transfers, wallet)
    deltas: dict[str, int] = {}
    decimals: dict[str, int] = {}
    wallet_native, owned_native = _scan_balances(
        items(tx, "accountData"), wallet, owned=owned, deltas=deltas, decimals=decimals
    )
    transfer_mints.discard(WSOL_MINT)
    if not transfer_mints.issubset(deltas):
        _add_transfer_only_tokens(
            tx, wallet, owned=owned, token_transfers=token_transfers, deltas=deltas,
            decimals=decimals,
        )  # fmt: skip
    if wallet_native is not None:
        paid_fee = header.fee if header.fee_payer == wallet else 0
        sol_delta = wallet_native + owned_native + paid_fee
        involved = True
    else:
        sol_delta, moved = _sol_from_transfers(tx, wallet, owned, token_transfers)
        involved = moved or bool(owned) or bool(deltas)
    return WalletFlows(
        involved=involved,
        sol_delta=sol_delta,
        token_deltas=deltas,
        decimals=decimals,
        token_accounts=frozenset(owned),
    )


def _wallet_side_of_transfers(token_transfers: Any, wallet: str) -> tuple[set[str], set[object]]:
    """The wallet's token accounts named in `tokenTransfers`, and the mints it moved there."""
    owned: set[str] = set()
    mints: set[object] = set()
    for transfer in token_transfers:
        if transfer.get("fromUserAccount") == wallet:
            _add_account(owned, transfer.get("fromTokenAccount"))
            mints.add(transfer.get("mint"))
        if transfer.get("toUserAccount") == wallet:
            _add_account(owned, transfer.get("toTokenAccount"))
            mints.add(transfer.get("mint"))
    return owned, mints


def _scan_balances(
    account_data: Any,
    wallet: str,
    *,
    owned: set[str],
    deltas: dict[str, int],
    decimals: dict[str, int],
) -> tuple[int | None, int]:
    """One pass over `accountData`: the wallet's native delta (None when its entry is
    missing) and its token accounts' native deltas; fills `deltas`, `decimals`, `owned`."""
    wallet_native: int | None = None
    owned_native = 0
    for entry in account_data:
        account = entry["account"]
        is_wallet = account == wallet
        if is_wallet:
            wallet_native = lamports(entry["nativeBalanceChange"], "nativeBalanceChange")
        mine = account in owned
        changes = entry.get("tokenBalanceChanges")
        if changes:
            for change in changes:
                if change["userAccount"] != wallet:
                    continue
                mine = True
                mint = change["mint"]
                if type(mint) is not str or not mint:
                    raise malformed("tokenBalanceChanges.mint is not an address")
                if mint != WSOL_MINT:
                    amount, mint_decimals = raw_amount(change["rawTokenAmount"])
                    deltas[mint] = deltas.get(mint, 0) + amount
                    decimals[mint] = mint_decimals
        if mine and not is_wallet:
            owned_native += lamports(entry["nativeBalanceChange"], "nativeBalanceChange")
            owned.add(account)
    return wallet_native, owned_native


def _add_account(owned: set[str], account: object) -> None:
    if type(account) is str and account:
        owned.add(account)


def _side_of(transfer: Any, prefix: str, wallet: str, owned: set[str]) -> bool:
    """Whether the `from`/`to` end of a transfer belongs to the wallet."""
    if transfer.get(prefix + "UserAccount") == wallet:
        return True
    account = transfer.get(prefix + "TokenAccount")
    return type(account) is str and account in owned


def _sol_from_transfers(
    tx: dict[str, Any], wallet: str, owned: set[str], token_transfers: Any
) -> tuple[int, bool]:
    """SOL and wSOL that crossed the wallet's boundary, for payloads without its balance."""
    sol = 0
    moved = False
    for transfer in items(tx, "nativeTransfers"):
        source = transfer.get("fromUserAccount")
        target = transfer.get("toUserAccount")
        out = source == wallet or (type(source) is str and source in owned)
        into = target == wallet or (type(target) is str and target in owned)
        if out != into:
            amount = lamports(transfer.get("amount"), "nativeTransfers.amount")
            sol += amount if into else -amount
            moved = True
    for transfer in token_transfers:
        if transfer.get("mint") != WSOL_MINT:
            continue
        out = _side_of(transfer, "from", wallet, owned)
        into = _side_of(transfer, "to", wallet, owned)
        if out != into:
            amount = ui_to_raw(transfer.get("tokenAmount"), _WSOL_DECIMALS)
            sol += amount if into else -amount
            moved = True
    return sol, moved


def _add_transfer_only_tokens(
    tx: dict[str, Any],
    wallet: str,
    *,
    owned: set[str],
    token_transfers: Any,
    deltas: dict[str, int],
    decimals: dict[str, int],
) -> None:
    """Tokens the wallet moved that its balance changes do not show (partial accountData)."""
    ui_amounts: dict[str, list[tuple[object, bool]]] = {}
    for transfer in token_transfers:
        mint = transfer.get("mint")
        if type(mint) is not str or not mint or mint == WSOL_MINT or mint in deltas:
            continue
        out = _side_of(transfer, "from", wallet, owned)
        into = _side_of(transfer, "to", wallet, owned)
        if out != into:
            ui_amounts.setdefault(mint, []).append((transfer.get("tokenAmount"), into))
    if not ui_amounts:
        return
    known = find_decimals(tx, set(ui_amounts))
    for mint, amounts in ui_amounts.items():
        if mint not in known:
            raise PayloadError(
                NotASwapReason.UNKNOWN_DECIMALS,
                f"{mint} moved only in tokenTransfers and no balance change gives its decimals",
            )
        mint_decimals = known[mint]
        total = 0
        for ui_amount, into in amounts:
            raw = ui_to_raw(ui_amount, mint_decimals)
            total += raw if into else -raw
        deltas[mint] = total
        decimals[mint] = mint_decimals


def find_decimals(tx: dict[str, Any], mints: set[str]) -> dict[str, int]:
    """Decimals of `mints` from any raw token amount in the payload (balances, swap event)."""
    found: dict[str, int] = {}
    for entry in items(tx, "accountData"):
        for change in entry.get("tokenBalanceChanges") or _NO_ITEMS:
            if change.get("mint") in mints:
                found[change["mint"]] = decimals_of(change["rawTokenAmount"]["decimals"])
    events = tx.get("events")
    swap = events.get("swap") if type(events) is dict else None
    if type(swap) is dict:
        for key in ("tokenInputs", "tokenOutputs", "tokenFees"):
            for change in swap.get(key) or _NO_ITEMS:
                if change.get("mint") in mints:
                    found[change["mint"]] = decimals_of(change["rawTokenAmount"]["decimals"])
    return found
