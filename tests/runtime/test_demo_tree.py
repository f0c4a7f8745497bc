"""The demo tree: faults injected everywhere, totals never lost, wallets passivate."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from actors.demo import LEDGER, SCORER, DemoSignal, DemoSwap, InjectFault
from actors.runtime.protocol import Ping, SweepIdle, TrackNames
from supervisors.demo_tree import DEMO_ROUTES, WALLETS, demo_tree
from supervisors.runtime import TreeRuntime
from tests.runtime.kit import make_services
from walltrack.domain.messages.control import PauseTrading, ResumeTrading
from walltrack.domain.tree import ActorState


def test_demo_flow_survives_injected_faults_without_losing_totals() -> None:
    services = make_services()
    runtime = TreeRuntime(services, demo_tree(services, passivate_after_s=0.0))
    runtime.start()
    registry = services.registry
    try:
        wallets = tuple(f"w{index}" for index in range(20))
        registry.ask(WALLETS, TrackNames(wallets), timeout=10)
        expected_signals = 0
        for round_ in range(30):
            wallet = wallets[round_ % len(wallets)]
            registry.tell(wallet, DemoSwap(wallet, 1_000))
            # Each wallet's score grows with its swaps: from its 20th swap on it passes 70 %.
            swaps_so_far = round_ // len(wallets) + 1
            expected_signals += 1 if 5_000 + swaps_so_far * 100 >= 7_000 else 0
            if round_ % 7 == 0:
                for target in (LEDGER, SCORER, wallet):
                    registry.tell(target, InjectFault.new())
        # FIFO per actor: once every wallet and the scorer answered, the ledger has it all.
        for wallet in wallets:
            registry.ask(wallet, Ping(), timeout=10)
        registry.ask(SCORER, Ping(), timeout=10)
        totals = registry.ask(LEDGER, "totals", timeout=10)
        assert (totals["signals"], totals["lamports"]) == (
            expected_signals,
            1_000 * expected_signals,
        )
        tree = runtime.tree()
        assert tree.by_name(LEDGER).restarts >= 4  # type: ignore[union-attr]
        assert tree.quarantined == ()  # each fault crashed once; its redelivery was skipped
        # Every fault has been handled now (each actor answered after its own); wake every
        # wallet again (a late ledger fault restarts the wallet supervisor), then passivate.
        for wallet in wallets:
            registry.ask(wallet, Ping(), timeout=10)
        assert all(registry.get(w).state is ActorState.RUNNING for w in wallets)
        assert registry.ask(WALLETS, SweepIdle(), timeout=10) == len(wallets)
    finally:
        assert runtime.shutdown(timeout=30) == 0


def test_pause_and_resume_reach_the_demo_ledger_and_are_published() -> None:
    services = make_services()
    events: list[object] = []
    published = threading.Condition()

    def on_event(event: object) -> None:
        with published:
            events.append(event)
            published.notify_all()

    def wait_for_events(count: int) -> None:
        with published:
            assert published.wait_for(lambda: len(events) >= count, timeout=10)

    services.bus.listen(on_event)
    runtime = TreeRuntime(services, demo_tree(services, passivate_after_s=60.0), DEMO_ROUTES)
    runtime.start()
    registry = services.registry
    try:
        runtime.control(_command(PauseTrading))
        wait_for_events(1)  # the ledger handled the pause and announced it
        registry.tell(LEDGER, DemoSignal("w", 5, 9_000))
        assert registry.ask(LEDGER, "totals", timeout=10)["skipped_paused"] == 1
        runtime.control(_command(ResumeTrading))
        wait_for_events(2)
        registry.tell(LEDGER, DemoSignal("w", 5, 9_000))
        totals = registry.ask(LEDGER, "totals", timeout=10)
        assert (totals["signals"], totals["paused"]) == (1, False)
        assert [type(e).__name__ for e in events] == ["TradingHalted", "TradingResumed"]
    finally:
        runtime.shutdown(timeout=30)


def _command(kind: type[Any]) -> Any:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    return kind(correlation_id=uuid.uuid4(), ts_event=now, ts_init=now, requested_by="test")
