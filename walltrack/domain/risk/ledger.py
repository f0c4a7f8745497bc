"""What the circuit breaker knows: equity, its peak, recent closed trades, the day's start.

Why a frozen value: the circuit-breaker actor snapshots it and rebuilds it after a restart;
every change is a pure function returning the next ledger, so the rules are testable
without an actor. Money in lamports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from walltrack.domain.risk.base import Finding


@dataclass(frozen=True, slots=True, kw_only=True)
class TradeOutcome:
    """One closed position as the risk rules count it."""

    pnl_lamports: int
    closed_at: datetime

    @property
    def won(self) -> bool:
        """A trade that made money; breakeven and losses are not wins."""
        return self.pnl_lamports > 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Halt:
    """New entries are halted by `rule` since `since` (until `until` or a manual reset)."""

    finding: Finding
    since: datetime

    @property
    def rule(self) -> str:
        """The rule that halted entries."""
        return self.finding.rule


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskLedger:
    """The figures the risk rules read, and the halts and alerts currently in force."""

    equity_lamports: int
    peak_equity_lamports: int
    day: date
    day_start_equity_lamports: int
    started_at: datetime
    recent_trades: tuple[TradeOutcome, ...] = ()  # newest last, since the last reset
    consecutive_losses: int = 0
    open_positions: int = 0
    last_signal_at: datetime | None = None
    halts: tuple[Halt, ...] = ()
    alerts: frozenset[str] = frozenset()  # rules whose warning is raised and not yet cleared
    size_multiplier: float = 1.0

    @property
    def entries_halted(self) -> bool:
        """At least one halt is in force (exits are never halted)."""
        return bool(self.halts)


def new_ledger(equity_lamports: int, now: datetime) -> RiskLedger:
    """A ledger starting from `equity_lamports` at `now`."""
    return RiskLedger(
        equity_lamports=equity_lamports,
        peak_equity_lamports=equity_lamports,
        day=now.astimezone(UTC).date(),
        day_start_equity_lamports=equity_lamports,
        started_at=now,
    )


def record_equity(ledger: RiskLedger, equity_lamports: int, now: datetime) -> RiskLedger:
    """A new equity figure; the first figure of a new UTC day starts from the last one seen."""
    today = now.astimezone(UTC).date()
    day, day_start = ledger.day, ledger.day_start_equity_lamports
    if today > day:
        day, day_start = today, ledger.equity_lamports
    return replace(
        ledger,
        equity_lamports=equity_lamports,
        peak_equity_lamports=max(ledger.peak_equity_lamports, equity_lamports),
        day=day,
        day_start_equity_lamports=day_start,
    )


def record_trade(
    ledger: RiskLedger,
    pnl_lamports: int,
    now: datetime,
    *,
    keep: int,
    equity_lamports: int | None = None,
) -> RiskLedger:
    """A closed trade (keeping the newest `keep`), and the equity after it when known."""
    if equity_lamports is not None:
        ledger = record_equity(ledger, equity_lamports, now)
    outcome = TradeOutcome(pnl_lamports=pnl_lamports, closed_at=now)
    trades = (*ledger.recent_trades, outcome)[-keep:] if keep > 0 else ()
    streak = 0 if outcome.won else ledger.consecutive_losses + 1
    return replace(ledger, recent_trades=trades, consecutive_losses=streak)


def record_signal(ledger: RiskLedger, now: datetime) -> RiskLedger:
    """A signal arrived: the system is hearing its wallets."""
    return replace(ledger, last_signal_at=now)


def record_open_positions(ledger: RiskLedger, count: int) -> RiskLedger:
    """How many positions are open now."""
    return replace(ledger, open_positions=max(0, count))
