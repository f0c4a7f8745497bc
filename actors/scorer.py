"""ScorerActor: every wallet signal scored on four factors, persisted, and passed on.

Why one actor: scoring needs the latest runtime parameters, the clusters and the recent
swaps of every tracked wallet in the token; all of it is pushed here (config and cluster
events, the wallet actors' signals) and cached, so scoring a signal never waits on a peer.
The score itself is `walltrack.domain.scoring.score_signal`. The token figures come from a
TTL cache fetched off this thread (actors/token_cache.py): the signals of a token seen
for the first time are parked until its figures land; no other signal waits.

No duplicate signal: the signal id is derived from (wallet, transaction signature), the
store ignores an id it already has, and ids already scored are remembered in the snapshot,
so a redelivered or re-signalled swap is neither stored twice nor traded twice.

Group commit (actors/signal_batch.py): signals are stored together, when the batch is
full or its oldest waited 0.25 s, and published once stored. A signal to trade is told to
the positions actor as soon as it is scored: its row is written in the same statement as
its position (a signal is always stored before it can be traded), so the entry never
waits for the batch (nor the batch for it: a traded signal joins a batch later). A batch
not yet stored is `unfinished`: a crash requeues its signals, so none is lost; a traded
one may then be told again, and the positions actor keys its position on the signal id,
so it opens one position, once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from actors.cluster_codec import cluster_from_json, cluster_to_json
from actors.cluster_index import ClusterIndex
from actors.names import POSITIONS
from actors.pipeline_messages import GetStats
from actors.runtime.base import ActorContext, SupervisedActor
from actors.signal_batch import SignalBatch, SignalsWritten, StoreSignals
from actors.token_activity import SeenTrade, TokenActivity
from actors.token_cache import TokenFactsCache, TokenFactsFetched
from walltrack.domain.clustering import FirstBuy, signal_context
from walltrack.domain.messages.clusters import ClusterContextUpdated
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.signals import SignalScored, SourceWalletSold, WalletSignal
from walltrack.domain.params import RuntimeParams
from walltrack.domain.scoring import ContextInputs, SignalInputs, score_signal
from walltrack.domain.scoring.context_factor import price_volatility
from walltrack.domain.scoring.token_factor import TokenFactorInputs
from walltrack.domain.swap_types import Side, Swap
from walltrack.logging import get_logger
from walltrack.pipeline_ports import SignalSink, TokenFacts

_log = get_logger("scorer")

SCORED_KEPT = 2048
"""Signal ids remembered as scored (the snapshot's guard against a redelivery)."""
PRUNE_EVERY = 1024
"""Signals between two sweeps of tokens gone quiet from the activity windows."""
SIGNAL_NAMESPACE = uuid5(NAMESPACE_URL, "walltrack:signal")


def signal_id_for(wallet: str, signature: str) -> UUID:
    """The signal id of `wallet`'s swap in transaction `signature` (stable across paths)."""
    return uuid5(SIGNAL_NAMESPACE, f"{wallet}:{signature}")


class ScorerActor(SupervisedActor):
    """WalletSignal -> SignalScored (stored, told to the positions actor, published)."""

    snapshot_kind = "scorer"

    def __init__(
        self,
        context: ActorContext,
        signals: SignalSink,
        tokens: TokenFacts,
        params: RuntimeParams,
        *,
        positions: str | None = POSITIONS,
        token_ttl_s: float = 60.0,
        snapshot_every_s: float = 0.5,
    ) -> None:
        super().__init__(context)
        self._signals = signals
        self._tokens = TokenFactsCache(
            tokens, context.clock, lambda fetched: self.tell(self.name, fetched), ttl_s=token_ttl_s
        )
        self._parked: dict[str, list[WalletSignal]] = {}  # mint -> signals awaiting its facts
        self._positions = positions
        self.params = params
        self.clusters = ClusterIndex()
        self.activity = TokenActivity(self._horizon_s())
        self.scored: deque[str] = deque(maxlen=SCORED_KEPT)
        self._scored_set: set[str] = set()
        self.stats = {"scored": 0, "traded": 0, "skipped": 0, "duplicates": 0}
        self._snapshot_every_s = snapshot_every_s
        self._saved_at = float("-inf")
        self._batch = SignalBatch(self._signals.insert_many, lambda m: self.tell(self.name, m))

    def started(self) -> None:
        self.context.bus.subscribe(RuntimeConfigChanged, self.name)
        # ClusterContextUpdated is told by the ClusterActor, the one owner of the clusters.

    def snapshot_state(self) -> dict[str, Any]:
        return {
            "clusters": [cluster_to_json(c) for c in self.clusters],
            "activity": self.activity.to_json(),
            "scored": list(self.scored),
        }

    def restore_state(self, state: Mapping[str, Any], version: int) -> None:
        self.clusters.replace(cluster_from_json(c) for c in state["clusters"])
        self.activity.load_json(state["activity"])
        self.scored.extend(state["scored"])
        self._scored_set = set(self.scored)

    def handle(self, message: Any) -> Any:
        match message:
            case WalletSignal():
                self._admit(message)
            case TokenFactsFetched():
                self._tokens.arrived(message)
                self._release(message.mint)
            case SourceWalletSold(swap=swap):
                self._record(swap)
            case ClusterContextUpdated():
                self.clusters.apply(
                    message.clusters, removed=message.removed, replace_all=message.replace_all
                )
                self.mark_dirty()
            case RuntimeConfigChanged(params=params):
                self.params = params
                self.activity.horizon = timedelta(seconds=self._horizon_s())
            case GetStats():
                return {
                    **self.stats,
                    "clusters": len(self.clusters),
                    "token_fetches": self._tokens.fetches,
                }
            case StoreSignals():
                self._batch.reminded()
            case SignalsWritten():
                self._published(self._batch.written(message))
        if self._batch.full:
            self._batch.start_write()
        return None

    def idle(self) -> None:
        if self._batch.due():
            self._batch.start_write()

    def settle(self) -> None:
        for fetched in self._tokens.settle():
            self._release(fetched.mint)
        self._store_all()

    def unfinished(self) -> list[Any]:
        parked = [signal for signals in self._parked.values() for signal in signals]
        return [signal for signal, _scored in self._batch.waiting] + parked

    def on_stop(self) -> None:
        self._tokens.close()
        self._store_all()  # the stores stop after the scorer: the batch is stored
        self._batch.close()
        super().on_stop()

    # ----- scoring ----------------------------------------------------------------------
    def _admit(self, signal: WalletSignal) -> None:
        """Score now, or park behind the fetch of a token seen for the first time (only
        that token's signals wait; they are scored in arrival order when it lands)."""
        mint = signal.token_mint
        waiting = self._parked.get(mint)
        if waiting is not None:
            waiting.append(signal)
        elif self._tokens.cached(mint) is None:
            self._parked[mint] = [signal]
            self._tokens.fetch(mint)
        else:
            self._on_signal(signal)

    def _release(self, mint: str) -> None:
        for signal in self._parked.pop(mint, ()):
            self._on_signal(signal)

    def _on_signal(self, signal: WalletSignal) -> None:
        swap = signal.swap
        signal_id = signal_id_for(signal.wallet, swap.signature)
        key = str(signal_id)
        if key in self._scored_set or key in self._batch:
            self.stats["duplicates"] += 1
            return
        params = self.params
        at = swap.timestamp
        window_s = params.scoring.context.activity_window_s
        recent = self.activity.window(swap.token_mint, at, window_s)
        others = {t.wallet for t in recent if t.is_buy and t.wallet != signal.wallet}
        member_of = self.clusters.of(signal.wallet)
        buys: list[FirstBuy] = []  # only a cluster member's context reads them (65 µs)
        if member_of is not None:
            amplification_s = params.clusters.amplification_window_s
            buys = self.activity.first_buys(swap.token_mint, at, amplification_s)
        cluster = signal_context(
            signal.wallet,
            swap.token_mint,
            clusters=() if member_of is None else (member_of,),
            buys=buys,
            now=at,
            params=params.clusters,
        )
        wallet_inputs = signal.wallet_inputs
        leader = None if member_of is None else member_of.leader
        if leader is not None and leader == signal.wallet and not wallet_inputs.is_leader:
            wallet_inputs = replace(wallet_inputs, is_leader=True)
        inputs = SignalInputs(
            wallet=wallet_inputs,
            cluster=cluster,
            token=self._tokens.cached(swap.token_mint) or TokenFactorInputs(),
            context=ContextInputs(
                recent_trade_count=len(recent),
                volatility=price_volatility([t.price for t in recent] + [_price(swap)]),
                other_tracked_wallets=len(others),
            ),
        )
        now = self.context.clock.now()
        result = score_signal(inputs, params, now)
        scored = SignalScored(
            correlation_id=signal.correlation_id,
            ts_event=swap.timestamp,
            ts_init=now,
            signal_id=signal_id,
            wallet=signal.wallet,
            token_mint=swap.token_mint,
            swap_signature=swap.signature,
            amount_lamports=swap.sol_lamports,
            cluster_id=cluster.cluster_id,
            result=result,
        )
        self._record(swap)  # the context of the next signal includes this one
        positions = self._positions if result.traded else None
        self._batch.add(signal, scored, hold=positions is not None)
        if positions is not None:
            # Told now: the positions actor writes this signal's row with its position.
            self.tell(positions, scored)

    def _store_all(self) -> None:
        """Wait for the write under way, then write what waits; publish both."""
        answer = self._batch.wait()
        if answer is not None:
            self._published(self._batch.written(answer))
        if self._batch.start_write(held_too=True) and (answer := self._batch.wait()) is not None:
            self._published(self._batch.written(answer))

    def _published(self, written: list[tuple[WalletSignal, SignalScored]]) -> None:
        """Signals now stored: published, and remembered as scored."""
        for _signal, scored in written:
            self.publish(scored)
            self._remember(str(scored.signal_id))
            self.stats["scored"] += 1
            self.stats["traded" if scored.result.traded else "skipped"] += 1

    def _record(self, swap: Swap) -> None:
        trade = SeenTrade(swap.timestamp, swap.wallet, swap.side is Side.BUY, _price(swap))
        self.activity.record(swap.token_mint, trade)
        self._changed()

    def _remember(self, key: str) -> None:
        if len(self.scored) == self.scored.maxlen:
            self._scored_set.discard(self.scored[0])
        self.scored.append(key)
        self._scored_set.add(key)
        if len(self.scored) % PRUNE_EVERY == 0:
            self.activity.prune(self.context.clock.now())
        self._changed()

    def _changed(self) -> None:
        """Snapshot at most every `snapshot_every_s`: the windows are large and hot.

        What a crash can lose is the last interval's memory: a signal re-emitted by a
        restarted wallet actor within it is stored once (same id) but may be told to the
        positions actor again, which keys its orders on the signal id.
        """
        now = self.context.clock.monotonic()
        if now - self._saved_at >= self._snapshot_every_s:
            self._saved_at = now
            self.mark_dirty()

    def _horizon_s(self) -> float:
        p = self.params
        return float(max(p.scoring.context.activity_window_s, p.clusters.amplification_window_s))


def _price(swap: Swap) -> Decimal:
    return Decimal(swap.sol_lamports) / Decimal(swap.token_amount)
