"""The trading wiring of a paper process: stores reached lazily, the paper balance rebuilt
from them, and the pacer's own ticks and price polls driving orders and exits."""

from __future__ import annotations

import pytest

from actors.names import POSITIONS, wallet_actor
from actors.runtime.protocol import Ping
from supervisors.runtime import TreeRuntime
from supervisors.specs import ChildSpec, Intensity, Strategy
from supervisors.supervisor import SupervisorSpec
from supervisors.trading_tree import TRADING_ROUTES
from supervisors.trading_wiring import TradingVenues, wire_trading
from tests.runtime.kit import make_services
from tests.trading.kit import (
    SMART,
    SOL,
    START,
    Events,
    FeedbackSink,
    persisted,
    scored_signal,
)
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.resilience import RateLimit
from walltrack.clock import ManualClock
from walltrack.domain.messages.trading import OrderSubmitted, PositionOpened
from walltrack.errors import ConfigurationError
from walltrack.sim.thread import SimulationThread


@pytest.fixture
def venues(sim: SimulationThread) -> TradingVenues:
    return TradingVenues(
        jupiter_base_url=sim.endpoints.jupiter_base_url,
        jupiter_api_key="sim-jupiter-key",
        jupiter_rate_limit=RateLimit(limit=1_000_000, window_s=1.0),
    )


def test_a_paper_process_trades_on_the_pacers_ticks(
    sim: SimulationThread, pg_db: Database, venues: TradingVenues
) -> None:
    clock = ManualClock(START)
    services = make_services(clock)
    events = Events()
    services.bus.listen(events)
    wiring = wire_trading(
        services, lambda: pg_db, venues, mode="paper", paper_starting_lamports=5 * SOL, pace_s=0.05
    )
    feedback: list[object] = []
    spec = SupervisorSpec(
        strategy=Strategy.REST_FOR_ONE,
        intensity=Intensity(max_restarts=5, window_s=60),
        children=[
            ChildSpec(
                name=wallet_actor(SMART),
                start=lambda context: FeedbackSink.start(context, feedback),
            ),
            *wiring.children(services),
        ],
    )
    runtime = TreeRuntime(services, spec, TRADING_ROUTES)
    runtime.start()
    wiring.start()
    try:
        mint = sim.call(lambda s: s.world.market.token_list[-1].mint)
        assert wiring.deps.execution.balance_lamports() == 5 * SOL
        services.registry.tell(POSITIONS, persisted(pg_db, scored_signal(mint)))
        services.registry.ask(POSITIONS, Ping(), timeout=10)  # the signal is in
        assert events.of(OrderSubmitted) == []
        clock.advance(3.0)  # the pacer's next tick finds the entry due
        (opened,) = events.wait_for(PositionOpened)
        assert opened.token_mint == mint
        assert wiring.deps.execution.balance_lamports() == 5 * SOL - opened.entry_lamports
    finally:
        runtime.shutdown(timeout=30)
        wiring.close()


def test_live_wiring_refuses_to_start_without_a_keypair(
    pg_db: Database, venues: TradingVenues
) -> None:
    services = make_services()
    with pytest.raises(ConfigurationError) as missing:
        wire_trading(services, lambda: pg_db, venues, mode="live")
    assert missing.value.variable == "WALLTRACK_KEYPAIR"
