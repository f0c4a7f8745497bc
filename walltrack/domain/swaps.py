"""Helius enhanced transaction + wallet -> Swap (buy / sell) or NotASwap(reason).

Why a pure function that never raises: it sits on the webhook hot path and in history
backfills, where one odd payload must not stop the stream. Every shape it cannot read
becomes NotASwap(MALFORMED) with a detail; everything else is decided from the wallet's
own balance changes (see swap_parsing), confirmed as a trade by swap_evidence.

Decisions:
- Only SOL <-> token trades are swaps; wSOL counts as SOL. Token-to-token trades (no SOL
  leg, e.g. AURY -> USDC) are NotASwap(TOKEN_TO_TOKEN): WallTrack prices everything in SOL.
- Stablecoins are ordinary tokens: SOL -> USDC is a buy of the USDC mint, USDC -> SOL a
  sell. A memecoin bought with USDC is token-to-token, so not represented.
- `sol_lamports` is what the wallet's SOL + wSOL moved, minus the network fee it paid and
  the rent of its own token accounts: venue, creator, tip and trading-bot fees paid in the
  same transaction are part of the trade's cost (or reduce its proceeds).
- `venue` is Helius' `source` as given (PUMP_FUN, PUMP_AMM, JUPITER, RAYDIUM, UNKNOWN...).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from walltrack.domain.swap_evidence import (
    calls_swap_program,
    has_sol_counterparty,
    helius_says_swap,
)
from walltrack.domain.swap_parsing import PayloadError, malformed, read_header, read_wallet_flows
from walltrack.domain.swap_types import (
    WSOL_MINT,
    NotASwap,
    NotASwapReason,
    Side,
    Swap,
    SwapClassification,
)

__all__ = [
    "WSOL_MINT",
    "NotASwap",
    "NotASwapReason",
    "Side",
    "Swap",
    "SwapClassification",
    "classify_swap",
]

_SHAPE_ERRORS = (
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)
"""What reading an unexpected JSON shape can raise (wrong types, bad number strings...)."""


def classify_swap(tx: object, wallet: str) -> SwapClassification:
    """Classify one enhanced transaction (one element of a Helius array) for `wallet`.

    Never raises: unknown shapes and malformed input return NotASwap with a reason.
    """
    try:
        return _classify(tx, wallet)
    except PayloadError as error:
        return NotASwap(reason=error.reason, detail=error.detail, signature=_signature_of(tx))
    except _SHAPE_ERRORS as error:
        return NotASwap(
            reason=NotASwapReason.MALFORMED,
            detail=f"unexpected shape ({type(error).__name__})",
            signature=_signature_of(tx),
        )


def _classify(tx: object, wallet: str) -> SwapClassification:
    if type(tx) is not dict:
        raise malformed("transaction is not a JSON object")
    if type(wallet) is not str or not wallet:
        raise malformed("wallet address is empty")
    payload: dict[str, Any] = tx
    header = read_header(payload)
    signature = header.signature
    if payload.get("transactionError") is not None:
        return NotASwap(
            reason=NotASwapReason.FAILED_TRANSACTION,
            detail="transactionError is set",
            signature=signature,
        )
    flows = read_wallet_flows(payload, wallet, header)
    if not flows.involved:
        return NotASwap(
            reason=NotASwapReason.WALLET_NOT_INVOLVED,
            detail="no balance change or transfer of the wallet",
            signature=signature,
        )
    moved = [(mint, delta) for mint, delta in flows.token_deltas.items() if delta]
    sol = flows.sol_delta
    verdict = _balances_verdict(moved, sol)
    if verdict is not None:
        return NotASwap(reason=verdict[0], detail=verdict[1], signature=signature)
    mint, delta = moved[0]
    buying = delta > 0
    if not (
        helius_says_swap(payload, header.tx_type)
        or has_sol_counterparty(payload, wallet, flows.token_accounts, mint, buying)
        or calls_swap_program(payload)
    ):
        return NotASwap(
            reason=NotASwapReason.NO_COUNTERPARTY,
            detail=f"{mint} {delta:+d} and SOL {sol:+d} but nobody traded one for the other",
            signature=signature,
        )
    return Swap(
        wallet=wallet,
        side=Side.BUY if buying else Side.SELL,
        token_mint=mint,
        token_amount=delta if buying else -delta,
        token_decimals=flows.decimals[mint],
        sol_lamports=-sol if buying else sol,
        network_fee_lamports=header.fee if header.fee_payer == wallet else 0,
        venue=header.venue,
        signature=signature,
        slot=header.slot,
        timestamp=datetime.fromtimestamp(header.timestamp, tz=UTC),
        fee_payer=header.fee_payer,
    )


def _balances_verdict(moved: list[tuple[str, int]], sol: int) -> tuple[NotASwapReason, str] | None:
    """Why the wallet's balance changes cannot be one SOL <-> token trade, if they cannot."""
    if not moved:
        return NotASwapReason.NO_TOKEN_CHANGE, f"only SOL moved ({sol} lamports)"
    if len(moved) > 1:
        both_ways = any(d > 0 for _, d in moved) and any(d < 0 for _, d in moved)
        reason = NotASwapReason.TOKEN_TO_TOKEN if both_ways else NotASwapReason.SEVERAL_TOKENS
        return reason, ", ".join(f"{mint} {delta:+d}" for mint, delta in moved)
    mint, delta = moved[0]
    if sol == 0:
        return NotASwapReason.NO_SOL_CHANGE, f"{mint} {delta:+d} without SOL"
    if (delta > 0) == (sol > 0):
        return NotASwapReason.SAME_DIRECTION, f"{mint} {delta:+d} and SOL {sol:+d}"
    return None


def _signature_of(tx: object) -> str | None:
    if type(tx) is dict:
        signature = tx.get("signature")
        if type(signature) is str and signature:
            return signature
    return None
