"""What every fake venue reads: the world, its renderers and the chain's issued blockhashes.

Why shared: all venues run on one event loop over one world, so they can never disagree,
and a transaction built by the fake Jupiter lands through the fake RPC.
"""

from __future__ import annotations

from dataclasses import dataclass

from walltrack.sim.enhanced_tx import EnhancedRenderer
from walltrack.sim.rpc_render import TransactionRenderer
from walltrack.sim.settlement import Settlement
from walltrack.sim.world import World

_BLOCKHASH_MEMORY = 20_000


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKeys:
    """Credentials the fakes demand; None accepts any (Helius: any non-empty key)."""

    helius: str | None = None
    jupiter: str | None = None
    birdeye: str | None = None


class SimServices:
    """Shared state of the fake venues."""

    def __init__(
        self, world: World, *, api_keys: ApiKeys | None = None, blockhash_valid_slots: int = 150
    ) -> None:
        self.world = world
        self.api_keys = api_keys or ApiKeys()
        self.enhanced = EnhancedRenderer(world.market)
        self.transactions = TransactionRenderer(world.market)
        self.blockhashes: dict[str, int] = {}
        self.valid_slots = blockhash_valid_slots
        self.settlement = Settlement(world, self.blockhashes, blockhash_valid_slots)
        self.sol_usd = world.params.sol_usd
        self.failed: dict[str, tuple[int, object]] = {}

    def latest_blockhash(self) -> tuple[str, int]:
        """The current blockhash (now valid for sendTransaction) and its last valid height."""
        slot = self.world.slot
        blockhash = self.world.blockhash(slot)
        if blockhash not in self.blockhashes:
            if len(self.blockhashes) > _BLOCKHASH_MEMORY:
                oldest = sorted(self.blockhashes.items(), key=lambda item: item[1])
                for stale, _ in oldest[: _BLOCKHASH_MEMORY // 2]:
                    del self.blockhashes[stale]
            self.blockhashes[blockhash] = slot
        return blockhash, self.world.block_height + self.valid_slots
