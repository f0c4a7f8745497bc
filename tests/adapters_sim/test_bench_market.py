"""`walltrack bench market` is wired up and its RPC probe really goes through the simulator.

Only behaviour is asserted; the figures are the benchmark's business (README).
"""

from __future__ import annotations

from walltrack.bench import available_benches
from walltrack.bench.market import rpc_roundtrip_p99_ms_against_the_sim, rpc_roundtrip_p99_ms_on
from walltrack.sim.harness import Simulation


def test_market_is_a_benchmark_command() -> None:
    assert "market" in available_benches()


async def test_the_rpc_probe_goes_through_the_simulators_node(sim: Simulation) -> None:
    p99 = await rpc_roundtrip_p99_ms_on(sim, round_trips=30)
    assert p99 > 0
    assert sim.faults["rpc-0"].requests == 100 + 30  # warm-up, then the measured calls


async def test_the_benchmark_starts_its_own_still_world() -> None:
    assert await rpc_roundtrip_p99_ms_against_the_sim(round_trips=5) > 0
