"""WalletActor: one per tracked wallet (virtual), the wallet's memory on the signal path.

Why an actor per wallet: a wallet's swaps must be handled in order (a sell is measured
against what it bought) and its score moves with every closed copy; an actor serialises
both without locks. It is virtual: started by its first message from its snapshot (or
the wallets table the first time), passivated when idle, so 100,000 tracked wallets
cost registry entries, not threads. The decisions (feedback, decay) are domain functions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

from actors.names import CLUSTER, EXIT_WATCHER, SCORER, wallet_of
from actors.pipeline_messages import GetStats
from actors.runtime.base import ActorContext, SupervisedActor
from walltrack.domain.decay import DecayState, evaluate_decay, is_decayed
from walltrack.domain.feedback import apply_trade_feedback
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.messages.signals import SourceWalletSold, WalletSignal
from walltrack.domain.messages.trading import PositionOpened
from walltrack.domain.messages.wallets import (
    TradeClosedFeedback,
    WalletDecayChanged,
    WalletScoreUpdated,
    WalletStatusChanged,
)
from walltrack.domain.params import RuntimeParams
from walltrack.domain.records.wallets import (
    DecayStatus,
    WalletProfile,
    WalletRecord,
    WalletStatus,
)
from walltrack.domain.scoring.wallet_factor import WalletFactorInputs
from walltrack.domain.swap_types import Side
from walltrack.pipeline_ports import WalletDirectory

ACTIVATION_READERS = 8
"""Threads reading wallet records for activations (at most this many in parallel)."""
SEEN_SIGNATURES = 128
"""Swaps remembered per wallet: a redelivered or backfilled swap is never signalled twice."""
OUTCOMES_KEPT = 100


class WalletActor(SupervisedActor):
    """Turns the wallet's swaps into signals and its closed copies into score feedback."""

    snapshot_kind = "wallet"

    def __init__(
        self,
        context: ActorContext,
        directory: WalletDirectory,
        params: Callable[[], RuntimeParams],
    ) -> None:
        super().__init__(context)
        self.address = wallet_of(context.name)
        self._directory = directory
        self._params = params
        self.status = WalletStatus.WATCHLISTED
        self.profile = WalletProfile()
        self.score = self.profile.score
        self.decay = DecayState()
        self.holdings: dict[str, int] = {}  # token mint -> raw units bought and not sold
        self.open_positions: set[str] = set()
        self.outcomes: deque[bool] = deque(maxlen=OUTCOMES_KEPT)
        self.seen: deque[str] = deque(maxlen=SEEN_SIGNATURES)
        self.applied: deque[str] = deque(maxlen=SEEN_SIGNATURES)
        self.ignored = 0
        self._restored = False
        self._record: Future[WalletRecord | None] = Future()

    # ----- lifecycle --------------------------------------------------------------------
    def on_start(self) -> None:
        # The record is read while the snapshot is: an activation is on the signal path
        # of the swap that caused it, and the two reads were two round trips in a row.
        self._record = _activation_reads().submit(self._directory.get, self.address)
        super().on_start()

    def started(self) -> None:
        # Status and profile metrics are the intel jobs' (re-profiling, lifecycle): read
        # fresh on every activation. Score and decay are this actor's own once it has a
        # snapshot, so a feedback redelivered after a crash is applied to the same base.
        record = self._record.result()
        if record is not None:
            self.status = record.status
            self.profile = replace(record.profile, score=self.score)
            if not self._restored:
                self.score = record.profile.score
                self.decay = DecayState(status=record.profile.decay_status)
        self.mark_dirty()

    def snapshot_state(self) -> dict[str, Any]:
        p = self.profile
        return {
            "status": self.status.value,
            "score": self.score,
            "decay": self.decay.status.value,
            "penalised": self.decay.penalised_losses,
            "profile": {
                "trade_count": p.trade_count,
                "win_rate": p.win_rate,
                "total_pnl_lamports": p.total_pnl_lamports,
                "timing_percentile": p.timing_percentile,
                "consistency": p.consistency,
            },
            "holdings": dict(self.holdings),
            "open_positions": sorted(self.open_positions),
            "outcomes": list(self.outcomes),
            "seen": list(self.seen),
            "applied": list(self.applied),
        }

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self._restored = True
        self.status = WalletStatus(state["status"])
        self.score = float(state["score"])
        self.decay = DecayState(
            status=DecayStatus(state["decay"]), penalised_losses=int(state["penalised"])
        )
        profile = state["profile"]
        self.profile = WalletProfile(
            trade_count=int(profile["trade_count"]),
            win_rate=float(profile["win_rate"]),
            total_pnl_lamports=int(profile["total_pnl_lamports"]),
            timing_percentile=profile["timing_percentile"],
            consistency=profile["consistency"],
            score=self.score,
        )
        self.holdings = {mint: int(units) for mint, units in state["holdings"].items()}
        self.open_positions = set(state["open_positions"])
        self.outcomes.extend(bool(o) for o in state["outcomes"])
        self.seen.extend(state["seen"])
        self.applied.extend(state["applied"])

    # ----- messages ---------------------------------------------------------------------
    def handle(self, message: Any) -> Any:
        match message:
            case SwapObserved():
                self._on_swap(message)
            case TradeClosedFeedback():
                self._on_feedback(message)
            case PositionOpened(position_id=position_id):
                self.open_positions.add(str(position_id))
                self.mark_dirty()
            case WalletStatusChanged(new_status=status):
                self.status = status
                self.mark_dirty()
            case GetStats():
                return {
                    "score": self.score,
                    "status": self.status.value,
                    "ignored": self.ignored,
                    "open_positions": len(self.open_positions),
                }
        return None

    def _on_swap(self, message: SwapObserved) -> None:
        if self.status is WalletStatus.BLACKLISTED:
            self.ignored += 1
            return
        if message.signature in self.seen:
            return
        self.seen.append(message.signature)
        self.mark_dirty()
        swap = message.swap
        now = self.context.clock.now()
        if swap.side is Side.BUY:
            self.holdings[swap.token_mint] = (
                self.holdings.get(swap.token_mint, 0) + swap.token_amount
            )
            signal = WalletSignal(
                correlation_id=message.correlation_id,
                ts_event=swap.timestamp,
                ts_init=now,
                wallet=self.address,
                token_mint=swap.token_mint,
                swap=swap,
                wallet_inputs=self._inputs(),
            )
            self.tell(SCORER, signal)
            self.tell(CLUSTER, signal)
            return
        held = self.holdings.get(swap.token_mint, 0)
        fraction = Decimal(1) if held <= swap.token_amount else Decimal(swap.token_amount) / held
        self.holdings[swap.token_mint] = max(0, held - swap.token_amount)
        if self.holdings[swap.token_mint] == 0:
            del self.holdings[swap.token_mint]
        sold = SourceWalletSold(
            correlation_id=message.correlation_id,
            ts_event=swap.timestamp,
            ts_init=now,
            wallet=self.address,
            token_mint=swap.token_mint,
            swap=swap,
            sold_fraction=fraction,
        )
        self.tell(EXIT_WATCHER, sold)
        self.tell(SCORER, sold)  # token activity for the context factor

    def _inputs(self) -> WalletFactorInputs:
        p = self.profile
        return WalletFactorInputs(
            win_rate=p.win_rate,
            total_pnl_lamports=p.total_pnl_lamports,
            timing_percentile=p.timing_percentile,
            consistency=p.consistency,
            trade_count=p.trade_count,
            is_decayed=is_decayed(self.decay.status),
            score=self.score,
        )

    def _on_feedback(self, message: TradeClosedFeedback) -> None:
        key = str(message.position_id)
        if key in self.applied:
            return
        params = self._params()
        now = self.context.clock.now()
        update = apply_trade_feedback(self.score, message.pnl_ratio, params.feedback)
        verdict = evaluate_decay(
            outcomes=[*self.outcomes, update.won],
            lifetime_win_rate=self.profile.win_rate if self.profile.trade_count else None,
            last_activity_at=now,
            now=now,
            previous=self.decay,
            params=params.decay,
        )
        new_score = min(1.0, max(0.0, update.new_score * verdict.score_multiplier))
        self._directory.set_score(self.address, new_score)  # an absolute value: safe to redo
        old_score, old_decay = self.score, self.decay.status
        self.score = new_score
        self.outcomes.append(update.won)
        self.decay = verdict.state
        self.open_positions.discard(key)
        self.applied.append(key)
        self.mark_dirty()
        cid = message.correlation_id
        self.publish(
            WalletScoreUpdated(
                correlation_id=cid,
                ts_event=now,
                ts_init=now,
                wallet=self.address,
                old_score=old_score,
                new_score=new_score,
                cause=f"trade {'won' if update.won else 'lost'} {update.pnl_ratio:+.1%}",
                flagged=new_score < params.feedback.flag_below,
            )
        )
        if verdict.changed:
            self.publish(
                WalletDecayChanged(
                    correlation_id=cid,
                    ts_event=now,
                    ts_init=now,
                    wallet=self.address,
                    old_status=old_decay,
                    new_status=verdict.state.status,
                    reason=verdict.reason,
                    score_multiplier=verdict.score_multiplier,
                )
            )


@cache
def _activation_reads() -> ThreadPoolExecutor:
    """The process's readers of wallet records for activations (made on first use)."""
    return ThreadPoolExecutor(ACTIVATION_READERS, thread_name_prefix="wallet-record")
