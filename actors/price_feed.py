"""The price feed of held tokens: polls a `TokenPrices` source, tells `PriceUpdated`.

Why a component and not an actor: it holds no state worth a snapshot (the exit watcher
re-registers every open position when it starts) and its only job is to turn a poll into
messages; the pacer thread (or a test) decides when it polls.
"""

from __future__ import annotations

import threading

from actors.names import CIRCUIT_BREAKER, EXIT_WATCHER, POSITIONS
from actors.runtime.registry import Registry, UnknownActorError
from actors.trading_protocol import Tick
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.trading import PriceUpdated
from walltrack.execution_ports import TokenPrices
from walltrack.logging import get_logger
from walltrack.ports import Clock

_log = get_logger("price_feed")


class PriceFeed:
    """Watched tokens (mint -> decimals) and one poll of their prices at a time."""

    def __init__(
        self, prices: TokenPrices, registry: Registry, clock: Clock, source: str = "quote"
    ) -> None:
        self._prices = prices
        self._registry = registry
        self._clock = clock
        self._source = source
        self._watched: dict[str, int] = {}
        self._lock = threading.Lock()

    def watch(self, mint: str, decimals: int) -> None:
        """Poll `mint` from now on."""
        with self._lock:
            self._watched[mint] = decimals

    def unwatch(self, mint: str) -> None:
        """Stop polling `mint`."""
        with self._lock:
            self._watched.pop(mint, None)

    def watched(self) -> dict[str, int]:
        """The tokens polled now."""
        with self._lock:
            return dict(self._watched)

    def poll_once(self) -> int:
        """Fetch every watched price and tell the exit watcher; returns how many."""
        prices = self._prices.prices_sol(sorted(self.watched().items()))
        now = self._clock.now()
        for mint, price in prices.items():
            self._registry.tell(
                EXIT_WATCHER,
                PriceUpdated(
                    correlation_id=random_uuid(),
                    ts_event=now,
                    ts_init=now,
                    token_mint=mint,
                    price=price,
                    source=self._source,
                ),
            )
        return len(prices)


class TradingPacer:
    """A daemon thread: every `interval_s`, poll prices and tick the trading actors."""

    def __init__(self, feed: PriceFeed, registry: Registry, interval_s: float = 2.0) -> None:
        self._feed = feed
        self._registry = registry
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trading-pacer", daemon=True)

    def start(self) -> None:
        """Begin pacing."""
        self._thread.start()

    def stop(self) -> None:
        """End pacing (waits for the current round)."""
        self._stop.set()
        if self._thread.is_alive():  # never started when the tree failed to start
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._feed.poll_once()
                for name in (POSITIONS, EXIT_WATCHER, CIRCUIT_BREAKER):
                    self._registry.tell(name, Tick())
            except UnknownActorError:
                continue
            except Exception as error:  # a poll must never kill the pacer
                _log.warning("pacer_round_failed", error=f"{type(error).__name__}: {error}")
