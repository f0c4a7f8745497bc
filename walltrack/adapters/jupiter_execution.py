"""Signing Jupiter's unsigned swap transaction with solders and sending it over RPC.

Why: the signature of a signed transaction is known before it is sent, so the order state
machine stores it first (idempotency key) and a restart never signs and sends a second,
different transaction for the same order (api-formats.md §5.4). Secrets never reach a log
or an error message.
"""

from __future__ import annotations

import base64
import binascii
import json

from solders.keypair import Keypair
from solders.transaction import VersionedTransaction

from walltrack.adapters.json_fields import MalformedResponseError
from walltrack.domain.venues import SignedTransaction, SwapTransaction
from walltrack.errors import ConfigurationError, InvalidInputError
from walltrack.ports import SolanaRpc

KEYPAIR_VARIABLE = "WALLTRACK_KEYPAIR"


def keypair_from_secret(secret: str) -> Keypair:
    """A keypair from a base58 secret (Phantom export) or a JSON byte array (id.json)."""
    text = secret.strip()
    try:
        if text.startswith("["):
            raw = json.loads(text)
            if not isinstance(raw, list) or len(raw) != 64:
                raise ValueError
            return Keypair.from_bytes(bytes(raw))
        return Keypair.from_base58_string(text)
    except (ValueError, TypeError) as error:
        problem = "not a base58 keypair nor a JSON array of 64 bytes"
        raise ConfigurationError(KEYPAIR_VARIABLE, problem) from error


def decode_transaction(transaction_base64: str) -> VersionedTransaction:
    """A VersionedTransaction from base64, or MalformedResponseError."""
    try:
        return VersionedTransaction.from_bytes(base64.b64decode(transaction_base64, validate=True))
    except (ValueError, binascii.Error) as error:
        raise MalformedResponseError("jupiter", "swapTransaction is not a transaction") from error


def sign_swap_transaction(swap: SwapTransaction, keypair: Keypair) -> SignedTransaction:
    """Sign Jupiter's unsigned v0 transaction as its fee payer.

    Raises InvalidInputError when `keypair` is not the signer the transaction was built
    for (the swap was requested for another wallet).
    """
    unsigned = decode_transaction(swap.transaction_base64)
    try:
        signed = VersionedTransaction(unsigned.message, [keypair])
    except Exception as error:  # solders.SignerError has no importable base class
        payer = unsigned.message.account_keys[0] if unsigned.message.account_keys else "?"
        reason = f"swap transaction must be signed by {payer}, not {keypair.pubkey()}"
        raise InvalidInputError(reason) from error
    return SignedTransaction(
        signature=str(signed.signatures[0]),
        transaction_base64=base64.b64encode(bytes(signed)).decode("ascii"),
        last_valid_block_height=swap.last_valid_block_height,
    )


def verify_signed(signed: SignedTransaction) -> bool:
    """True when every signature of `signed` verifies against its message."""
    return all(decode_transaction(signed.transaction_base64).verify_with_results())


async def send_signed_transaction(
    rpc: SolanaRpc, signed: SignedTransaction, *, skip_preflight: bool = False
) -> str:
    """Send `signed` and return the signature the node reports (equal to `signed.signature`)."""
    return await rpc.send_transaction(signed.transaction_base64, skip_preflight=skip_preflight)


async def sign_and_send(
    swap: SwapTransaction, keypair: Keypair, rpc: SolanaRpc, *, skip_preflight: bool = False
) -> SignedTransaction:
    """Sign and send in one step, for callers that persist the signature afterwards."""
    signed = sign_swap_transaction(swap, keypair)
    await send_signed_transaction(rpc, signed, skip_preflight=skip_preflight)
    return signed
