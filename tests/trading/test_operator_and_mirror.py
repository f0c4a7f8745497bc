"""An operator's manual entry with a strategy override, a mirror exit when the source
wallet sells, and the breaker's health alert after 48 h without a signal."""

from __future__ import annotations

import uuid
from decimal import Decimal

from actors.names import CIRCUIT_BREAKER, EXIT_WATCHER
from actors.trading_protocol import Tick
from tests.trading.kit import SMART, command_fields, paper_execution, running_trading
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.exit_strategies import ExitStrategyRepository
from walltrack.domain.exits import PRESETS_BY_NAME
from walltrack.domain.messages.risk import RiskAlertRaised
from walltrack.domain.messages.signals import SourceWalletSold
from walltrack.domain.messages.trading import OpenPosition, PositionOpened, PositionReduced
from walltrack.domain.params.exit_presets import ExitStrategy
from walltrack.domain.records import AlertSeverity
from walltrack.domain.records.trading import ExitReason
from walltrack.domain.swap_types import Side, Swap
from walltrack.sim.thread import SimulationThread

MIRROR = ExitStrategy(name="mirror_all", stop_loss=Decimal("0.9"), mirror_exit=True)


def test_override_mirror_exit_and_no_signal_alert(sim: SimulationThread, pg_db: Database) -> None:
    ExitStrategyRepository(pg_db).save(MIRROR)  # the operator stored it
    strategies = {**PRESETS_BY_NAME, MIRROR.name: MIRROR}
    with running_trading(sim, pg_db, paper_execution(), strategies=strategies) as (
        trading,
        market,
    ):
        (mint,) = market.mints(1)
        trading.control(
            OpenPosition(
                **command_fields(),
                position_id=uuid.uuid4(),
                signal_id=None,
                wallet=SMART,
                token_mint=mint,
                score=0.95,  # would be diamond hands: the override wins
                strategy_override=MIRROR.name,
            )
        )
        trading.pass_time(3.0)
        (opened,) = trading.events.wait_for(PositionOpened)
        assert opened.strategy == MIRROR
        trading.poll_prices()  # the watcher knows the token's price
        now = trading.clock.now()
        sold = SourceWalletSold(
            correlation_id=uuid.uuid4(),
            ts_event=now,
            ts_init=now,
            wallet=SMART,
            token_mint=mint,
            swap=Swap(
                wallet=SMART,
                side=Side.SELL,
                token_mint=mint,
                token_amount=1_000,
                token_decimals=6,
                sol_lamports=1_000,
                network_fee_lamports=5_000,
                venue="PUMP_FUN",
                signature="sell-sig",
                slot=1,
                timestamp=now,
                fee_payer=SMART,
            ),
            sold_fraction=Decimal("0.5"),
        )
        trading.runtime.services.bus.publish(sold)
        trading.pass_time(3.0)
        (mirrored,) = trading.events.wait_for(PositionReduced)
        assert mirrored.reason is ExitReason.MIRROR
        assert mirrored.sold_amount == opened.token_amount // 2

        trading.clock.advance(49 * 3600)
        trading.tell(CIRCUIT_BREAKER, Tick())
        trading.tell(EXIT_WATCHER, Tick())
        (alert_event,) = trading.events.wait_for(RiskAlertRaised)
        assert alert_event.finding.rule == "signal_silence"
        trading.settle()
        alerts = trading.records.alerts.recent()
        assert [(a.code, a.severity) for a in alerts] == [("signal_silence", AlertSeverity.WARNING)]
