"""What the trading actors are given by wiring: execution, prices, records, a worker.

Why one value: the trading tree injects the same ports into the position actor, the exit
watcher and the circuit breaker, and a restarted actor gets them again unchanged (the
worker and the paper ledger outlive any incarnation).
"""

from __future__ import annotations

from collections.abc import Mapping
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
    """Exit strategies by name (the exit_strategies table, seeded with the presets)."""
