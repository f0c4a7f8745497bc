"""Closed trades move the source wallet's score; hot config changes move the decision."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from actors.names import INGRESS, wallet_actor
from actors.pipeline_messages import GetStats
from tests.pipeline.kit import START, pipeline, seed_token, seed_wallet, swap
from walltrack.domain.feedback import apply_trade_feedback
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.wallets import TradeClosedFeedback, WalletScoreUpdated
from walltrack.domain.params import default_params
from walltrack.domain.records.signals import SignalDecision

SMART = "Smart1111111111111111111111111111111111111"
MINT = "Mint1111111111111111111111111111111111111111"


def _closed(pnl_lamports: int) -> TradeClosedFeedback:
    return TradeClosedFeedback(
        correlation_id=uuid4(),
        ts_event=START,
        ts_init=START,
        wallet=SMART,
        position_id=uuid4(),
        signal_id=None,
        cost_lamports=10**9,
        pnl_lamports=pnl_lamports,
    )


def test_a_closed_trade_updates_the_wallet_score_once(pg_dsn: str) -> None:
    updates: list[WalletScoreUpdated] = []
    seen = threading.Event()

    def listen(event: Any) -> None:
        if isinstance(event, WalletScoreUpdated):
            updates.append(event)
            seen.set()

    with pipeline(pg_dsn, tracked=[SMART]) as p:
        seed_wallet(p.stores, SMART, score=0.6)
        p.runtime.services.bus.listen(listen)
        win = _closed(5 * 10**8)  # +50 %
        # The position actor publishes it; the ingress forwards it to the wallet's actor.
        p.runtime.services.bus.publish(win)
        p.runtime.services.bus.publish(win)  # delivered twice: applied once
        p.ask(INGRESS, GetStats())
        stats = p.ask(wallet_actor(SMART), GetStats())

        expected = apply_trade_feedback(0.6, 0.5, default_params().feedback).new_score
        assert expected > 0.6
        assert stats["score"] == pytest.approx(expected)
        assert seen.wait(10)
        assert [u.new_score for u in updates] == [pytest.approx(expected)]
        record = p.stores.wallets.get(SMART)
        assert record is not None
        assert record.profile.score == pytest.approx(expected)

        # The next signal of this wallet carries the new score into the wallet factor.
        seed_token(p.stores, MINT)
        p.submit(swap(SMART, MINT, at=START))
        p.wait_told(1)
        [signal] = p.signals()
        assert signal.factors["wallet"]["base"] == pytest.approx(expected)


def _with_threshold(threshold: float) -> RuntimeConfigChanged:
    params = default_params()
    return RuntimeConfigChanged(
        correlation_id=uuid4(),
        ts_event=START,
        ts_init=START,
        params=replace(params, scoring=replace(params.scoring, threshold=threshold)),
        sections=frozenset({"scoring"}),
    )


def test_the_threshold_comes_from_the_hot_runtime_config(pg_dsn: str) -> None:
    with pipeline(pg_dsn, tracked=[SMART]) as p:
        seed_wallet(p.stores, SMART, score=0.9)
        seed_token(p.stores, MINT)
        bus = p.runtime.services.bus

        bus.publish(_with_threshold(0.05))
        p.submit(swap(SMART, MINT, at=START))
        lenient = p.wait_told(1)[0]
        assert lenient.decision is SignalDecision.TRADE

        bus.publish(_with_threshold(0.99))
        p.submit(swap(SMART, MINT, at=START + timedelta(seconds=1)))
        strict = p.wait_told(2)[1]
        assert strict.score < 0.99
        assert strict.decision is SignalDecision.SKIP
        assert strict.skip_reason is not None
        assert strict.skip_reason.value == "below_threshold"

        stored = {s.signal_id: s for s in p.signals()}
        assert stored[lenient.signal_id].decision is SignalDecision.TRADE
        assert stored[strict.signal_id].skip_reason == "below_threshold"
