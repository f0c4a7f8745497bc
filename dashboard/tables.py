"""Records to the DataFrames the Tabulator widgets show, and the display formats.

Why one module: every page shows money, addresses and times the same way (SOL with a few
decimals from integer lamports, shortened addresses, UTC times).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

from walltrack.dashboard_ports import ClusterView, OpenPositionView
from walltrack.domain.records import (
    AlertRecord,
    CircuitBreakerEventRecord,
    ConfigChange,
    SignalRecord,
    TokenRecord,
    WalletRecord,
)
from walltrack.domain.tree import TreeSnapshot

LAMPORTS_PER_SOL = Decimal(1_000_000_000)


def sol(lamports: int | None) -> str:
    """Lamports as SOL, four decimals."""
    if lamports is None:
        return "-"
    return f"{Decimal(lamports) / LAMPORTS_PER_SOL:,.4f}"


def short(address: str | None) -> str:
    """A long address shortened for a table cell."""
    if not address:
        return "-"
    return address if len(address) <= 12 else f"{address[:4]}…{address[-4:]}"


def when(at: datetime | None) -> str:
    """A time as UTC text."""
    return "-" if at is None else f"{at:%Y-%m-%d %H:%M:%S}"


def pct(value: float | None) -> str:
    """A percentage with one decimal."""
    return "-" if value is None else f"{value:+.1f}%"


def set_frame(table: Any, frame: pd.DataFrame) -> None:
    """Give a Tabulator a new frame only when it differs (re-sending costs the server)."""
    current = table.value
    if current is None or not frame.equals(current):
        table.value = frame


def positions_frame(views: Sequence[OpenPositionView], prices: dict[str, Decimal]) -> pd.DataFrame:
    """Open positions: token, entry, current, PnL %, strategy, source wallet."""
    rows = []
    for view in views:
        position = view.position
        current = prices.get(position.token_mint, view.current_price_sol)
        live = OpenPositionView(position=position, symbol=view.symbol, current_price_sol=current)
        rows.append(
            {
                "id": str(position.position_id),
                "token": view.symbol or short(position.token_mint),
                "entry": f"{position.entry_price_sol:.10f}" if position.entry_price_sol else "-",
                "current": f"{current:.10f}" if current is not None else "-",
                "pnl_pct": pct(live.pnl_pct),
                "size_sol": sol(position.entry_lamports),
                "strategy": position.exit_strategy,
                "wallet": short(position.wallet_address),
                "state": position.state.value,
            }
        )
    columns = [
        "id",
        "token",
        "entry",
        "current",
        "pnl_pct",
        "size_sol",
        "strategy",
        "wallet",
        "state",
    ]
    return pd.DataFrame(rows, columns=columns)


def signals_frame(signals: Sequence[SignalRecord]) -> pd.DataFrame:
    """Signals with score, factor breakdown, decision and skip reason."""
    rows = [
        {
            "id": str(s.signal_id),
            "observed": when(s.observed_at),
            "wallet": short(s.wallet_address),
            "token": short(s.token_mint),
            "score": round(s.score, 3),
            "wallet_f": round(s.wallet_factor, 3),
            "cluster_f": round(s.cluster_factor, 3),
            "token_f": round(s.token_factor, 3),
            "context_f": round(s.context_factor, 3),
            "decision": s.decision.value,
            "reason": s.skip_reason or "",
        }
        for s in signals
    ]
    columns = [
        "id",
        "observed",
        "wallet",
        "token",
        "score",
        "wallet_f",
        "cluster_f",
        "token_f",
        "context_f",
        "decision",
        "reason",
    ]
    return pd.DataFrame(rows, columns=columns)


def wallets_frame(wallets: Sequence[WalletRecord], cluster_of: dict[str, str]) -> pd.DataFrame:
    """Wallets with status and decay badges, score, win rate, PnL and cluster."""
    rows = [
        {
            "address": w.address,
            "status": w.status.value,
            "decay": w.profile.decay_status.value,
            "score": round(w.profile.score, 3),
            "win_rate": f"{w.profile.win_rate:.0%}",
            "pnl_sol": sol(w.profile.total_pnl_lamports),
            "trades": w.profile.trade_count,
            "cluster": cluster_of.get(w.address, ""),
        }
        for w in wallets
    ]
    columns = ["address", "status", "decay", "score", "win_rate", "pnl_sol", "trades", "cluster"]
    return pd.DataFrame(rows, columns=columns)


def _safety(token: TokenRecord) -> str:
    checks = []
    if token.mint_authority_revoked is False:
        checks.append("mint authority live")
    if token.freeze_authority_revoked is False:
        checks.append("freeze authority live")
    if token.top10_share is not None and token.top10_share > 0.5:
        checks.append(f"top10 hold {token.top10_share:.0%}")
    return "ok" if not checks else "; ".join(checks)


def tokens_frame(tokens: Sequence[TokenRecord]) -> pd.DataFrame:
    """Tokens with market data and safety checks."""
    rows = [
        {
            "mint": t.mint,
            "symbol": t.symbol or "",
            "price_sol": f"{t.price_sol:.10f}" if t.price_sol is not None else "-",
            "liquidity_usd": f"{t.liquidity_usd:,.0f}" if t.liquidity_usd is not None else "-",
            "mcap_usd": f"{t.market_cap_usd:,.0f}" if t.market_cap_usd is not None else "-",
            "holders": t.holder_count if t.holder_count is not None else -1,
            "safety": _safety(t),
            "source": t.source,
        }
        for t in tokens
    ]
    columns = [
        "mint",
        "symbol",
        "price_sol",
        "liquidity_usd",
        "mcap_usd",
        "holders",
        "safety",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns)


def clusters_frame(clusters: Sequence[ClusterView]) -> pd.DataFrame:
    """Clusters with size, leader, multiplier and cohesion."""
    rows = [
        {
            "cluster": c.cluster_id,
            "members": len(c.members),
            "leader": short(c.leader),
            "multiplier": round(c.multiplier, 3),
            "cohesion": round(c.cohesion, 3),
            "links": len(c.links),
        }
        for c in clusters
    ]
    columns = ["cluster", "members", "leader", "multiplier", "cohesion", "links"]
    return pd.DataFrame(rows, columns=columns)


def alerts_frame(alerts: Sequence[AlertRecord]) -> pd.DataFrame:
    """Alerts, newest first."""
    rows = [
        {
            "raised": when(a.raised_at),
            "severity": a.severity.value,
            "source": a.source,
            "message": a.message,
            "ack": "yes" if a.acknowledged_at else "",
        }
        for a in alerts
    ]
    return pd.DataFrame(rows, columns=["raised", "severity", "source", "message", "ack"])


def breaker_frame(events: Sequence[CircuitBreakerEventRecord]) -> pd.DataFrame:
    """Circuit-breaker decisions, newest first."""
    rows = [
        {"at": when(e.occurred_at), "rule": e.rule, "action": e.action.value, "reason": e.reason}
        for e in events
    ]
    return pd.DataFrame(rows, columns=["at", "rule", "action", "reason"])


def history_frame(changes: Sequence[ConfigChange]) -> pd.DataFrame:
    """Configuration changes, newest first."""
    rows = [
        {
            "at": when(c.changed_at),
            "path": c.path,
            "version": c.version,
            "by": c.changed_by,
        }
        for c in changes
    ]
    return pd.DataFrame(rows, columns=["at", "path", "version", "by"])


def tree_frame(tree: TreeSnapshot | None) -> pd.DataFrame:
    """The supervisor tree: state, restarts, last error, mailbox depth, messages handled."""
    rows = [
        {
            "actor": a.name,
            "parent": a.parent or "",
            "kind": a.kind.value,
            "state": a.state.value,
            "restarts": a.restarts,
            "mailbox": a.mailbox_depth,
            "handled": a.messages_handled,
            "uptime_s": round(a.uptime_s, 1),
            "last_error": a.last_error or "",
        }
        for a in (tree.actors if tree else ())
    ]
    columns = [
        "actor",
        "parent",
        "kind",
        "state",
        "restarts",
        "mailbox",
        "handled",
        "uptime_s",
        "last_error",
    ]
    return pd.DataFrame(rows, columns=columns)


def quarantine_frame(tree: TreeSnapshot | None) -> pd.DataFrame:
    """Quarantined messages."""
    rows = [
        {
            "actor": q.actor,
            "message": q.message_type,
            "crashes": q.crashes,
            "error": q.last_error,
            "summary": q.summary,
        }
        for q in (tree.quarantined if tree else ())
    ]
    return pd.DataFrame(rows, columns=["actor", "message", "crashes", "error", "summary"])
