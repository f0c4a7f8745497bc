"""The graph edges of one new first buy: its BOUGHT row and its SYNCED_BUY pairs.

Why by buy time, not arrival: a buy can arrive after later ones (a backfilled swap, two
wallet actors starting at once). It pairs with the buyers before it and after it within
the window, takes its rank among the token's buyers by time, and moves the later buyers
down one (their BOUGHT rows are emitted again with the new rank; the upsert keeps it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from actors.first_buys import FirstBuys
from walltrack.domain.clustering import FirstBuy, SyncedBuy, synced_buy_correlation
from walltrack.domain.params.clusters import ClusterParams

SYNCED_PER_BUY = 32
"""A first buy is paired with at most this many buyers on each side (the closest ones):
past that a token is a herd trade, and its pairs would flood the graph with noise."""

type BoughtRows = list[tuple[FirstBuy, int]]


def record_first_buy(
    buys: FirstBuys,
    wallet: str,
    mint: str,
    at: datetime,
    *,
    seen: int,
    params: ClusterParams,
) -> tuple[BoughtRows, list[SyncedBuy]]:
    """Add the first buy to `buys`; its BOUGHT rows and SYNCED_BUY pairs.

    `seen` counts the token's tracked buyers including this one (ranks go 1..seen).
    """
    window = timedelta(seconds=params.synced_buy_window_s)
    around = buys.between(mint, at - window, at + window)
    before = [(t, w) for t, w in around if t <= at][-SYNCED_PER_BUY:]
    after = [(t, w) for t, w in around if t > at][:SYNCED_PER_BUY]
    synced = [
        pair
        for pair in (
            *(_pair(wallet, other, mint, (at - t).total_seconds(), params) for t, other in before),
            *(_pair(other, wallet, mint, (t - at).total_seconds(), params) for t, other in after),
        )
        if pair is not None
    ]
    later = buys.after(mint, at)
    rank = seen - len(later)
    buys.add(mint, wallet, at)
    rows = [(FirstBuy(wallet=wallet, token_mint=mint, at=at), rank)]
    rows += [
        (FirstBuy(wallet=buyer, token_mint=mint, at=buyer_at), moved)
        for moved, (buyer_at, buyer) in enumerate(later, start=rank + 1)
    ]
    return rows, synced


def _pair(
    later: str, earlier: str, mint: str, delta_s: float, params: ClusterParams
) -> SyncedBuy | None:
    correlation = synced_buy_correlation(delta_s, params)
    if correlation is None:
        return None
    return SyncedBuy(
        later=later, earlier=earlier, token_mint=mint, delta_s=delta_s, correlation=correlation
    )
