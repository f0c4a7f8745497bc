"""A tracked smart wallet buys; WallTrack copies it and exits by strategy (issue 5, item 14).

The buy is a real simulated transaction delivered as Helius delivers it; everything after
is the process's own tree: ingress -> wallet actor -> scorer -> paper position ->
take-profit partial exit -> trailing stop -> moonbag stop -> PnL in the paper ledger and
the positions table -> feedback to the source wallet's score.
"""

from __future__ import annotations

from decimal import Decimal

from tests.e2e.kit import (
    EndToEnd,
    Trader,
    enhanced,
    market_of,
)
from walltrack.domain.messages.signals import SignalScored
from walltrack.domain.messages.trading import PositionClosed, PositionOpened, PositionReduced
from walltrack.domain.messages.wallets import WalletScoreUpdated
from walltrack.domain.records.signals import SignalDecision
from walltrack.domain.records.trading import ExitReason, PositionState

PAPER_START = 10 * 1_000_000_000


def test_a_smart_buy_becomes_a_paper_trade_with_pnl_and_feedback(
    e2e: EndToEnd,
) -> None:
    sim = e2e.sim
    smart = Trader(sim, "e2e-smart")
    (mint,) = e2e.curve_mints(1)
    e2e.seed([smart.address], [mint])

    with e2e.process() as process:
        trading = process.trading
        market = market_of(sim, process)
        market.trade(mint, buy_sol=12)  # others bought first: the price can fall back
        reply = process.post([enhanced(sim, smart.buy(mint, 2))])
        assert reply.status_code == 200, reply.text
        assert reply.json()["swaps"] == 1
        process.flow(smart.address)
        (scored,) = process.events.wait_for(SignalScored)
        assert scored.result.decision is SignalDecision.TRADE, scored.result
        assert process.stores.signals.get(scored.signal_id) is not None  # persisted

        trading.pass_time(3.1)  # the paper latency
        (opened,) = process.events.wait_for(PositionOpened)
        assert (opened.token_mint, opened.wallet) == (mint, smart.address)
        trading.settle()
        assert mint in trading.feed.watched()

        entry = opened.entry_price
        market.push_until(mint, lambda p: p >= entry * 2, up=True)
        trading.poll_prices()
        trading.pass_time(3.0)
        (take_profit,) = process.events.wait_for(PositionReduced)
        assert take_profit.reason is ExitReason.TAKE_PROFIT

        peak = market.price(mint)
        trading.poll_prices()
        market.push_until(mint, lambda p: p <= peak * Decimal("0.69") and p > entry, up=False)
        trading.poll_prices()
        trading.pass_time(3.0)
        reduced = process.events.wait_for(PositionReduced, 2)
        assert reduced[1].reason in {ExitReason.TRAILING_STOP, ExitReason.MOONBAG_STOP}

        market.push_until(mint, lambda p: p <= entry * Decimal("0.69"), up=False)
        trading.poll_prices()
        trading.pass_time(3.0)
        (closed,) = process.events.wait_for(PositionClosed)
        assert closed.exit_reason in {ExitReason.MOONBAG_STOP, ExitReason.TRAILING_STOP}
        assert trading.execution.balance_lamports() == PAPER_START + closed.realized_pnl_lamports
        row = trading.records.position(opened.position_id)
        assert row is not None
        assert (row.state, row.realized_pnl_lamports) == (
            PositionState.CLOSED,
            closed.realized_pnl_lamports,
        )

        (updated,) = process.events.wait_for(WalletScoreUpdated)
        assert updated.wallet == smart.address
        stored = process.stores.wallets.get(smart.address)
        assert stored is not None
        assert stored.profile.score == updated.new_score != 0.9
