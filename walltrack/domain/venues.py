"""What the venues (Helius, Solana RPC, Jupiter, DexScreener, Birdeye) answer, as plain values.

Why: actors and domain functions must not depend on any venue's JSON shape or on solders
types. Adapters translate each wire format into these frozen values; the simulator, paper
mode and tests produce the same values. Money stays integer (lamports, raw token units) or
Decimal; only rates and percentages are floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

type EnhancedTransaction = Mapping[str, Any]
"""One Helius enhanced transaction exactly as delivered (classified by domain.swaps)."""

SOL_MINT = "So11111111111111111111111111111111111111112"
"""The wrapped-SOL mint; quotes and prices in SOL use it as the quote token."""


# --- Helius -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookSpec:
    """The full desired configuration of one Helius webhook (Helius edits replace it all)."""

    webhook_url: str
    account_addresses: tuple[str, ...]
    transaction_types: tuple[str, ...] = ("ANY",)
    webhook_type: str = "enhanced"
    txn_status: str = "success"
    auth_header: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeliusWebhook:
    """A webhook as Helius stores it."""

    webhook_id: str
    webhook_url: str
    account_addresses: tuple[str, ...]
    transaction_types: tuple[str, ...]
    webhook_type: str
    txn_status: str | None = None
    active: bool | None = None
    auth_header: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookSyncResult:
    """What one sync of tracked wallets to Helius webhooks changed (ids per action)."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


# --- Solana JSON-RPC ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureInfo:
    """One entry of getSignaturesForAddress; `err` is the TransactionError as compact JSON."""

    signature: str
    slot: int
    block_time: datetime | None = None
    err: str | None = None
    memo: str | None = None
    confirmation_status: str | None = None

    @property
    def succeeded(self) -> bool:
        """True when the transaction landed without an error."""
        return self.err is None


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletSignatures:
    """New signatures of one wallet since the last seen one, oldest first."""

    wallet: str
    signatures: tuple[SignatureInfo, ...]
    truncated: bool = False
    """True when more new signatures existed than the poller pages through in one poll."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenBalance:
    """A pre/post token balance of a confirmed transaction, in raw units."""

    account_index: int
    mint: str
    owner: str | None
    amount: int
    decimals: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfirmedTransaction:
    """The parts of getTransaction WallTrack reads (json encoding, v0 addresses resolved)."""

    signature: str
    slot: int
    block_time: datetime | None
    fee: int
    err: str | None
    version: str
    account_keys: tuple[str, ...]
    pre_balances: tuple[int, ...]
    post_balances: tuple[int, ...]
    pre_token_balances: tuple[TokenBalance, ...] = ()
    post_token_balances: tuple[TokenBalance, ...] = ()
    log_messages: tuple[str, ...] = ()

    def native_change(self, account: str) -> int:
        """Lamports gained (positive) or spent (negative) by `account`, fee included."""
        for index, key in enumerate(self.account_keys):
            if key == account and index < len(self.pre_balances):
                return self.post_balances[index] - self.pre_balances[index]
        return 0


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenAccount:
    """An SPL token account (classic or Token-2022) with its balance in raw units."""

    address: str
    mint: str
    owner: str
    amount: int
    decimals: int
    program_id: str
    lamports: int = 0
    state: str = "initialized"


@dataclass(frozen=True, slots=True, kw_only=True)
class MintInfo:
    """A parsed mint account: the token-safety gates read the two authorities."""

    address: str
    decimals: int
    supply: int
    mint_authority: str | None
    freeze_authority: str | None
    is_initialized: bool = True
    program_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountInfo:
    """getAccountInfo (jsonParsed); `mint` / `token_account` are set when the data parses."""

    address: str
    lamports: int
    owner: str
    executable: bool
    space: int | None = None
    program: str | None = None
    parsed_type: str | None = None
    mint: MintInfo | None = None
    token_account: TokenAccount | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenHolder:
    """One of a mint's largest token accounts (getTokenLargestAccounts)."""

    address: str
    amount: int
    decimals: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LatestBlockhash:
    """A recent blockhash and the last block height at which a tx using it can land."""

    blockhash: str
    last_valid_block_height: int
    slot: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationResult:
    """The outcome of simulateTransaction; `err` is the TransactionError as compact JSON."""

    err: str | None
    logs: tuple[str, ...] = ()
    units_consumed: int | None = None
    slot: int = 0

    @property
    def succeeded(self) -> bool:
        """True when the simulated transaction would succeed."""
        return self.err is None


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureStatus:
    """Where a sent transaction is: slot, confirmations and commitment level reached."""

    signature: str
    slot: int
    confirmations: int | None
    err: str | None
    confirmation_status: str | None


# --- Jupiter ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteStep:
    """One hop of a Jupiter route plan."""

    amm_key: str
    label: str
    input_mint: str
    output_mint: str
    in_amount: int
    out_amount: int
    percent: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A Jupiter quote; `raw_json` is the untouched response Jupiter wants back at /swap."""

    input_mint: str
    output_mint: str
    in_amount: int
    out_amount: int
    other_amount_threshold: int
    swap_mode: str
    slippage_bps: int
    price_impact_pct: Decimal
    route: tuple[RouteStep, ...]
    context_slot: int | None
    raw_json: str = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class SwapTransaction:
    """An unsigned v0 transaction from Jupiter /swap, base64 as received."""

    transaction_base64: str = field(repr=False)
    last_valid_block_height: int
    prioritization_fee_lamports: int = 0
    compute_unit_limit: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedTransaction:
    """A signed transaction ready to send; the signature is known before sending."""

    signature: str
    transaction_base64: str = field(repr=False)
    last_valid_block_height: int


# --- Prices and token data ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceQuote:
    """A token's price from one source; any unit the source does not give is None."""

    mint: str
    source: str
    price_usd: Decimal | None = None
    price_sol: Decimal | None = None
    liquidity_usd: Decimal | None = None
    observed_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRef:
    """A token as a pair names it."""

    address: str
    name: str = ""
    symbol: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenPair:
    """A DexScreener pair (pool or bonding curve). Price changes are percentages."""

    chain_id: str
    dex_id: str
    pair_address: str
    base_token: TokenRef
    quote_token: TokenRef
    price_native: Decimal
    url: str = ""
    price_usd: Decimal | None = None
    liquidity_usd: Decimal | None = None
    fdv_usd: Decimal | None = None
    market_cap_usd: Decimal | None = None
    volume_h24_usd: Decimal | None = None
    buys_h24: int | None = None
    sells_h24: int | None = None
    price_change_h1: float | None = None
    price_change_h24: float | None = None
    created_at: datetime | None = None
    labels: tuple[str, ...] = ()
    boosts_active: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenLink:
    """A website or social link of a token profile."""

    url: str
    label: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenProfile:
    """A DexScreener token profile or boost (boosts carry the two amounts)."""

    chain_id: str
    token_address: str
    url: str = ""
    description: str | None = None
    icon: str | None = None
    header: str | None = None
    links: tuple[TokenLink, ...] = ()
    boost_amount: int | None = None
    boost_total_amount: int | None = None
