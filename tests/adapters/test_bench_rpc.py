"""The RPC round-trip probe works against its own server and against a given fake node.

Only behaviour is asserted here; the timing figure is the benchmark's business.
"""

from __future__ import annotations

from tests.adapters.canned_rpc import RpcWorld
from tests.adapters.fake_venue import FakeVenue
from walltrack.bench._rpc import measure_rpc_roundtrips, percentile, rpc_roundtrip_p99_ms_async


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.99) == 99.0
    assert percentile(samples, 0.5) == 50.0
    assert percentile([3.0], 0.99) == 3.0


async def test_probe_runs_its_own_loopback_server() -> None:
    samples = await measure_rpc_roundtrips(round_trips=20, warmup=2)
    assert len(samples) == 20
    assert all(s > 0 for s in samples)


async def test_probe_against_a_given_node(fake: FakeVenue) -> None:
    RpcWorld().install(fake)
    p99 = await rpc_roundtrip_p99_ms_async(fake.base_url, round_trips=20)
    assert p99 > 0
    assert len(fake.hits("getBalance")) == 120  # 100 warm-up + 20 measured
