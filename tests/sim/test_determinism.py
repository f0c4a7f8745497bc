"""The same seed gives the same event stream, however the world is advanced."""

from __future__ import annotations

import hashlib
import json

from walltrack.sim.enhanced_tx import EnhancedRenderer
from walltrack.sim.world import World


def _stream_digest(world: World) -> tuple[int, str]:
    renderer = EnhancedRenderer(world.market)
    digest = hashlib.sha256()
    for event in world.market.events_since(0):
        digest.update(json.dumps(renderer.render(event), sort_keys=True).encode())
    return world.market.next_seq, digest.hexdigest()


def test_same_seed_same_stream() -> None:
    first, second = World(11), World(11)
    first.advance_to(900.0)
    second.advance_to(900.0)
    count, digest = _stream_digest(first)
    assert count > 2_000
    assert (count, digest) == _stream_digest(second)


def test_slicing_time_does_not_change_the_stream() -> None:
    whole, sliced = World(5), World(5)
    whole.advance_to(600.0)
    t = 0.0
    while t < 600.0:
        t = min(600.0, t + 0.37)
        sliced.advance_to(t)
    assert _stream_digest(whole) == _stream_digest(sliced)


def test_another_seed_gives_another_world() -> None:
    first, second = World(1), World(2)
    first.advance_to(300.0)
    second.advance_to(300.0)
    assert _stream_digest(first) != _stream_digest(second)
    assert first.market.token_list[0].mint != second.market.token_list[0].mint


def test_retention_bounds_history_without_changing_the_market() -> None:
    kept, pruned = World(9), World(9, retention_s=600.0)
    kept.advance_to(3000.0)
    pruned.advance_to(3000.0)
    market = pruned.market
    retained = market.events
    assert market.base_seq > 0
    assert len(retained) < len(kept.market.events) / 2
    assert all(e.t >= 3000.0 - 600.0 - 150.0 for e in retained)
    tail = [e.signature for e in kept.market.events if e.t >= retained[0].t]
    assert tail == [e.signature for e in retained]
    assert len(market.by_signature) == len(retained)
    for seqs in market.by_address.values():
        assert seqs[0] >= market.base_seq
    assert kept.market.events[0].signature not in market.by_signature
    busiest = max(market.token_list, key=lambda t: len(market.events_for(t.mint)))
    seqs = market.events_for(busiest.mint)
    assert [market.event(s).signature for s in seqs] == [
        e.signature for e in retained if busiest.mint in e.addresses
    ]
    assert busiest.stats.times[1] >= 3000.0 - 600.0 - 150.0
