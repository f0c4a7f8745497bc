"""The trading part of the tree: the circuit breaker, then the TradingSupervisor
(rest_for_one: PositionActor, ExitWatcherActor), and the routes of operator commands.

Why rest_for_one: the exit watcher's positions come from the position actor; when the
position actor restarts, the watcher restarts after it and re-learns every open position,
while a watcher crash alone leaves the position actor (and its orders) untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from actors.circuit_breaker import CircuitBreakerActor
from actors.exit_watcher import ExitWatcherActor
from actors.names import CIRCUIT_BREAKER, EXIT_WATCHER, POSITIONS, TRADING
from actors.positions import PositionActor
from actors.trading_deps import TradingDeps
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec, Intensity, Strategy
from supervisors.supervisor import SupervisorSpec, supervisor_child
from walltrack.domain.messages.base import Command
from walltrack.domain.messages.control import PauseTrading, ResetCircuitBreaker, ResumeTrading
from walltrack.domain.messages.trading import (
    ChangeExitStrategy,
    ClosePosition,
    OpenPosition,
    UpdateExitStrategy,
)

TRADING_ROUTES: dict[type[Command], str] = {
    PauseTrading: CIRCUIT_BREAKER,
    ResumeTrading: CIRCUIT_BREAKER,
    ResetCircuitBreaker: CIRCUIT_BREAKER,
    OpenPosition: POSITIONS,
    ClosePosition: POSITIONS,
    ChangeExitStrategy: POSITIONS,
    UpdateExitStrategy: POSITIONS,
}
"""Operator commands the root supervisor forwards to their owners."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TradingActors:
    """The actor classes (end-to-end tests substitute subclasses that inject crashes)."""

    positions: type[PositionActor] = PositionActor
    exit_watcher: type[ExitWatcherActor] = ExitWatcherActor


def trading_children(
    services: TreeServices,
    deps: TradingDeps,
    *,
    equity: Callable[[], int] | None = None,
    intensity: Intensity | None = None,
    actors: TradingActors | None = None,
) -> list[ChildSpec]:
    """CircuitBreakerActor, then the TradingSupervisor; `equity` seeds the risk ledger
    (default: the execution's balance)."""
    starting_equity = equity or deps.execution.balance_lamports
    kinds = actors or TradingActors()
    trading = SupervisorSpec(
        strategy=Strategy.REST_FOR_ONE,
        intensity=intensity or Intensity(max_restarts=10, window_s=60),
        children=[
            ChildSpec(name=POSITIONS, start=lambda context: kinds.positions.start(context, deps)),
            ChildSpec(
                name=EXIT_WATCHER, start=lambda context: kinds.exit_watcher.start(context, deps)
            ),
        ],
    )
    return [
        ChildSpec(
            name=CIRCUIT_BREAKER,
            start=lambda context: CircuitBreakerActor.start(context, deps, starting_equity),
        ),
        supervisor_child(TRADING, services, trading),
    ]
