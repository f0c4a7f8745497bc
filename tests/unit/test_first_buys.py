"""The ClusterActor's first-buy index: window queries whatever order buys arrive in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from actors.first_buys import FirstBuys

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_window_finds_the_buyers_in_it_even_when_an_older_buy_came_last() -> None:
    buys = FirstBuys()
    for wallet, second in (("a", 0), ("b", 100), ("c", 400), ("late", 50)):  # "late" backfilled
        buys.add("mint", wallet, _at(second))
    assert buys.has("mint", "late")
    assert not buys.has("mint", "d")
    assert not buys.has("other", "a")
    assert buys.between("mint", _at(40), _at(100)) == [(_at(50), "late"), (_at(100), "b")]
    assert buys.between("mint", _at(0), _at(0)) == [(_at(0), "a")]  # both bounds included
    assert buys.between("mint", _at(401), _at(900)) == []
    assert buys.between("other", _at(0), _at(900)) == []


def test_prune_forgets_tokens_quiet_since_the_horizon_and_json_round_trips() -> None:
    buys = FirstBuys()
    buys.add("old", "a", _at(0))
    buys.add("live", "a", _at(0))
    buys.add("live", "b", _at(500))
    restored = FirstBuys.from_json(buys.to_json())
    restored.prune(_at(100))
    assert not restored.has("old", "a")
    assert restored.has("live", "a")  # a token stays while any of its buys is recent
    assert restored.between("live", _at(0), _at(500)) == [(_at(0), "a"), (_at(500), "b")]
