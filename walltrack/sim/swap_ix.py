"""The swap instruction the fake Jupiter builds and the fake RPC executes.

Why our own encoding: the simulated chain runs no programs; it only needs to recover the
order (who, which token, which side, how much, minimum out) from a real, signable v0
transaction. The instruction targets Jupiter's program id so the transaction looks right.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from solders.instruction import AccountMeta, CompiledInstruction, Instruction
from solders.message import Message, MessageV0, MessageV1
from solders.pubkey import Pubkey

from walltrack.sim.constants import JUPITER_PROGRAM, SYSTEM_PROGRAM, TOKEN_PROGRAM

DISCRIMINATOR = hashlib.sha256(b"global:walltrack_sim_route").digest()[:8]
_LAYOUT = struct.Struct("<BQQ")
_JUPITER = Pubkey.from_string(JUPITER_PROGRAM)


@dataclass(frozen=True, slots=True, kw_only=True)
class SwapOrder:
    """A swap against SOL: `amount_in` is lamports (buy) or raw tokens (sell)."""

    user: str
    mint: str
    pool: str
    is_buy: bool
    amount_in: int
    min_out: int


def build_swap_instruction(order: SwapOrder, user_token_account: str) -> Instruction:
    """The instruction carrying `order` (accounts: user, user ATA, mint, pool, programs)."""
    data = DISCRIMINATOR + _LAYOUT.pack(0 if order.is_buy else 1, order.amount_in, order.min_out)
    metas = [
        AccountMeta(Pubkey.from_string(order.user), is_signer=True, is_writable=True),
        AccountMeta(Pubkey.from_string(user_token_account), is_signer=False, is_writable=True),
        AccountMeta(Pubkey.from_string(order.mint), is_signer=False, is_writable=False),
        AccountMeta(Pubkey.from_string(order.pool), is_signer=False, is_writable=True),
        AccountMeta(Pubkey.from_string(TOKEN_PROGRAM), is_signer=False, is_writable=False),
        AccountMeta(Pubkey.from_string(SYSTEM_PROGRAM), is_signer=False, is_writable=False),
    ]
    return Instruction(_JUPITER, data, metas)


def parse_swap_instruction(
    message: Message | MessageV0 | MessageV1, ix: CompiledInstruction
) -> SwapOrder | None:
    """The order inside `ix`, or None when `ix` is not one of ours."""
    keys = message.account_keys
    data = bytes(ix.data)
    if keys[ix.program_id_index] != _JUPITER or not data.startswith(DISCRIMINATOR):
        return None
    accounts = bytes(ix.accounts)
    if len(accounts) < 4 or len(data) != len(DISCRIMINATOR) + _LAYOUT.size:
        return None
    side, amount_in, min_out = _LAYOUT.unpack_from(data, len(DISCRIMINATOR))
    return SwapOrder(
        user=str(keys[accounts[0]]),
        mint=str(keys[accounts[2]]),
        pool=str(keys[accounts[3]]),
        is_buy=side == 0,
        amount_in=amount_in,
        min_out=min_out,
    )
