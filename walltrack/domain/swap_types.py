"""What swap classification answers: a wallet's Swap, or NotASwap with the reason.

Why separate from the classifier: every later stage (profiling, the wallet actors, the
store) consumes these values without caring how a Helius payload was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

WSOL_MINT = "So11111111111111111111111111111111111111112"
"""Wrapped SOL: folded into the SOL leg, never reported as the traded token."""


class Side(StrEnum):
    """Direction of the trade, seen from the tracked wallet."""

    BUY = "buy"  # SOL out, token in
    SELL = "sell"  # token out, SOL in


class NotASwapReason(StrEnum):
    """Why a transaction is not a SOL <-> token swap of the wallet."""

    MALFORMED = "malformed"  # missing fields, wrong types, unparseable numbers
    FAILED_TRANSACTION = "failed_transaction"  # transactionError is set: nothing moved
    WALLET_NOT_INVOLVED = "wallet_not_involved"  # no balance or transfer of the wallet
    # only SOL moved (plain transfer, fee only)
    NO_TOKEN_CHANGE = "no_token_change"  # noqa: S105 (a reason, not a secret)
    NO_SOL_CHANGE = "no_sol_change"  # only a token moved (SPL transfer, airdrop)
    SAME_DIRECTION = "same_direction"  # token and SOL both left (or both arrived)
    # one token for another, no SOL leg
    TOKEN_TO_TOKEN = "token_to_token"  # noqa: S105 (a reason, not a secret)
    SEVERAL_TOKENS = "several_tokens"  # several tokens moved the same way: ambiguous
    NO_COUNTERPARTY = "no_counterparty"  # nobody traded SOL for the token (claims, mints)
    UNKNOWN_DECIMALS = "unknown_decimals"  # token amount only as UI number, no decimals


@dataclass(frozen=True, slots=True, kw_only=True)
class Swap:
    """One SOL <-> token trade of `wallet`.

    `sol_lamports` is what the wallet paid (buy) or received (sell) in SOL and wSOL, venue,
    tip and trading-bot fees included, the network fee and token-account rent excluded.
    `network_fee_lamports` is the network fee the wallet paid (0 when someone else paid).
    """

    wallet: str
    side: Side
    token_mint: str
    token_amount: int  # raw units, > 0
    token_decimals: int
    sol_lamports: int  # > 0
    network_fee_lamports: int
    venue: str  # Helius `source`, e.g. PUMP_FUN, PUMP_AMM, JUPITER, RAYDIUM, UNKNOWN
    signature: str
    slot: int
    timestamp: datetime  # block time, tz-aware UTC
    fee_payer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NotASwap:
    """The transaction is not a swap of the wallet; `detail` says what was seen."""

    reason: NotASwapReason
    detail: str = ""
    signature: str | None = None


type SwapClassification = Swap | NotASwap
