"""Simulator throughput for `walltrack bench market`: swaps generated per second.

Why it includes rendering: a simulated swap is only useful once it exists as the Helius
enhanced transaction a client will receive, so each one is rendered to its dict.
"""

from __future__ import annotations

import time


def sim_events_per_s(seed: int = 1, swaps: int = 150_000, step_s: float = 30.0) -> float:
    """Swaps per second of a world run as fast as possible, rendering every event."""
    from walltrack.sim.enhanced_tx import EnhancedRenderer  # noqa: PLC0415 - heavy import
    from walltrack.sim.events import SwapEvent  # noqa: PLC0415
    from walltrack.sim.world import World  # noqa: PLC0415

    world = World(seed)
    world.advance_to(120.0)
    market = world.market
    render = EnhancedRenderer(market).render
    done = market.next_seq
    counted = 0
    started = time.perf_counter()
    while counted < swaps:
        world.advance(step_s)
        for event in market.events_since(done):
            render(event)
            if type(event) is SwapEvent:
                counted += 1
        done = market.next_seq
    return counted / (time.perf_counter() - started)


def run() -> dict[str, float | int]:
    """The simulator's share of the `market` benchmark."""
    return {"sim_events_per_s": round(sim_events_per_s(), 1)}
