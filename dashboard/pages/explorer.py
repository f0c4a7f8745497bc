"""Explorer: Signals (filters, factor breakdown, skip reason), Wallets (badges, blacklist,
manual add), Clusters (members, leader, multiplier, graph), Tokens (market data, safety).

Why loaded on demand: these tables read the stores when the operator opens or filters
them, not on every tree event; the live figures are on Home and in the status bar.
"""

from __future__ import annotations

import panel as pn

from dashboard.detail import OPERATOR, DetailPanel
from dashboard.pages.cluster_graph import cluster_figure
from dashboard.tables import clusters_frame, signals_frame, tokens_frame, wallets_frame
from dashboard.widgets import make
from walltrack.dashboard_ports import ClusterView, DashboardCommands, DashboardReads
from walltrack.domain.records import SignalDecision, WalletStatus

ANY = "any"


def _table(frame: object, css: str, **extra: object) -> pn.widgets.Tabulator:
    return make(
        pn.widgets.Tabulator,
        frame,
        show_index=False,
        height=420,
        disabled=True,
        sizing_mode="stretch_width",
        css_classes=[css],
        pagination="local",
        page_size=15,
        **extra,
    )


class ExplorerPage:
    """The Explorer page of one session."""

    def __init__(
        self, reads: DashboardReads, commands: DashboardCommands, detail: DetailPanel
    ) -> None:
        self._reads = reads
        self._commands = commands
        self._detail = detail
        self._clusters: tuple[ClusterView, ...] = ()
        # Signals
        self.wallet_filter = make(pn.widgets.TextInput, name="Wallet", placeholder="address")
        self.token_filter = make(pn.widgets.TextInput, name="Token", placeholder="mint")
        self.decision = make(
            pn.widgets.Select, name="Decision", options=[ANY, *[d.value for d in SignalDecision]]
        )
        self.apply_filters = make(pn.widgets.Button, name="Apply filters", button_type="primary")
        self.signals = _table(signals_frame(()), "wt-signals", hidden_columns=["id"])
        self.apply_filters.on_click(lambda _e: self.load_signals())
        self.signals.on_click(
            lambda e: detail.show_signal(str(self.signals.value.iloc[e.row]["id"]))
        )
        # Wallets
        self.status = make(
            pn.widgets.Select, name="Status", options=[ANY, *[s.value for s in WalletStatus]]
        )
        self.status.param.watch(lambda _e: self.load_wallets(), "value")
        self.wallets = _table(wallets_frame((), {}), "wt-wallets")
        self.wallets.on_click(
            lambda e: detail.show_wallet(str(self.wallets.value.iloc[e.row]["address"]))
        )
        self.new_wallet = make(pn.widgets.TextInput, name="Add a wallet", placeholder="address")
        self.add_wallet = make(pn.widgets.Button, name="Add wallet")
        self.add_outcome = make(pn.pane.Str, "")
        self.add_wallet.on_click(lambda _e: self._add_wallet())
        # Clusters
        self.clusters = _table(clusters_frame(()), "wt-clusters")
        self.graph = make(pn.pane.Bokeh, cluster_figure(None))
        self.members = make(pn.pane.Markdown, "")
        self.clusters.on_click(lambda e: self._show_cluster(e.row))
        # Tokens
        self.tokens = _table(tokens_frame(()), "wt-tokens")
        self.tokens.on_click(
            lambda e: detail.show_token(str(self.tokens.value.iloc[e.row]["mint"]))
        )
        self.tabs = make(
            pn.Tabs,
            (
                "Signals",
                make(
                    pn.Column,
                    make(
                        pn.Row,
                        self.wallet_filter,
                        self.token_filter,
                        self.decision,
                        self.apply_filters,
                    ),
                    self.signals,
                    sizing_mode="stretch_width",
                ),
            ),
            (
                "Wallets",
                make(
                    pn.Column,
                    make(pn.Row, self.status, self.new_wallet, self.add_wallet, self.add_outcome),
                    self.wallets,
                    sizing_mode="stretch_width",
                ),
            ),
            (
                "Clusters",
                make(
                    pn.Row,
                    self.clusters,
                    make(pn.Column, self.graph, self.members),
                    sizing_mode="stretch_width",
                ),
            ),
            ("Tokens", make(pn.Column, self.tokens, sizing_mode="stretch_width")),
            css_classes=["wt-explorer-tabs"],
            sizing_mode="stretch_width",
        )
        self.tabs.param.watch(lambda _e: self.load(), "active")
        self.panel = make(pn.Column, self.tabs, sizing_mode="stretch_width")

    def load(self) -> None:
        """Read the table of the open sub-tab from the stores."""
        [self.load_signals, self.load_wallets, self.load_clusters, self.load_tokens][
            self.tabs.active
        ]()

    def load_signals(self) -> None:
        decision = None if self.decision.value == ANY else SignalDecision(self.decision.value)
        self.signals.value = signals_frame(
            self._reads.signals(
                wallet=(self.wallet_filter.value or "").strip() or None,
                token=(self.token_filter.value or "").strip() or None,
                decision=decision,
                limit=500,
            )
        )

    def load_wallets(self) -> None:
        status = None if self.status.value == ANY else WalletStatus(self.status.value)
        cluster_of = {m: c.cluster_id for c in self._clusters for m in c.members}
        self.wallets.value = wallets_frame(self._reads.wallets(status, limit=500), cluster_of)

    def load_clusters(self) -> None:
        self._clusters = self._reads.clusters()
        self.clusters.value = clusters_frame(self._clusters)
        self._show_cluster(0 if self._clusters else None)

    def load_tokens(self) -> None:
        self.tokens.value = tokens_frame(self._reads.tokens(limit=500))

    def _show_cluster(self, row: int | None) -> None:
        cluster = self._clusters[row] if row is not None and row < len(self._clusters) else None
        self.graph.object = cluster_figure(cluster)
        if cluster is None:
            self.members.object = "No cluster stored yet."
            return
        self.members.object = "\n".join(
            f"- `{m}`" + (" **leader**" if m == cluster.leader else "") for m in cluster.members
        )

    def _add_wallet(self) -> None:
        address = (self.new_wallet.value or "").strip()
        if not address:
            self.add_outcome.object = "enter an address"
            return
        try:
            record = self._commands.add_wallet(address, OPERATOR)
        except Exception as error:
            self.add_outcome.object = f"refused: {error}"
            return
        self.add_outcome.object = f"{record.address} is {record.status.value}"
        self.load_wallets()
