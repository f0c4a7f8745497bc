"""Home: KPI cards, equity curve with drawdown, open positions, latest signals, alerts."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from dashboard.hub import HomeView, StatusView
from dashboard.tables import alerts_frame, positions_frame, set_frame, signals_frame, sol
from dashboard.widgets import make
from walltrack.dashboard_ports import EquityPoint

EQUITY_LEAD = timedelta(minutes=10)
KPI_STYLE = """
<style>
.wt-kpis {display:flex; gap:12px; flex-wrap:wrap; font-family:sans-serif;}
.wt-card {border:1px solid #d0d7de; border-radius:8px; padding:10px 16px; min-width:150px;}
.wt-card .v {font-size:22px; font-weight:bold;} .wt-card .l {font-size:12px; color:#555;}
</style>
"""


def render_kpis(home: HomeView, status: StatusView) -> str:
    """The KPI cards as HTML."""
    k = home.kpis
    cards = [
        ("PnL today (SOL)", sol(k.pnl_today_lamports) if k else "-", "pnl-today"),
        ("PnL total (SOL)", sol(k.pnl_total_lamports) if k else "-", "pnl-total"),
        (
            "Win rate",
            f"{k.win_rate:.0%} of {k.closed_trades}" if k and k.win_rate is not None else "-",
            "win-rate",
        ),
        ("Open positions", str(k.open_positions) if k else "-", "open"),
        ("Signals today", str(k.signals_today) if k else "-", "signals-today"),
        ("Tree events (live)", str(status.events_seen), "events-live"),
    ]
    body = "".join(
        f'<div class="wt-card wt-kpi-{css}"><div class="v">{html.escape(value)}</div>'
        f'<div class="l">{html.escape(label)}</div></div>'
        for label, value, css in cards
    )
    return KPI_STYLE + f'<div class="wt-kpis">{body}</div>'


class HomePage:
    """The Home page of one session."""

    def __init__(self, on_position: Callable[[str], None], on_signal: Callable[[str], None]):
        self.kpis = make(
            pn.pane.HTML, "", sizing_mode="stretch_width", css_classes=["wt-kpis-pane"]
        )
        self._equity: tuple[EquityPoint, ...] = ()
        self.source = ColumnDataSource({"at": [], "equity": [], "drawdown": []})
        chart = figure(
            height=220,
            sizing_mode="stretch_width",
            x_axis_type="datetime",
            title="Realised equity (SOL) and drawdown",
            toolbar_location=None,
        )
        chart.line("at", "equity", source=self.source, line_width=2, legend_label="equity")
        chart.varea(
            x="at",
            y1=0,
            y2="drawdown",
            source=self.source,
            fill_alpha=0.3,
            fill_color="#c40000",
            legend_label="drawdown",
        )
        chart.legend.location = "top_left"
        self.chart = make(pn.pane.Bokeh, chart, sizing_mode="stretch_width")
        self.positions = make(
            pn.widgets.Tabulator,
            positions_frame((), {}),
            show_index=False,
            height=200,
            disabled=True,
            sizing_mode="stretch_width",
            css_classes=["wt-positions"],
            hidden_columns=["id"],
        )
        self.signals = make(
            pn.widgets.Tabulator,
            signals_frame(()),
            show_index=False,
            height=260,
            disabled=True,
            sizing_mode="stretch_width",
            css_classes=["wt-home-signals"],
            hidden_columns=["id"],
        )
        self.alerts = make(
            pn.widgets.Tabulator,
            alerts_frame(()),
            show_index=False,
            height=160,
            disabled=True,
            sizing_mode="stretch_width",
        )
        self.activity = make(pn.pane.Str, "", css_classes=["wt-activity"], height=160)
        self.positions.on_click(lambda e: on_position(str(self.positions.value.iloc[e.row]["id"])))
        self.signals.on_click(lambda e: on_signal(str(self.signals.value.iloc[e.row]["id"])))
        self.panel = make(
            pn.Column,
            self.kpis,
            self.chart,
            make(pn.pane.Markdown, "### Open positions"),
            self.positions,
            make(pn.pane.Markdown, "### Latest signals"),
            self.signals,
            make(
                pn.Row,
                make(
                    pn.Column,
                    make(pn.pane.Markdown, "### Alerts"),
                    self.alerts,
                    sizing_mode="stretch_width",
                ),
                make(
                    pn.Column,
                    make(pn.pane.Markdown, "### Live activity"),
                    self.activity,
                    sizing_mode="stretch_width",
                ),
            ),
            sizing_mode="stretch_width",
        )

    def update_status(self, home: HomeView, status: StatusView) -> None:
        """Live parts: KPI cards (feed counters), activity, current prices."""
        self.kpis.object = render_kpis(home, status)
        self.activity.object = "\n".join(status.activity[:12])
        if status.prices:
            set_frame(self.positions, positions_frame(home.positions, status.prices))

    def update_home(self, home: HomeView, status: StatusView) -> None:
        """Store-backed parts: equity, positions, signals, alerts (each only if it moved)."""
        if home.equity != self._equity:
            self._equity = home.equity
            points = list(home.equity)
            start = [points[0].at - EQUITY_LEAD] if points else []  # equity 0 before trade 1
            self.source.data = {
                "at": start + [p.at for p in points],
                "equity": [0.0] * len(start) + [p.equity_lamports / 1e9 for p in points],
                "drawdown": [0.0] * len(start) + [-p.drawdown_lamports / 1e9 for p in points],
            }
        set_frame(self.positions, positions_frame(home.positions, status.prices))
        set_frame(self.signals, signals_frame(home.signals))
        set_frame(self.alerts, alerts_frame(home.alerts))
        self.kpis.object = render_kpis(home, status)
