"""Restart intensity: N restarts in T seconds, then stop, escalate, and at the root halt."""

from __future__ import annotations

import threading

from actors.runtime.protocol import Ping
from supervisors.runtime import EXIT_GAVE_UP
from supervisors.specs import Intensity
from supervisors.supervisor import SupervisorSpec, supervisor_child
from tests.runtime.kit import (
    START,
    Add,
    Fault,
    Get,
    Journal,
    ask,
    make_services,
    probe_spec,
    registry,
    running_tree,
    tell,
)
from walltrack.clock import ManualClock
from walltrack.domain.messages.control import HaltCause, TradingHalted


def test_root_gives_up_halts_trading_and_exits_non_zero() -> None:
    services = make_services()
    halted: list[TradingHalted] = []
    seen = threading.Event()

    def on_event(event: object) -> None:
        if isinstance(event, TradingHalted):
            halted.append(event)
            seen.set()

    services.bus.listen(on_event)
    journal = Journal()
    with running_tree(
        [probe_spec("a", journal), probe_spec("b", journal)],
        services=services,
        intensity=Intensity(max_restarts=2, window_s=10),
    ) as runtime:
        for _ in range(3):
            tell(runtime, "a", Fault())
        assert runtime.wait(timeout=10) == EXIT_GAVE_UP

    assert seen.is_set()
    assert halted[0].cause is HaltCause.SUPERVISION_GAVE_UP
    assert "more than 2 restarts" in halted[0].detail
    assert journal.starting_with("stop b")  # the root stopped its children before giving up
    assert registry(runtime).get("a").state.value == "stopped"


def test_restarts_spread_beyond_the_window_never_give_up() -> None:
    clock = ManualClock(START)
    journal = Journal()
    with running_tree(
        [probe_spec("a", journal)],
        services=make_services(clock),
        intensity=Intensity(max_restarts=2, window_s=10),
    ) as runtime:
        for _ in range(5):
            tell(runtime, "a", Fault())
            ask(runtime, "a", Get())
            clock.advance(11)
        assert runtime.wait(timeout=0) is None  # still running
        assert registry(runtime).get("a").restarts == 5


def test_child_supervisor_that_gives_up_is_restarted_by_its_parent() -> None:
    services = make_services()
    journal = Journal()
    sub = SupervisorSpec(
        intensity=Intensity(max_restarts=1, window_s=10),
        children=[probe_spec("w", journal)],
    )
    with running_tree([supervisor_child("sub", services, sub)], services=services) as runtime:
        tell(runtime, "w", Add(1))
        tell(runtime, "w", Fault(corrupt=False))
        tell(runtime, "w", Fault(corrupt=False))
        # The second crash exceeds sub's intensity: sub stops w and escalates; the root
        # restarts sub, which starts w again from its snapshot.
        assert ask(runtime, "w", Get()) == [1]
        ask(runtime, "sub", Ping())  # waits until the root attached sub's new incarnation
        assert registry(runtime).get("sub").restarts == 1
        assert registry(runtime).get("sub").incarnation == 2
        assert runtime.wait(timeout=0) is None
