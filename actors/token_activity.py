"""The scorer's memory of recent swaps per token: activity, prices, buyers.

Why kept by the scorer itself: the context factor (trades, volatility, other tracked
wallets in the token) and the live cluster amplification must be exact at the moment a
signal is scored, so they come from the swaps the scorer has seen, in swap (block) time,
not from a peer's answer that could arrive late.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from walltrack.domain.clustering import FirstBuy


@dataclass(frozen=True, slots=True)
class SeenTrade:
    """One swap of a tracked wallet in a token."""

    at: datetime
    wallet: str
    is_buy: bool
    price: Decimal  # lamports per raw token unit: only ratios of it are used


MAX_PER_TOKEN = 256
"""Trades kept per token: past the activity ramp's full mark (30) and any cluster's size."""


class TokenActivity:
    """Per-token windows of tracked wallets' swaps, pruned past `horizon_s`."""

    def __init__(self, horizon_s: float) -> None:
        self.horizon = timedelta(seconds=horizon_s)
        self._trades: dict[str, deque[SeenTrade]] = {}
        # The same trades as sets: "seen already?" in O(1), not 256 comparisons a signal.
        self._seen: dict[str, set[SeenTrade]] = {}
        # And as JSON rows, encoded once: the scorer snapshots after every signal.
        self._rows: dict[str, deque[list[Any]]] = {}

    def record(self, mint: str, trade: SeenTrade) -> None:
        """Remember `trade`, dropping this token's trades older than the horizon."""
        trades = self._trades.setdefault(mint, deque())
        seen = self._seen.setdefault(mint, set())
        rows = self._rows.setdefault(mint, deque())
        if trade in seen:  # the same swap again (a signal requeued after a crash)
            return
        trades.append(trade)
        seen.add(trade)
        rows.append(_row(trade))
        newest = max(trade.at, trades[0].at)
        while trades and (trades[0].at < newest - self.horizon or len(trades) > MAX_PER_TOKEN):
            seen.discard(trades.popleft())
            rows.popleft()

    def window(self, mint: str, now: datetime, seconds: float) -> list[SeenTrade]:
        """This token's trades in [now - seconds, now]."""
        since = now - timedelta(seconds=seconds)
        return [t for t in self._trades.get(mint, ()) if since <= t.at <= now]

    def first_buys(self, mint: str, now: datetime, seconds: float) -> list[FirstBuy]:
        """Each wallet's first buy of the token within the window."""
        first: dict[str, datetime] = {}
        for trade in self.window(mint, now, seconds):
            if trade.is_buy and trade.wallet not in first:
                first[trade.wallet] = trade.at
        return [FirstBuy(wallet=w, token_mint=mint, at=at) for w, at in first.items()]

    def prune(self, now: datetime) -> None:
        """Forget tokens with nothing inside the horizon (bounded memory)."""
        since = now - self.horizon
        for mint in [m for m, t in self._trades.items() if not t or t[-1].at < since]:
            del self._trades[mint]
            self._seen.pop(mint, None)
            self._rows.pop(mint, None)

    def to_json(self) -> dict[str, list[list[Any]]]:
        """The windows as JSON (for the scorer's snapshot); the rows must not be mutated."""
        return {mint: list(rows) for mint, rows in self._rows.items()}

    def load_json(self, data: Mapping[str, Iterable[list[Any]]]) -> None:
        """Restore the windows written by `to_json`."""
        self._trades = {
            mint: deque(
                SeenTrade(datetime.fromisoformat(at), wallet, bool(buy), Decimal(price))
                for at, wallet, buy, price in rows
            )
            for mint, rows in data.items()
        }
        self._seen = {mint: set(trades) for mint, trades in self._trades.items()}
        self._rows = {mint: deque(_row(t) for t in trades) for mint, trades in self._trades.items()}


def _row(trade: SeenTrade) -> list[Any]:
    return [trade.at.isoformat(), trade.wallet, trade.is_buy, str(trade.price)]
