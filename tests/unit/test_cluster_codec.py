"""The ClusterActor's pending graph edges in its snapshot: exact, each address once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from actors.buy_edges import record_first_buy
from actors.cluster_codec import edges_from_json, edges_to_json
from actors.first_buys import FirstBuys
from walltrack.domain.clustering import FirstBuy, SyncedBuy
from walltrack.domain.params import RuntimeParams

T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
WINDOW_S = RuntimeParams().clusters.synced_buy_window_s


def _address(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:44]  # as long as a base58 key


def _busy_token_edges(buyers: int) -> tuple[list[tuple[FirstBuy, int]], list[SyncedBuy]]:
    """The edges of `buyers` first buys of one token, a few seconds apart, as the actor
    records them."""
    buys, params = FirstBuys(), RuntimeParams().clusters
    mint = _address("mint")
    bought: list[tuple[FirstBuy, int]] = []
    synced: list[SyncedBuy] = []
    for n in range(buyers):
        at = T0 + timedelta(seconds=3 * n)
        rows, pairs = record_first_buy(buys, _address(f"w{n}"), mint, at, seen=n + 1, params=params)
        bought += rows
        synced += pairs
    return bought, synced


def test_pending_edges_round_trip_exactly() -> None:
    bought, synced = _busy_token_edges(40)
    assert len(synced) > 500  # each buy pairs with up to 32 buyers before it
    synced.append(replace(synced[0], delta_s=2.5, correlation=1.0 - 2.5 / WINDOW_S))

    state = json.loads(json.dumps(edges_to_json(bought, synced, WINDOW_S)))

    assert edges_from_json(state) == (bought, synced)


def test_each_address_is_written_once_so_a_busy_token_costs_a_fraction_of_the_text() -> None:
    bought, synced = _busy_token_edges(60)
    spelled_out = {
        "pending_bought": [[b.wallet, b.token_mint, b.at.isoformat(), r] for b, r in bought],
        "pending_synced": [
            [s.later, s.earlier, s.token_mint, s.delta_s, s.correlation] for s in synced
        ],
    }

    indexed = edges_to_json(bought, synced, WINDOW_S)

    assert len(indexed["edge_addresses"]) == 61  # sixty wallets and the mint
    assert len(json.dumps(indexed)) * 5 < len(json.dumps(spelled_out))
    assert edges_from_json(spelled_out) == (bought, synced)  # a snapshot written before


def test_no_pending_edges_encode_to_empty_lists() -> None:
    state = edges_to_json([], [], WINDOW_S)

    assert state["edge_addresses"] == state["pending_bought"] == state["pending_synced"] == []
    assert edges_from_json(state) == ([], [])
