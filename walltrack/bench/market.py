"""`walltrack bench market`: the offline world's figures (targets in the README).

- sim_events_per_s: simulated swaps generated (and rendered as Helius enhanced
  transactions) per second, the world run as fast as possible (target >= 20,000);
- classify_per_s: enhanced transactions classified per second, on the 18 recorded real
  Helius payloads (target >= 50,000);
- rpc_roundtrip_p99_ms: p99 of getBalance through the real SolanaRpcClient to the
  simulator's fake RPC node and back, on loopback (target <= 10).

Why the simulator is started still (autorun=False) for the RPC figure: a running world
would steal the event loop between requests and the figure would measure the market's
speed instead of the adapter's and the fake node's. One provider only: rotation never
happens when nothing fails, and a second server would only cost start-up time.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from walltrack.sim.harness import Simulation

RPC_ROUND_TRIPS = 3000


def run() -> dict[str, float | int]:
    """The three figures, measured one after the other in this process."""
    from walltrack.bench._classify import classify_per_s  # noqa: PLC0415 - heavy imports
    from walltrack.bench._sim import sim_events_per_s  # noqa: PLC0415

    return {
        "sim_events_per_s": round(sim_events_per_s(), 1),
        "classify_per_s": round(classify_per_s(), 1),
        "rpc_roundtrip_p99_ms": asyncio.run(rpc_roundtrip_p99_ms_against_the_sim()),
    }


async def rpc_roundtrip_p99_ms_against_the_sim(
    seed: int = 7, round_trips: int = RPC_ROUND_TRIPS
) -> float:
    """p99 ms of adapter -> a fresh still simulator's RPC node -> adapter, in this loop."""
    from walltrack.sim.harness import SimConfig, start_simulation  # noqa: PLC0415

    config = SimConfig(seed=seed, speed=None, autorun=False, rpc_providers=1)
    async with start_simulation(config) as sim:
        return await rpc_roundtrip_p99_ms_on(sim, round_trips=round_trips)


async def rpc_roundtrip_p99_ms_on(sim: Simulation, *, round_trips: int = RPC_ROUND_TRIPS) -> float:
    """p99 ms of getBalance round trips to the first RPC node of a running simulation."""
    from walltrack.bench._rpc import rpc_roundtrip_p99_ms_async  # noqa: PLC0415

    return await rpc_roundtrip_p99_ms_async(sim.endpoints.rpc_urls[0], round_trips=round_trips)
