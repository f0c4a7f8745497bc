"""Stored rows as frozen dataclasses: what the repositories write and return.

Pure: no I/O. State machines (wallet lifecycle, positions, orders) sit next to their rows.
"""

from walltrack.domain.records.operations import (
    AlertRecord,
    AlertSeverity,
    BreakerAction,
    CircuitBreakerEventRecord,
    ConfigChange,
    ConfigEntry,
    ExitStrategyRecord,
    WebhookEventRecord,
)
from walltrack.domain.records.signals import SignalDecision, SignalRecord, TradeSide
from walltrack.domain.records.trading import (
    ExitReason,
    FillRecord,
    OrderRecord,
    OrderState,
    PositionRecord,
    PositionState,
    check_order_transition,
    check_position_transition,
)
from walltrack.domain.records.wallets import (
    BuySize,
    Confidence,
    DecayStatus,
    TokenRecord,
    WalletProfile,
    WalletRecord,
    WalletStatus,
    check_wallet_transition,
)

__all__ = [
    "AlertRecord",
    "AlertSeverity",
    "BreakerAction",
    "BuySize",
    "CircuitBreakerEventRecord",
    "Confidence",
    "ConfigChange",
    "ConfigEntry",
    "DecayStatus",
    "ExitReason",
    "ExitStrategyRecord",
    "FillRecord",
    "OrderRecord",
    "OrderState",
    "PositionRecord",
    "PositionState",
    "SignalDecision",
    "SignalRecord",
    "TokenRecord",
    "TradeSide",
    "WalletProfile",
    "WalletRecord",
    "WalletStatus",
    "WebhookEventRecord",
    "check_order_transition",
    "check_position_transition",
    "check_wallet_transition",
]
