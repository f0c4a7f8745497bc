"""Record builders for the store tests: valid defaults, override what a test is about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from walltrack.domain.records import (
    OrderRecord,
    OrderState,
    PositionRecord,
    PositionState,
    SignalDecision,
    SignalRecord,
    TradeSide,
)

T0 = datetime(2026, 11, 22, 12, 0, 0, 123456, tzinfo=UTC)
"""A fixed instant with microseconds, to prove timestamps round-trip exactly."""

PLUS_5 = timezone(timedelta(hours=5, minutes=30))
BIG_RAW_AMOUNT = 2**64 + 12345
"""Raw token units beyond u64: must survive NUMERIC(78,0) exactly."""


def a_signal(**overrides: Any) -> SignalRecord:
    values: dict[str, Any] = {
        "signal_id": uuid4(),
        "correlation_id": uuid4(),
        "wallet_address": "Wa11et1111111111111111111111111111111111111",
        "token_mint": "Mint111111111111111111111111111111111111111",
        "side": TradeSide.BUY,
        "tx_signature": "5ig" + uuid4().hex,
        "amount_lamports": 1_500_000_000,
        "observed_at": T0,
        "scored_at": T0 + timedelta(milliseconds=40),
        "score": 0.8125,
        "wallet_factor": 0.9,
        "cluster_factor": 0.5,
        "token_factor": 0.75,
        "context_factor": 0.6,
        "factors": {"wallet": {"win_rate": 0.8, "pnl_norm": 0.5}, "cluster": None},
        "decision": SignalDecision.TRADE,
    }
    return SignalRecord(**(values | overrides))


def a_position(**overrides: Any) -> PositionRecord:
    values: dict[str, Any] = {
        "position_id": uuid4(),
        "wallet_address": "Wa11et1111111111111111111111111111111111111",
        "token_mint": "Mint" + uuid4().hex,
        "token_decimals": 6,
        "state": PositionState.OPEN,
        "exit_strategy": "balanced",
        "entry_price_sol": Decimal("0.000000123456789012345678"),
        "peak_price_sol": Decimal("0.000000200000000000000001"),
        "entry_lamports": 250_000_000,
        "token_amount": BIG_RAW_AMOUNT,
        "remaining_amount": BIG_RAW_AMOUNT,
        "opened_at": T0,
        "score": 0.87,
    }
    return PositionRecord(**(values | overrides))


def an_order(position_id: UUID, **overrides: Any) -> OrderRecord:
    values: dict[str, Any] = {
        "order_id": uuid4(),
        "idempotency_key": f"{position_id}:entry:0",
        "position_id": position_id,
        "side": TradeSide.BUY,
        "purpose": "entry",
        "state": OrderState.PENDING,
        "amount_in": 250_000_000,
        "expected_out": BIG_RAW_AMOUNT,
        "min_out": BIG_RAW_AMOUNT - 10**15,
        "slippage_bps": 100,
        "priority_fee_lamports": 5_000,
        "venue": "paper",
        "quote": {"inAmount": "250000000", "routePlan": [{"percent": 100}]},
        "created_at": T0,
    }
    return OrderRecord(**(values | overrides))
