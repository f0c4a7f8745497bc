"""Wallet, scorer, position and exit-watcher actors killed mid-stream in the whole process
(issue 5, item 18): no signal lost, none stored twice, no duplicate position or order,
and every open position still watched afterwards.

Each actor is killed once, at the point where it hurts most: the wallet actor after it
told the scorer, the scorer before it stored a signal, the position actor right after it
took a signal in, the exit watcher right after it took a new position over.
"""

from __future__ import annotations

import threading
from typing import Any

from actors.exit_watcher import ExitWatcherActor
from actors.names import EXIT_WATCHER, POSITIONS, SCORER, wallet_actor
from actors.positions import PositionActor
from actors.scorer import ScorerActor
from actors.trading_protocol import Inspect
from actors.wallet import WalletActor
from supervisors.signal_tree import SignalActors
from supervisors.trading_tree import TradingActors
from tests.e2e.kit import (
    EndToEnd,
    Trader,
    enhanced,
)
from walltrack.adapters.execution.paper import PaperExecution
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.messages.signals import SignalScored, WalletSignal
from walltrack.domain.messages.trading import OrderSubmitted, PositionOpened


class Kills:
    """Which actor dies on which token, each once."""

    def __init__(self, plan: dict[str, str]) -> None:
        self._pending = dict(plan)  # actor kind -> token mint
        self._lock = threading.Lock()
        self.fired: list[str] = []

    def fire(self, kind: str, mint: str) -> bool:
        with self._lock:
            if self._pending.get(kind) != mint:
                return False
            del self._pending[kind]
            self.fired.append(kind)
            return True


def _killable(kills: Kills) -> tuple[SignalActors, TradingActors]:
    class Wallet(WalletActor):
        def handle(self, message: Any) -> Any:
            result = super().handle(message)  # the signal is already told to the scorer
            if isinstance(message, SwapObserved) and kills.fire("wallet", message.swap.token_mint):
                raise RuntimeError("wallet actor killed after signalling")
            return result

    class Scorer(ScorerActor):
        def handle(self, message: Any) -> Any:
            if isinstance(message, WalletSignal) and kills.fire("scorer", message.swap.token_mint):
                raise RuntimeError("scorer killed before storing")
            return super().handle(message)

    class Positions(PositionActor):
        def handle(self, message: Any) -> Any:
            result = super().handle(message)
            if isinstance(message, SignalScored) and kills.fire("positions", message.token_mint):
                raise RuntimeError("position actor killed after taking the signal in")
            return result

    class Watcher(ExitWatcherActor):
        def handle(self, message: Any) -> Any:
            result = super().handle(message)
            if isinstance(message, PositionOpened) and kills.fire("watcher", message.token_mint):
                raise RuntimeError("exit watcher killed after taking a position over")
            return result

    return (
        SignalActors(wallet=Wallet, scorer=Scorer),
        TradingActors(positions=Positions, exit_watcher=Watcher),
    )


def test_killed_actors_lose_nothing_and_duplicate_nothing(
    e2e: EndToEnd,
) -> None:
    sim = e2e.sim
    smart = Trader(sim, "e2e-crashes")
    first, second, third = e2e.curve_mints(3)
    e2e.seed([smart.address], [first, second, third])
    kills = Kills({"wallet": first, "scorer": second, "positions": third, "watcher": first})
    signal_actors, trading_actors = _killable(kills)
    signatures = [smart.buy(mint, 1) for mint in (first, second, third)]

    with e2e.process(signal_actors=signal_actors, trading_actors=trading_actors) as process:
        reply = process.post([enhanced(sim, s) for s in signatures])  # one delivery of three
        assert (reply.status_code, reply.json()["swaps"]) == (200, 3)
        process.flow(smart.address)
        process.flow(smart.address)  # what the restarts requeued went through too
        process.trading.pass_time(3.1)
        opened = process.events.wait_for(PositionOpened, 3)
        process.trading.pass_time(3.1)
        process.trading.settle()

        assert sorted(kills.fired) == ["positions", "scorer", "wallet", "watcher"]
        assert sorted(o.token_mint for o in opened) == sorted([first, second, third])
        assert len(process.events.of(PositionOpened)) == 3
        submitted = process.events.of(OrderSubmitted)
        assert len(submitted) == len({s.idempotency_key for s in submitted}) == 3
        execution = process.trading.execution
        assert isinstance(execution, PaperExecution)
        assert len(execution.ledger.fills) == 3
        rows = process.stores.db.read(
            lambda c: c.execute(
                "SELECT tx_signature, count(*) AS n FROM signals GROUP BY tx_signature"
            ).fetchall()
        )
        assert {row["tx_signature"]: row["n"] for row in rows} == dict.fromkeys(signatures, 1)
        watched = process.trading.ask(EXIT_WATCHER, Inspect())
        assert set(watched["states"]) == {o.position_id for o in opened}
        assert set(process.trading.feed.watched()) == {first, second, third}
        restarts = process.restarts()
        for name in (wallet_actor(smart.address), SCORER, POSITIONS, EXIT_WATCHER):
            assert restarts.get(name, 0) >= 1, restarts
