"""The detail sidebar: the context of a position, signal, wallet or token clicked anywhere.

Why one panel: every table row opens the same sidebar, so the operator always finds the
context (and the confirmed actions on it) in the same place. An open position offers its
close and a change of exit strategy (chosen in a select, then confirmed).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import panel as pn

from dashboard.confirm import ConfirmedAction
from dashboard.tables import pct, short, sol, when
from dashboard.widgets import make
from walltrack.dashboard_ports import DashboardCommands, DashboardReads, OpenPositionView

OPERATOR = "dashboard"


class DetailPanel:
    """What the sidebar shows, and its close/blacklist actions."""

    def __init__(self, reads: DashboardReads, commands: DashboardCommands) -> None:
        self._reads = reads
        self._commands = commands
        self._position: UUID | None = None
        self._wallet: str | None = None
        self.body = make(
            pn.pane.Markdown,
            "Click a row to see its context.",
            css_classes=["wt-detail"],
            sizing_mode="stretch_width",
        )
        self.close_position = ConfirmedAction(
            "Close position", self._close, button_type="warning", css="close"
        )
        self.strategy = make(
            pn.widgets.Select, name="Exit strategy", options=[], css_classes=["wt-strategy-select"]
        )
        self.change_strategy = ConfirmedAction(
            "Change strategy", self._change_strategy, button_type="primary", css="strategy"
        )
        self.strategy_box = make(pn.Column, self.strategy, self.change_strategy.panel)
        self.blacklist = ConfirmedAction(
            "Blacklist wallet", self._blacklist, button_type="danger", css="blacklist"
        )
        self._show_actions(position=False, wallet=False)
        self.panel = make(
            pn.Column,
            make(pn.pane.Markdown, "## Detail"),
            self.body,
            self.close_position.panel,
            self.strategy_box,
            self.blacklist.panel,
            sizing_mode="stretch_width",
        )

    def _show_actions(self, *, position: bool, wallet: bool) -> None:
        self.close_position.panel.visible = position
        self.strategy_box.visible = position
        self.blacklist.panel.visible = wallet

    def _render(self, title: str, fields: dict[str, Any]) -> None:
        lines = [f"### {title}", ""]
        lines += [f"- **{name}**: {value}" for name, value in fields.items()]
        self.body.object = "\n".join(lines)

    def show_position(self, position_id: str) -> None:
        """A position: amounts, prices, strategy, source wallet and its signal."""
        position = self._reads.position(UUID(position_id))
        if position is None:
            self._render("Position", {"id": position_id, "state": "not found"})
            return
        self._position, self._wallet = position.position_id, position.wallet_address
        token = self._reads.token(position.token_mint)
        view = OpenPositionView(
            position=position,
            symbol=token.symbol if token else None,
            current_price_sol=token.price_sol if token else None,
        )
        self._render(
            f"Position {short(str(position.position_id))}",
            {
                "token": f"{view.symbol or ''} `{position.token_mint}`",
                "state": position.state.value,
                "strategy": position.exit_strategy,
                "entry price (SOL)": position.entry_price_sol,
                "current price (SOL)": view.current_price_sol,
                "PnL": pct(view.pnl_pct),
                "size (SOL)": sol(position.entry_lamports),
                "realised (SOL)": sol(position.realized_pnl_lamports),
                "source wallet": f"`{position.wallet_address}`",
                "score": position.score,
                "opened": when(position.opened_at),
                "closed": when(position.closed_at),
                "exit reason": position.exit_reason or "-",
            },
        )
        live = position.state.value != "closed"
        if live:
            names = [record.strategy.name for record in self._reads.exit_strategies()]
            self.strategy.options = names
            self.strategy.value = (
                position.exit_strategy if position.exit_strategy in names else None
            )
            self.change_strategy.outcome.object = ""
        self._show_actions(position=live, wallet=True)

    def show_signal(self, signal_id: str) -> None:
        """A signal: its four factors, their parts and the skip reason."""
        signal = self._reads.signal(UUID(signal_id))
        if signal is None:
            self._render("Signal", {"id": signal_id, "state": "not found"})
            return
        self._wallet, self._position = signal.wallet_address, None
        self._render(
            f"Signal {short(signal_id)}",
            {
                "wallet": f"`{signal.wallet_address}`",
                "token": f"`{signal.token_mint}`",
                "observed": when(signal.observed_at),
                "score": f"{signal.score:.3f}",
                "decision": signal.decision.value,
                "skip reason": signal.skip_reason or "-",
                "wallet factor": f"{signal.wallet_factor:.3f}",
                "cluster factor": f"{signal.cluster_factor:.3f}",
                "token factor": f"{signal.token_factor:.3f}",
                "context factor": f"{signal.context_factor:.3f}",
                "breakdown": f"\n\n```\n{json.dumps(signal.factors, indent=1, default=str)}\n```",
            },
        )
        self._show_actions(position=False, wallet=True)

    def show_wallet(self, address: str) -> None:
        """A wallet: status, profile and its copied positions."""
        wallet = self._reads.wallet(address)
        if wallet is None:
            self._render("Wallet", {"address": address, "state": "not found"})
            return
        self._wallet, self._position = address, None
        profile = wallet.profile
        positions = self._reads.wallet_positions(address, limit=5)
        self._render(
            f"Wallet {short(address)}",
            {
                "address": f"`{address}`",
                "status": f"{wallet.status.value} {wallet.status_reason or ''}",
                "decay": f"{profile.decay_status.value} ({profile.decay_score:.2f})",
                "score": f"{profile.score:.3f}",
                "win rate": f"{profile.win_rate:.0%} over {profile.trade_count} trades",
                "PnL (SOL)": sol(profile.total_pnl_lamports),
                "confidence": profile.confidence.value,
                "last activity": when(wallet.last_activity_at),
                "copied positions": ", ".join(
                    f"{short(p.token_mint)} {p.state.value}" for p in positions
                )
                or "-",
            },
        )
        self._show_actions(position=False, wallet=wallet.status.value != "blacklisted")

    def show_token(self, mint: str) -> None:
        """A token: market data and safety checks."""
        token = self._reads.token(mint)
        if token is None:
            self._render("Token", {"mint": mint, "state": "not found"})
            return
        self._render(
            f"Token {token.symbol or short(mint)}",
            {
                "mint": f"`{mint}`",
                "price (SOL)": token.price_sol,
                "liquidity (USD)": token.liquidity_usd,
                "market cap (USD)": token.market_cap_usd,
                "volume 24h (USD)": token.volume_24h_usd,
                "holders": token.holder_count,
                "top 10 share": token.top10_share,
                "mint authority revoked": token.mint_authority_revoked,
                "freeze authority revoked": token.freeze_authority_revoked,
                "safety checked": when(token.safety_checked_at),
            },
        )
        self._show_actions(position=False, wallet=False)

    def _close(self) -> str:
        if self._position is None:
            return "no position selected"
        self._commands.close_position(self._position, OPERATOR)
        return f"close of {short(str(self._position))} sent"

    def _change_strategy(self) -> str:
        if self._position is None:
            return "no position selected"
        name = self.strategy.value
        if not name:
            return "choose a strategy first"
        self._commands.change_exit_strategy(self._position, str(name), OPERATOR)
        return f"change of {short(str(self._position))} to {name} sent"

    def _blacklist(self) -> str:
        if self._wallet is None:
            return "no wallet selected"
        record = self._commands.blacklist_wallet(self._wallet, OPERATOR, "from the dashboard")
        return f"{short(record.address)} is {record.status.value}"
