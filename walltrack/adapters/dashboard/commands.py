"""The dashboard's commands: operator messages through the tree's root, store edits.

Why through `TreeControl`: pause, resume, reset, close and strategy changes are control
messages routed to their owning actors (DESIGN.md §3), never calls into an actor from the
web thread. Wallet edits and configuration changes are validated store writes; the config
table's listener then pushes the new parameters to the tree (applied hot). An edited exit
strategy is stored (with its history row), then handed to the position actor through the
root, which assigns new positions from it at once.

A strategy change is checked against the stores first so the operator reads why it is
refused at once; the position actor checks again (it alone knows the live position) and
publishes its refusal, if any, on the state feed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.control import PauseTrading, ResetCircuitBreaker, ResumeTrading
from walltrack.domain.messages.trading import (
    ChangeExitStrategy,
    ClosePosition,
    UpdateExitStrategy,
)
from walltrack.domain.params import RuntimeParams, parse_exit_strategy
from walltrack.domain.records import (
    ExitReason,
    ExitStrategyRecord,
    PositionState,
    WalletRecord,
    WalletStatus,
)
from walltrack.errors import InvalidInputError
from walltrack.ports import Clock, TreeControl


class TreeDashboardCommands:
    """`DashboardCommands` over the tree's control and its stores."""

    def __init__(
        self, control: TreeControl, postgres: Callable[[], PostgresStores], clock: Clock
    ) -> None:
        self._control = control
        self._postgres = postgres
        self._clock = clock

    def _stamp(self) -> dict[str, Any]:
        now = self._clock.now()
        return {"correlation_id": random_uuid(), "ts_event": now, "ts_init": now}

    def pause(self, requested_by: str, reason: str) -> None:
        self._control.control(
            PauseTrading(**self._stamp(), requested_by=requested_by, reason=reason)
        )

    def resume(self, requested_by: str) -> None:
        self._control.control(ResumeTrading(**self._stamp(), requested_by=requested_by))

    def reset_breaker(self, requested_by: str) -> None:
        self._control.control(ResetCircuitBreaker(**self._stamp(), requested_by=requested_by))

    def close_position(self, position_id: UUID, requested_by: str) -> None:
        self._control.control(
            ClosePosition(
                **self._stamp(),
                position_id=position_id,
                reason=ExitReason.MANUAL,
                requested_by=requested_by,
            )
        )

    def change_exit_strategy(
        self, position_id: UUID, strategy_name: str, requested_by: str
    ) -> None:
        stores = self._postgres()
        position = stores.positions.get(position_id)
        if position is None:
            raise InvalidInputError(f"no position {position_id}")
        if position.state is PositionState.CLOSED:
            raise InvalidInputError("the position is closed")
        if stores.exit_strategies.get(strategy_name) is None:
            raise InvalidInputError(f"unknown exit strategy {strategy_name!r}")
        if position.exit_strategy == strategy_name:
            raise InvalidInputError(f"the position already follows {strategy_name!r}")
        self._control.control(
            ChangeExitStrategy(
                **self._stamp(),
                position_id=position_id,
                strategy_name=strategy_name,
                requested_by=requested_by,
            )
        )

    def blacklist_wallet(self, address: str, requested_by: str, reason: str) -> WalletRecord:
        return self._postgres().wallets.set_status(
            address,
            WalletStatus.BLACKLISTED,
            at=self._clock.now(),
            reason=f"{reason} (by {requested_by})" if reason else f"by {requested_by}",
        )

    def add_wallet(self, address: str, requested_by: str) -> WalletRecord:
        del requested_by  # the wallets table records the source token, not the operator
        return self._postgres().wallets.add_discovered(address, at=self._clock.now())

    def update_config(self, path: str, value: Any, changed_by: str) -> RuntimeParams:
        return self._postgres().config.update(path, value, changed_by)

    def update_exit_strategy(
        self, definition: Mapping[str, Any], changed_by: str
    ) -> ExitStrategyRecord:
        strategy = parse_exit_strategy(definition)
        record = self._postgres().exit_strategies.edit(strategy, changed_by)
        self._control.control(
            UpdateExitStrategy(**self._stamp(), strategy=record.strategy, requested_by=changed_by)
        )
        return record
