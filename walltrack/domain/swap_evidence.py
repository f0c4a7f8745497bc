"""Is there evidence that a wallet's token-for-SOL movement was a trade?

Why: balance deltas alone cannot tell a buy from an airdrop claim that also paid rent for a
claim receipt (token in, a little SOL out). Helius' own verdict (type SWAP/BUY/SELL or a
parsed `events.swap`) is trusted when present; otherwise the trade needs a counterparty (the
account that sent the token took the SOL, or the reverse) or a known swap program in the
instructions. Swaps typed TRANSFER or UNKNOWN pass through the counterparty test.
"""

from __future__ import annotations

from typing import Any

from walltrack.domain.swap_parsing import items, lamports, raw_amount
from walltrack.domain.swap_types import WSOL_MINT

SWAP_TYPES = frozenset({"SWAP", "BUY", "SELL"})

SWAP_PROGRAM_IDS = frozenset(
    {
        "6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P",  # pump.fun bonding curve
        "pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA",  # PumpSwap AMM
        "675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8",  # Raydium AMM v4
        "CPMMoo8L3F4NbTegBCKVNunggL7H1ZpdTHKxQB5qKP1C",  # Raydium CPMM
        "CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK",  # Raydium CLMM
        "whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc",  # Orca Whirlpools
        "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4",  # Jupiter v6
        "LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo",  # Meteora DLMM
        "dbcij3LWUppWqq96dh6gJWwBifmcGfLSB5D4DuSMaqN",  # Meteora dynamic bonding curve
    }
)
"""Programs whose presence makes a token-for-SOL movement a trade."""


def helius_says_swap(tx: dict[str, Any], tx_type: str) -> bool:
    """Helius typed the transaction as a trade or parsed a swap event."""
    if tx_type in SWAP_TYPES:
        return True
    events = tx.get("events")
    return type(events) is dict and bool(events.get("swap"))


def calls_swap_program(tx: dict[str, Any]) -> bool:
    """A known swap program is invoked, directly or as an inner instruction."""
    for instruction in items(tx, "instructions"):
        if instruction.get("programId") in SWAP_PROGRAM_IDS:
            return True
        for inner in instruction.get("innerInstructions") or ():
            if inner.get("programId") in SWAP_PROGRAM_IDS:
                return True
    return False


def has_sol_counterparty(
    tx: dict[str, Any], wallet: str, token_accounts: frozenset[str], mint: str, buying: bool
) -> bool:
    """Someone on the other side of the token movement moved SOL the opposite way.

    Buying: an owner that sent `mint` to the wallet received SOL or wSOL. Selling: an owner
    that received `mint` from the wallet paid SOL or wSOL.
    """
    counterparties = _token_counterparties(tx, wallet, token_accounts, mint, buying)
    if not counterparties:
        return False
    sign = 1 if buying else -1  # the counterparty's SOL moves opposite to the wallet's
    for entry in items(tx, "accountData"):
        if (
            entry.get("account") in counterparties
            and lamports(entry.get("nativeBalanceChange"), "nativeBalanceChange") * sign > 0
        ):
            return True
        for change in entry.get("tokenBalanceChanges") or ():
            if change.get("mint") == WSOL_MINT and change.get("userAccount") in counterparties:
                amount, _ = raw_amount(change["rawTokenAmount"])
                if amount * sign > 0:
                    return True
    wallet_end, other_end = ("from", "to") if buying else ("to", "from")
    for transfer in items(tx, "nativeTransfers"):
        ours = transfer.get(wallet_end + "UserAccount")
        if transfer.get(other_end + "UserAccount") in counterparties and (
            ours == wallet or ours in token_accounts
        ):
            return True
    for transfer in items(tx, "tokenTransfers"):
        if (
            transfer.get("mint") == WSOL_MINT
            and transfer.get(other_end + "UserAccount") in counterparties
            and _is_wallet_end(transfer, wallet_end, wallet, token_accounts)
        ):
            return True
    return False


def _is_wallet_end(transfer: Any, end: str, wallet: str, token_accounts: frozenset[str]) -> bool:
    return (
        transfer.get(end + "UserAccount") == wallet
        or transfer.get(end + "TokenAccount") in token_accounts
    )


def _token_counterparties(
    tx: dict[str, Any], wallet: str, token_accounts: frozenset[str], mint: str, buying: bool
) -> set[str]:
    """Owners whose balance of `mint` moved opposite to the wallet's."""
    wallet_end, other_end = ("to", "from") if buying else ("from", "to")
    found: set[str] = set()
    for transfer in items(tx, "tokenTransfers"):
        if transfer.get("mint") != mint:
            continue
        ours = _is_wallet_end(transfer, wallet_end, wallet, token_accounts)
        other = transfer.get(other_end + "UserAccount")
        if ours and type(other) is str and other and other != wallet:
            found.add(other)
    for entry in items(tx, "accountData"):
        for change in entry.get("tokenBalanceChanges") or ():
            owner = change.get("userAccount")
            if change.get("mint") != mint or type(owner) is not str or owner == wallet:
                continue
            amount, _ = raw_amount(change["rawTokenAmount"])
            if (amount < 0) == buying and amount != 0:
                found.add(owner)
    return found
