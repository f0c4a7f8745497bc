"""Deterministic, real-looking Solana addresses and signatures derived from the seed.

Why derived, not random: the same seed must give byte-identical event streams, and the
fake venues must hand out addresses that solders (and any client) parse as real ones.
Wallets are real ed25519 keys (`Keypair.from_seed`), token accounts real ATA derivations,
curve and pool accounts real PDAs of the pump programs.
"""

from __future__ import annotations

import hashlib
import random

from solders.hash import Hash
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature

from walltrack.sim.constants import ATA_PROGRAM, PUMP_AMM_PROGRAM, PUMP_PROGRAM, TOKEN_PROGRAM

_TOKEN_PROGRAM = bytes(Pubkey.from_string(TOKEN_PROGRAM))
_ATA_PROGRAM = Pubkey.from_string(ATA_PROGRAM)
_PUMP_PROGRAM = Pubkey.from_string(PUMP_PROGRAM)
_PUMP_AMM_PROGRAM = Pubkey.from_string(PUMP_AMM_PROGRAM)
_WSOL = bytes(Pubkey.from_string("So11111111111111111111111111111111111111112"))


def _digest(*parts: object) -> bytes:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()


def associated_token_account(owner: str, mint: str) -> str:
    """The real associated token account of `owner` for `mint` (SPL Token program)."""
    seeds = [bytes(Pubkey.from_string(owner)), _TOKEN_PROGRAM, bytes(Pubkey.from_string(mint))]
    return str(Pubkey.find_program_address(seeds, _ATA_PROGRAM)[0])


def bonding_curve_address(mint: str) -> str:
    """The pump.fun bonding-curve PDA of `mint`."""
    seeds = [b"bonding-curve", bytes(Pubkey.from_string(mint))]
    return str(Pubkey.find_program_address(seeds, _PUMP_PROGRAM)[0])


def creator_vault_address(creator: str) -> str:
    """The pump.fun creator-fee vault PDA of a token creator."""
    seeds = [b"creator-vault", bytes(Pubkey.from_string(creator))]
    return str(Pubkey.find_program_address(seeds, _PUMP_PROGRAM)[0])


def pool_address(mint: str) -> str:
    """The PumpSwap pool PDA a graduated `mint` trades in."""
    seeds = [b"pool", b"\x00\x00", bytes(Pubkey.from_string(mint)), _WSOL]
    return str(Pubkey.find_program_address(seeds, _PUMP_AMM_PROGRAM)[0])


class KeyFactory:
    """Every address and signature of one world, reproducible from its seed."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._signatures = random.Random(f"{seed}:signatures")
        self._atas: dict[tuple[str, str], str] = {}

    def keypair(self, role: str, index: int) -> Keypair:
        """The keypair of the `index`-th wallet with `role` (e.g. "retail", 12)."""
        return Keypair.from_seed(_digest(self._seed, "wallet", role, index))

    def wallet(self, role: str, index: int) -> str:
        """The base58 address of the `index`-th wallet with `role`."""
        return str(self.keypair(role, index).pubkey())

    def address(self, role: str, index: int) -> str:
        """A program-owned account address (fee recipients, vaults): off-curve is fine."""
        return str(Pubkey(_digest(self._seed, "account", role, index)))

    def mint(self, index: int) -> str:
        """A pump.fun-style vanity mint ending in `pump` that parses as a 32-byte key."""
        attempt = 0
        while True:
            text = str(Pubkey(_digest(self._seed, "mint", index, attempt)))
            candidate = text[:-4] + "pump"
            try:
                if len(bytes(Pubkey.from_string(candidate))) == 32:
                    return candidate
            except ValueError:
                pass
            attempt += 1

    def ata(self, owner: str, mint: str) -> str:
        """Cached associated token account (derivation costs a few microseconds)."""
        key = (owner, mint)
        found = self._atas.get(key)
        if found is None:
            found = associated_token_account(owner, mint)
            self._atas[key] = found
        return found

    def signature(self) -> str:
        """The next transaction signature: 64 seeded bytes in base58 (87-88 chars)."""
        return str(Signature.from_bytes(self._signatures.getrandbits(512).to_bytes(64, "little")))

    def blockhash(self, slot: int) -> str:
        """The blockhash of `slot`: stable for a seed, different for every slot."""
        return str(Hash(_digest(self._seed, "blockhash", slot)))
