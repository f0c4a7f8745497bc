"""ExitWatcherActor: every price of a held token against each position's exit strategy.

Why its own actor: exits must keep running whatever happens to entries, and a price burst
must not queue behind orders. The decisions are the domain's (`walltrack.domain.exits`:
stop loss, trailing, take-profit ladder, time rules, moonbag stop, mirror); this actor
keeps each position's `ExitState`, feeds it prices, and tells the position actor what to
sell and why. Fills and failures come back as events and move the state on.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from actors.names import POSITIONS
from actors.runtime.base import ActorContext, SupervisedActor
from actors.state_codec import decode, encode
from actors.trading_deps import TradingDeps
from actors.trading_protocol import EnsureWatched, Inspect, ReportOpenPositions, Tick
from walltrack.domain.exits import (
    ExitDecision,
    ExitState,
    apply_failure,
    apply_fill,
    change_strategy,
    close_now,
    on_price,
    on_source_sold,
    open_exit_state,
)
from walltrack.domain.messages.signals import SourceWalletSold
from walltrack.domain.messages.trading import (
    ClosePosition,
    ExitAbandoned,
    ExitStrategyChanged,
    ExitTriggered,
    PositionClosed,
    PositionOpened,
    PositionReduced,
    PriceUpdated,
)
from walltrack.domain.records.trading import PositionState


class ExitWatcherActor(SupervisedActor):
    """Holds the exit state of every open position and decides its exits."""

    snapshot_kind = "exit_watcher"

    def __init__(self, context: ActorContext, deps: TradingDeps) -> None:
        super().__init__(context)
        self.deps = deps
        self.states: dict[UUID, ExitState] = {}
        self.tokens: dict[UUID, tuple[str, int, str]] = {}  # mint, decimals, source wallet
        self.prices: dict[str, Decimal] = {}

    def started(self) -> None:
        bus = self.context.bus
        for kind in (
            PositionOpened,
            PositionReduced,
            PositionClosed,
            SourceWalletSold,
            ExitStrategyChanged,
        ):
            bus.subscribe(kind, self.name)
        for mint, decimals, _wallet in self.tokens.values():
            self.deps.feed.watch(mint, decimals)
        self.tell(POSITIONS, ReportOpenPositions())

    def snapshot_state(self) -> dict[str, Any]:
        return {
            "positions": [
                {"state": encode(state), "token": list(self.tokens[pid])}
                for pid, state in self.states.items()
            ],
            "prices": {mint: str(price) for mint, price in self.prices.items()},
        }

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        for item in state["positions"]:
            exit_state = decode(ExitState, item["state"])
            mint, decimals, wallet = item["token"]
            self.states[exit_state.position_id] = exit_state
            self.tokens[exit_state.position_id] = (str(mint), int(decimals), str(wallet))
        self.prices = {mint: Decimal(price) for mint, price in state["prices"].items()}

    def handle(self, message: Any) -> Any:  # noqa: PLR0912 - one case per message
        match message:
            case PositionOpened():
                self._watch(message)
            case EnsureWatched():
                for opening in message.openings:
                    self._watch(opening)
            case PriceUpdated():
                self._on_price(message.token_mint, message.price)
            case Tick():
                for mint, price in list(self.prices.items()):
                    self._on_price(mint, price)  # time rules fire without a new price
            case SourceWalletSold():
                self._mirror(message)
            case PositionReduced():
                self._filled(message.position_id, message.sold_amount)
            case PositionClosed():
                state = self.states.get(message.position_id)
                if state is not None:
                    self._filled(message.position_id, state.remaining_amount)
            case ExitAbandoned():
                self._update(message.position_id, apply_failure)
            case ClosePosition():
                self._close(message)
            case ExitStrategyChanged():
                # the next price is judged by the new strategy (rule: exits/change.py)
                self._update(message.position_id, lambda s: change_strategy(s, message.strategy))
            case Inspect():
                return {"states": dict(self.states), "watched": self.deps.feed.watched()}
            case _:
                return None
        return None

    def _watch(self, opened: PositionOpened) -> None:
        if opened.position_id in self.states:
            return
        self.states[opened.position_id] = open_exit_state(
            position_id=opened.position_id,
            strategy=opened.strategy,
            entry_price=opened.entry_price,
            amount=opened.token_amount,
            opened_at=opened.ts_event,
        )
        self.tokens[opened.position_id] = (
            opened.token_mint,
            opened.token_decimals,
            opened.wallet,
        )
        self.deps.feed.watch(opened.token_mint, opened.token_decimals)
        self.mark_dirty()

    def _on_price(self, mint: str, price: Decimal) -> None:
        self.prices[mint] = price
        now = self.context.clock.now()
        for position_id, (token, _decimals, _wallet) in list(self.tokens.items()):
            if token == mint:
                state, decisions = on_price(self.states[position_id], price, now)
                self._decided(state, decisions)
        self.mark_dirty()

    def _mirror(self, sold: SourceWalletSold) -> None:
        now = self.context.clock.now()
        for position_id, (token, _decimals, wallet) in list(self.tokens.items()):
            if token == sold.token_mint and wallet == sold.wallet:
                state = self.states[position_id]
                # no price yet: the sale is mirrored anyway (the price is only a record)
                price = self.prices.get(token, state.entry_price)
                self._decided(*on_source_sold(state, sold.sold_fraction, price, now))

    def _close(self, command: ClosePosition) -> None:
        state = self.states.get(command.position_id)
        if state is None:
            return
        mint = self.tokens[command.position_id][0]
        price = self.prices.get(mint, state.entry_price)
        now = self.context.clock.now()
        self._decided(*close_now(state, command.reason, price, now))

    def _decided(self, state: ExitState, decisions: tuple[ExitDecision, ...]) -> None:
        self.states[state.position_id] = state
        mint = self.tokens[state.position_id][0]
        for decision in decisions:
            now = self.context.clock.now()
            self.tell(
                POSITIONS,
                ExitTriggered(
                    correlation_id=state.position_id,
                    ts_event=decision.decided_at,
                    ts_init=now,
                    token_mint=mint,
                    decision=decision,
                ),
            )
        self.mark_dirty()

    def _filled(self, position_id: UUID, sold: int) -> None:
        state = self._update(position_id, lambda s: apply_fill(s, sold))
        if state is not None and state.state is PositionState.CLOSED:
            mint = self.tokens.pop(position_id)[0]
            del self.states[position_id]
            if all(token != mint for token, _d, _w in self.tokens.values()):
                self.deps.feed.unwatch(mint)
                self.prices.pop(mint, None)

    def _update(self, position_id: UUID, step: Any) -> ExitState | None:
        state = self.states.get(position_id)
        if state is None:
            return None
        new_state: ExitState = step(state)
        self.states[position_id] = new_state
        self.mark_dirty()
        return new_state
