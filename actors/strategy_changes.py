"""The position actor's answers to the operator's exit-strategy commands.

Why apart from positions.py: they are decisions on values (a holding, the strategies in
force) that return the new holding and the event to publish; the actor only stores,
persists and publishes them, and stays small.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from actors.position_book import Holding
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.trading import (
    ChangeExitStrategy,
    ExitStrategyChanged,
    ExitStrategyChangeRefused,
    ExitStrategyUpdated,
    UpdateExitStrategy,
)
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records.trading import PositionState


def _refusal(
    holding: Holding | None, strategies: Mapping[str, ExitStrategy], name: str
) -> str | None:
    if holding is None:
        return "no such open position"
    if holding.state is PositionState.CLOSED:
        return "the position is closed"
    if name not in strategies:
        known = ", ".join(sorted(strategies))
        return f"unknown exit strategy {name!r} (known: {known})"
    if holding.strategy.name == name:
        return f"the position already follows {name!r}"
    return None


def change_exit_strategy(
    holding: Holding | None,
    strategies: Mapping[str, ExitStrategy],
    command: ChangeExitStrategy,
    now: datetime,
) -> tuple[Holding | None, ExitStrategyChanged | ExitStrategyChangeRefused]:
    """The holding under its new strategy (None when refused) and the event that says so."""
    stamp: dict[str, Any] = {
        "correlation_id": command.correlation_id,
        "ts_event": now,
        "ts_init": now,
    }
    reason = _refusal(holding, strategies, command.strategy_name)
    if reason is not None or holding is None:
        return None, ExitStrategyChangeRefused(
            **stamp,
            position_id=command.position_id,
            strategy_name=command.strategy_name,
            reason=reason or "no such open position",
            requested_by=command.requested_by,
        )
    strategy = strategies[command.strategy_name]
    changed = replace(holding, strategy=strategy)
    return changed, ExitStrategyChanged(
        **stamp,
        position_id=holding.position_id,
        token_mint=holding.token_mint,
        previous=holding.strategy.name,
        strategy=strategy,
        requested_by=command.requested_by,
    )


def update_exit_strategy(
    strategies: Mapping[str, ExitStrategy], command: UpdateExitStrategy, now: datetime
) -> tuple[dict[str, ExitStrategy], ExitStrategyUpdated]:
    """The strategies new positions assign from, with the edited one in place."""
    updated = {**strategies, command.strategy.name: command.strategy}
    return updated, ExitStrategyUpdated(
        correlation_id=random_uuid(),
        ts_event=now,
        ts_init=now,
        strategy=command.strategy,
        requested_by=command.requested_by,
    )
