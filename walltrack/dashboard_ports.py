"""What the dashboard reads, listens to and commands, as protocols and plain values.

Why a port of its own: the dashboard may not import actors, supervisors or adapters
(import-linter). It is written against these protocols; `supervisors/dashboard_wiring.py`
plugs in the PostgreSQL/graph read model, the bus-fed state feed and the tree's control.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from walltrack.domain.params import RuntimeParams
from walltrack.domain.records import (
    AlertRecord,
    CircuitBreakerEventRecord,
    ConfigChange,
    ExitStrategyRecord,
    PositionRecord,
    SignalDecision,
    SignalRecord,
    TokenRecord,
    WalletRecord,
    WalletStatus,
)

# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Kpis:
    """The Home page's headline figures (money in lamports)."""

    pnl_today_lamports: int
    pnl_total_lamports: int
    win_rate: float | None  # None before the first closed trade
    closed_trades: int
    open_positions: int
    signals_today: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EquityPoint:
    """Cumulative realised PnL after one closed trade, and the drawdown from its peak."""

    at: datetime
    equity_lamports: int
    drawdown_lamports: int


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenPositionView:
    """An open position with its current price (None when no price is known yet)."""

    position: PositionRecord
    symbol: str | None
    current_price_sol: Decimal | None

    @property
    def pnl_pct(self) -> float | None:
        """Unrealised change of the price since entry, in percent."""
        entry = self.position.entry_price_sol
        if entry is None or self.current_price_sol is None or entry == 0:
            return None
        return float((self.current_price_sol - entry) / entry * 100)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterLink:
    """One funding or synced-buy relationship between two wallets."""

    kind: str  # FUNDED_BY | SYNCED_BUY | ...
    source: str
    target: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterView:
    """One cluster: members, leader, multiplier and the links that tie it together."""

    cluster_id: str
    members: tuple[str, ...]
    leader: str | None
    multiplier: float
    cohesion: float
    links: tuple[ClusterLink, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookStats:
    """Webhook health: when the last event came and how many came today."""

    last_event_at: datetime | None
    events_today: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedBatch:
    """What the state feed holds after sequence number `after`."""

    events: tuple[Any, ...]
    last_seq: int
    dropped: int  # events lost to the bound since the feed started


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceHealth:
    """Health of something the status bar shows: stores, tree, a job, a venue."""

    name: str
    healthy: bool
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- ports ----------------------------------------------------------------------------------


class DashboardReads(Protocol):
    """The read model: every table and figure the pages show (reads only, bounded)."""

    def kpis(self, now: datetime) -> Kpis:
        """Headline figures as of `now` (today = the UTC day of `now`)."""
        ...

    def equity_curve(self, *, limit: int = 500) -> tuple[EquityPoint, ...]:
        """Realised equity after each closed trade, oldest first."""
        ...

    def open_positions(self) -> tuple[OpenPositionView, ...]:
        """Every position not closed yet, oldest first."""
        ...

    def position(self, position_id: UUID) -> PositionRecord | None:
        """One position by id."""
        ...

    def signals(
        self,
        *,
        wallet: str | None = None,
        token: str | None = None,
        decision: SignalDecision | None = None,
        limit: int = 100,
    ) -> tuple[SignalRecord, ...]:
        """Latest signals first, optionally filtered."""
        ...

    def signal(self, signal_id: UUID) -> SignalRecord | None:
        """One signal by id."""
        ...

    def wallets(
        self, status: WalletStatus | None = None, *, limit: int = 200
    ) -> tuple[WalletRecord, ...]:
        """Wallets (of one status, or of every status), best score first."""
        ...

    def wallet(self, address: str) -> WalletRecord | None:
        """One wallet."""
        ...

    def wallet_positions(self, address: str, *, limit: int = 20) -> tuple[PositionRecord, ...]:
        """Positions copied from one wallet, newest first."""
        ...

    def tokens(self, *, limit: int = 200) -> tuple[TokenRecord, ...]:
        """Tokens under surveillance, newest first."""
        ...

    def token(self, mint: str) -> TokenRecord | None:
        """One token."""
        ...

    def clusters(self) -> tuple[ClusterView, ...]:
        """Every stored cluster (empty when the graph is not reachable)."""
        ...

    def alerts(self, *, limit: int = 50) -> tuple[AlertRecord, ...]:
        """Latest alerts first."""
        ...

    def breaker_events(
        self, since: datetime, *, limit: int = 100
    ) -> tuple[CircuitBreakerEventRecord, ...]:
        """Circuit-breaker decisions since `since`, newest first."""
        ...

    def params(self) -> RuntimeParams:
        """The stored runtime parameters (validated)."""
        ...

    def config_history(self, *, limit: int = 50) -> tuple[ConfigChange, ...]:
        """Latest configuration changes first."""
        ...

    def exit_strategies(self) -> tuple[ExitStrategyRecord, ...]:
        """Presets first, then the operator's strategies."""
        ...

    def webhook_stats(self, now: datetime) -> WebhookStats:
        """Last webhook event and today's count."""
        ...


class DashboardCommands(Protocol):
    """What the operator may do from the dashboard; each call returns once it is accepted."""

    def pause(self, requested_by: str, reason: str) -> None:
        """Halt new entries (exits keep running)."""
        ...

    def resume(self, requested_by: str) -> None:
        """Allow new entries again."""
        ...

    def reset_breaker(self, requested_by: str) -> None:
        """Clear a tripped circuit breaker."""
        ...

    def close_position(self, position_id: UUID, requested_by: str) -> None:
        """Sell all of a position now."""
        ...

    def change_exit_strategy(
        self, position_id: UUID, strategy_name: str, requested_by: str
    ) -> None:
        """Move an open position to another exit strategy (InvalidInputError: why not)."""
        ...

    def blacklist_wallet(self, address: str, requested_by: str, reason: str) -> WalletRecord:
        """Blacklist a wallet for good."""
        ...

    def add_wallet(self, address: str, requested_by: str) -> WalletRecord:
        """Add a wallet by hand (it starts as discovered)."""
        ...

    def update_config(self, path: str, value: Any, changed_by: str) -> RuntimeParams:
        """Validate and store one parameter or section; the tree applies it hot."""
        ...

    def update_exit_strategy(
        self, definition: Mapping[str, Any], changed_by: str
    ) -> ExitStrategyRecord:
        """Validate and store a strategy (history kept); new positions use it at once."""
        ...


class StateFeed(Protocol):
    """Events the tree published, buffered for the dashboard (bounded, never blocking)."""

    def since(self, after: int) -> FeedBatch:
        """Events with a sequence number above `after`, oldest first."""
        ...

    def wait(self, after: int, timeout: float) -> bool:
        """Block up to `timeout` s until an event numbered above `after` exists."""
        ...


class HealthProbe(Protocol):
    """Extra health the status and System pages show (stores, venues, jobs)."""

    def health(self) -> Sequence[ServiceHealth]:
        """One entry per service, now."""
        ...
