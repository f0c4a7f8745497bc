"""PositionActor: turns traded signals into positions and exit decisions into sells.

Why the order of steps: a position row and its order row (unique idempotency key) are
written, then the attempt is journaled durably (`perform_once`, or with an entry sent at
once in the same statement), and only then does a worker run it — so a crash at any
point leaves either no order or one order that a restart settles from the venue
(`recover`), never a second transaction. Entries are sized from the execution's real
balance and skipped while the cached halt state says so; exits never stop. Decisions
live in the domain (sizing, exits.assignment, orders).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from actors.names import CIRCUIT_BREAKER, EXIT_WATCHER
from actors.position_book import NO_FACTORS, Factors, Holding, Working
from actors.position_restart import PositionRestart
from actors.runtime.base import ActorContext
from actors.state_codec import EncodingCache, decode, encode
from actors.strategy_changes import change_exit_strategy, update_exit_strategy
from actors.trading_deps import TradingDeps
from actors.trading_protocol import (
    AttemptFinished,
    BalanceRead,
    EnsureWatched,
    Inspect,
    ReportHaltState,
    ReportOpenPositions,
    Tick,
)
from walltrack.domain.exits import assign_strategy
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.control import TradingHalted, TradingResumed
from walltrack.domain.messages.risk import PositionSizeAdjusted
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import (
    ChangeExitStrategy,
    ClosePosition,
    EntrySkipped,
    ExitTriggered,
    OpenPosition,
    UpdateExitStrategy,
)
from walltrack.domain.orders import entry_order, exit_order
from walltrack.domain.records import SignalRecord
from walltrack.domain.records.trading import PositionState
from walltrack.domain.sizing import (
    EquityPeaks,
    Exposure,
    Portfolio,
    SizingRequest,
    size_position,
)

_SIGNAL_POSITIONS = uuid.UUID("5b0c8e8e-7d1f-4a8e-9c3e-0a3f4c2d9e11")


class PositionActor(PositionRestart):
    """Owns positions and their orders; the only actor that trades."""

    snapshot_kind = "positions"

    def __init__(self, context: ActorContext, deps: TradingDeps) -> None:
        super().__init__(context)
        self.deps = deps
        self.params = deps.current_params()
        self.strategies = deps.current_strategies()
        self.holdings: dict[uuid.UUID, Holding] = {}
        self.working: dict[str, Working] = {}
        self.halted = False
        self.halt_reason = ""
        self.size_multiplier = 1.0
        self.balance: int | None = None  # refreshed by the worker after every attempt
        self.peaks = EquityPeaks()  # daily equity highs: the drawdown tiers of sizing
        self._holdings_json: EncodingCache[uuid.UUID] = EncodingCache()
        self._working_json: EncodingCache[str] = EncodingCache()

    # ----- lifecycle --------------------------------------------------------------------
    def started(self) -> None:
        bus = self.context.bus
        for kind in (TradingHalted, TradingResumed, PositionSizeAdjusted, RuntimeConfigChanged):
            bus.subscribe(kind, self.name)
        self.resume_orders()
        self.tell(EXIT_WATCHER, self._open_positions())
        self.tell(CIRCUIT_BREAKER, ReportHaltState())  # pushed back as an event, never asked

    def snapshot_state(self) -> dict[str, Any]:
        return {
            "holdings": self._holdings_json.encode_all(self.holdings),
            "working": self._working_json.encode_all(self.working),
            "halted": self.halted,
            "halt_reason": self.halt_reason,
            "size_multiplier": self.size_multiplier,
            "peaks": encode(self.peaks),
        }

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        holdings = [decode(Holding, h) for h in state["holdings"]]
        self.holdings = {h.position_id: h for h in holdings}
        working = [decode(Working, w) for w in state["working"]]
        self.working = {w.ticket.key: w for w in working}
        self.halted = bool(state["halted"])
        self.halt_reason = str(state["halt_reason"])
        self.size_multiplier = float(state["size_multiplier"])
        if "peaks" in state:
            self.peaks = decode(EquityPeaks, state["peaks"])

    # ----- messages ---------------------------------------------------------------------
    def handle(self, message: Any) -> Any:  # noqa: PLR0912 - one case per message
        match message:
            case SignalScored() if message.result.traded:
                self._open(*self._command_for(message), signal=message.to_record())
            case OpenPosition():
                self._open(message)
            case ExitTriggered():
                self._exit(message)
            case ClosePosition():
                self.tell(EXIT_WATCHER, message)  # the watcher owns exit decisions
            case ChangeExitStrategy():
                self._change_strategy(message)
            case UpdateExitStrategy():
                self.strategies, updated = update_exit_strategy(
                    self.strategies, message, self.context.clock.now()
                )
                self.publish(updated)
            case AttemptFinished():
                self.attempt_finished(message)
            case BalanceRead() if self.balance is None:  # else a fill's reading is newer
                self.balance = message.lamports
            case Tick():
                pass
            case TradingHalted():
                self.halted, self.halt_reason = True, f"{message.cause}: {message.detail}"
                self.mark_dirty()
            case TradingResumed():
                self.halted, self.halt_reason = False, ""
                self.mark_dirty()
            case PositionSizeAdjusted():
                self.size_multiplier = message.multiplier
                self.mark_dirty()
            case RuntimeConfigChanged():
                self.params = message.params
            case ReportOpenPositions():
                self.tell(EXIT_WATCHER, self._open_positions())
            case Inspect():
                return self._inspect()
            case _:
                return None
        self.run_due()
        return None

    def _command_for(self, scored: SignalScored) -> tuple[OpenPosition, Factors]:
        result = scored.result
        return OpenPosition(
            correlation_id=scored.correlation_id,
            ts_event=scored.ts_event,
            ts_init=self.context.clock.now(),
            position_id=uuid.uuid5(_SIGNAL_POSITIONS, str(scored.signal_id)),
            signal_id=scored.signal_id,
            wallet=scored.wallet,
            token_mint=scored.token_mint,
            score=scored.score,
            conviction_multiplier=result.size_multiplier or 1.0,
            cluster_id=scored.cluster_id,
        ), (result.wallet.value, result.cluster.value, result.token.value, result.context.value)

    def _open(
        self,
        command: OpenPosition,
        factors: Factors = NO_FACTORS,
        *,
        signal: SignalRecord | None = None,
    ) -> None:
        if command.position_id in self.holdings:
            return  # a redelivered signal: the position exists already
        if self.halted:
            self._skip(command, f"entries halted ({self.halt_reason})")
            return
        now = self.context.clock.now()
        exposures = tuple(
            Exposure(token_mint=h.token_mint, cluster_id=h.cluster_id, lamports=h.size_lamports)
            for h in self.holdings.values()
            if h.is_open
        )
        balance = self._balance()
        days = self.params.sizing.drawdown_peak_days
        equity = balance + sum(e.lamports for e in exposures)
        self.peaks = self.peaks.record(equity, now, days)
        portfolio = Portfolio(
            balance_lamports=balance,
            open_positions=exposures,
            peak_equity_lamports=self.peaks.peak(now, days),
        )
        request = SizingRequest(
            token_mint=command.token_mint,
            cluster_id=command.cluster_id,
            conviction_multiplier=command.conviction_multiplier,
            risk_multiplier=self.size_multiplier,
        )
        sizing = size_position(request, portfolio, self.params.sizing)
        if sizing.size_lamports is None:
            self._skip(command, f"sizing: {sizing.skip_reason}")
            return
        strategy = assign_strategy(
            command.score,
            self.params.exits,
            self.strategies,
            override=command.strategy_override,
        )
        holding = Holding(
            position_id=command.position_id,
            signal_id=command.signal_id,
            correlation_id=command.correlation_id,
            wallet=command.wallet,
            token_mint=command.token_mint,
            strategy=strategy,
            score=command.score,
            cluster_id=command.cluster_id,
            factors=factors,
            size_lamports=sizing.size_lamports,
            opened_at=now,
        )
        ticket = entry_order(holding.position_id, sizing.size_lamports, self.params.orders, now)
        # The write is the check: a signal told again after a crash finds its row. The
        # signal's row (the scorer tells before its batch is stored) goes with it.
        stored = self.open_entry(holding, self.new_entry(ticket, holding.token_mint), signal)
        if stored is None:
            return
        if stored.state is PositionState.CLOSED:
            return  # one signal, one position, ever
        self.deps.records.save_position(holding.to_record())
        self.holdings[holding.position_id] = holding
        self.add_order(ticket, holding.token_mint, None)  # stored already: adopted

    def _balance(self) -> int:
        """Free SOL for sizing: the worker's latest reading (at start, then with each fill)."""
        if self.balance is None:
            self.balance = self.deps.execution.balance_lamports()
        return self.balance

    def _skip(self, command: OpenPosition, reason: str) -> None:
        now = self.context.clock.now()
        self.publish(
            EntrySkipped(
                correlation_id=command.correlation_id,
                ts_event=now,
                ts_init=now,
                signal_id=command.signal_id,
                wallet=command.wallet,
                token_mint=command.token_mint,
                reason=reason,
            )
        )

    def _exit(self, triggered: ExitTriggered) -> None:
        holding = self.holdings.get(triggered.position_id)
        if holding is None or not holding.is_open:
            return
        ticket = exit_order(triggered.decision, self.params.orders, self.context.clock.now())
        ticket = replace(ticket, amount_in=min(ticket.amount_in, holding.remaining_amount))
        self.add_order(ticket, holding.token_mint, triggered.decision)

    def _change_strategy(self, command: ChangeExitStrategy) -> None:
        """Persisted first, then published: the watcher re-reads its state from the event."""
        holding = self.holdings.get(command.position_id)
        now = self.context.clock.now()
        changed, event = change_exit_strategy(holding, self.strategies, command, now)
        if changed is not None:
            self.holdings[changed.position_id] = changed
            self.deps.records.save_position(changed.to_record())
            self.mark_dirty()
        self.publish(event)

    def _open_positions(self) -> EnsureWatched:
        now = self.context.clock.now()
        return EnsureWatched(
            openings=tuple(
                h.opened_event(now)
                for h in self.holdings.values()
                if h.is_open and h.entry_price is not None
            )
        )

    def _inspect(self) -> dict[str, Any]:
        return {
            "holdings": {str(k): v for k, v in self.holdings.items()},
            "working": dict(self.working),
            "halted": self.halted,
            "size_multiplier": self.size_multiplier,
            "balance": self.balance,
            "strategies": dict(self.strategies),
        }
