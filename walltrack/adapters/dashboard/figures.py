"""The Home page's aggregate figures, computed in PostgreSQL (one round trip each).

Why SQL and not repository loops: KPIs and the equity curve summarise every closed
position; summing in the database keeps a dashboard refresh cheap however long the
history grows.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from walltrack.adapters.postgres.database import Database
from walltrack.dashboard_ports import EquityPoint, Kpis, WebhookStats

_KPIS = """
SELECT
    coalesce(sum(realized_pnl_lamports) FILTER (
        WHERE state = 'closed' AND closed_at >= %(day)s), 0) AS pnl_today,
    coalesce(sum(realized_pnl_lamports) FILTER (WHERE state = 'closed'), 0) AS pnl_total,
    count(*) FILTER (WHERE state = 'closed') AS closed,
    count(*) FILTER (WHERE state = 'closed' AND realized_pnl_lamports > 0) AS wins,
    count(*) FILTER (WHERE state <> 'closed') AS open,
    (SELECT count(*) FROM signals WHERE observed_at >= %(day)s) AS signals_today
FROM positions
"""

_EQUITY = """
SELECT closed_at, sum(realized_pnl_lamports) OVER (ORDER BY closed_at, position_id) AS equity
FROM positions WHERE state = 'closed' AND realized_pnl_lamports IS NOT NULL
ORDER BY closed_at DESC, position_id DESC LIMIT %(limit)s
"""

_WEBHOOKS = """
SELECT max(received_at) AS last_at,
    count(*) FILTER (WHERE received_at >= %(day)s) AS today
FROM webhook_events
"""


def start_of_day(now: datetime) -> datetime:
    """Midnight UTC of the day of `now`."""
    day = now.astimezone(UTC).date()
    return datetime.combine(day, time(0), tzinfo=UTC)


def kpis(db: Database, now: datetime) -> Kpis:
    """PnL today and in total, win rate, open positions and today's signals."""
    row: dict[str, Any] | None = db.read(
        lambda c: c.execute(_KPIS, {"day": start_of_day(now)}).fetchone()
    )
    assert row is not None
    closed = int(row["closed"])
    return Kpis(
        pnl_today_lamports=int(row["pnl_today"]),
        pnl_total_lamports=int(row["pnl_total"]),
        win_rate=int(row["wins"]) / closed if closed else None,
        closed_trades=closed,
        open_positions=int(row["open"]),
        signals_today=int(row["signals_today"]),
    )


def equity_curve(db: Database, *, limit: int) -> tuple[EquityPoint, ...]:
    """Cumulative realised PnL after each closed trade, with drawdown from the running peak."""
    rows = db.read(lambda c: c.execute(_EQUITY, {"limit": limit}).fetchall())
    points: list[EquityPoint] = []
    peak: int | None = None
    for row in reversed(rows):
        equity = int(row["equity"])
        peak = equity if peak is None else max(peak, equity)
        points.append(
            EquityPoint(
                at=row["closed_at"], equity_lamports=equity, drawdown_lamports=peak - equity
            )
        )
    return tuple(points)


def webhook_stats(db: Database, now: datetime) -> WebhookStats:
    """When the last webhook event arrived and how many arrived today."""
    row = db.read(lambda c: c.execute(_WEBHOOKS, {"day": start_of_day(now)}).fetchone())
    if row is None:
        return WebhookStats(last_event_at=None, events_today=0)
    return WebhookStats(last_event_at=row["last_at"], events_today=int(row["today"]))


def day_before(now: datetime) -> datetime:
    """24 hours before `now` (the System page's breaker window)."""
    return now - timedelta(days=1)
