"""What the trading actors are given by wiring: execution, prices, records, a worker.

Why one value: the trading tree injects the same ports into the position actor, the exit
watcher and the circuit breaker, and a restarted actor gets them again unchanged (the
worker and the paper ledger outlive any incarnation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field

from actors.price_feed import PriceFeed
from walltrack.domain.exits import PRESETS_BY_NAME
from walltrack.domain.params import RuntimeParams, default_params
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.execution_ports import Execution, TradeRecords


@dataclass(frozen=True, slots=True, kw_only=True)
class TradingDeps:
    """The ports of the trading subtree."""

    execution: Execution
    records: TradeRecords
    worker: Executor  # one thread: attempts run in order, recoveries after live attempts
    feed: PriceFeed
    params: RuntimeParams = field(default_factory=default_params)
    reconcile_on_start: bool = False  # live mode: token balances vs open positions
    strategies: Mapping[str, ExitStrategy] = field(default_factory=lambda: dict(PRESETS_BY_NAME))
    """Exit strategies by name when no `strategies_source` is given (tests)."""
    params_source: Callable[[], RuntimeParams] | None = None
    """The parameters in force (the stored config), read when an actor starts; later
    changes arrive as RuntimeConfigChanged events."""
    strategies_source: Callable[[], Mapping[str, ExitStrategy]] | None = None
    """The exit_strategies table, read when the position actor starts."""

    def current_params(self) -> RuntimeParams:
        """The parameters an actor starting now begins with."""
        return self.params if self.params_source is None else self.params_source()

    def current_strategies(self) -> Mapping[str, ExitStrategy]:
        """The exit strategies a position actor starting now assigns from."""
        return self.strategies if self.strategies_source is None else self.strategies_source()
