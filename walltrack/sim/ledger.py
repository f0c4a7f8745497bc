"""Balances of the simulated chain: lamports per account, raw token units per holder.

Why separate from the market: the RPC venue reads balances (getBalance,
getTokenAccountsByOwner, getTokenLargestAccounts) without touching trading logic.
"""

from __future__ import annotations

from walltrack.sim.keys import KeyFactory


class Ledger:
    """Who holds what. Token accounts are the real ATAs of (owner, mint)."""

    __slots__ = ("_keys", "holdings", "owner_mints", "sol", "token_accounts")

    def __init__(self, keys: KeyFactory) -> None:
        self._keys = keys
        self.sol: dict[str, int] = {}
        self.holdings: dict[str, dict[str, int]] = {}
        self.owner_mints: dict[str, list[str]] = {}
        self.token_accounts: dict[str, tuple[str, str]] = {}

    def lamports(self, address: str) -> int:
        """Lamports of `address` (0 when unknown)."""
        return self.sol.get(address, 0)

    def credit(self, address: str, lamports: int) -> None:
        """Add (or with a negative amount remove) lamports."""
        self.sol[address] = self.sol.get(address, 0) + lamports

    def tokens(self, owner: str, mint: str) -> int:
        """Raw token units `owner` holds of `mint`."""
        holders = self.holdings.get(mint)
        return holders.get(owner, 0) if holders is not None else 0

    def has_account(self, owner: str, mint: str) -> bool:
        """Whether `owner` already has a token account for `mint` (no rent to pay)."""
        holders = self.holdings.get(mint)
        return holders is not None and owner in holders

    def open_account(self, owner: str, mint: str) -> str:
        """Create the ATA of (owner, mint) with a zero balance; returns its address."""
        ata = self._keys.ata(owner, mint)
        self.holdings.setdefault(mint, {})[owner] = 0
        self.owner_mints.setdefault(owner, []).append(mint)
        self.token_accounts[ata] = (owner, mint)
        return ata

    def largest_holders(self, mint: str, limit: int) -> list[tuple[str, int]]:
        """The `limit` biggest (owner, amount) of `mint`, biggest first, zeros dropped."""
        holders = self.holdings.get(mint, {})
        ranked = sorted(((a, o) for o, a in holders.items() if a > 0), reverse=True)
        return [(owner, amount) for amount, owner in ranked[:limit]]
