"""A drawing of one cluster: members on a circle, funding and synced-buy links between them.

Why a plain Bokeh plot: a handful of members and links needs no layout engine; a circle
keeps every member visible and the links readable.
"""

from __future__ import annotations

import math

from bokeh.models import ColumnDataSource, HoverTool, Range1d
from bokeh.plotting import figure

from dashboard.tables import short
from walltrack.dashboard_ports import ClusterView

LINK_COLOURS = {"FUNDED_BY": "#d97706", "SYNCED_BUY": "#2563eb"}


def cluster_figure(cluster: ClusterView | None) -> figure:
    """The members of `cluster` and their links (an empty plot when None)."""
    plot = figure(
        height=320,
        width=420,
        toolbar_location=None,
        title="Cluster links",
        x_range=Range1d(start=-1.4, end=1.4),
        y_range=Range1d(start=-1.4, end=1.4),
    )
    plot.axis.visible = False
    plot.grid.visible = False
    if cluster is None or not cluster.members:
        return plot
    count = len(cluster.members)
    position = {
        member: (math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count))
        for i, member in enumerate(cluster.members)
    }
    for kind, colour in LINK_COLOURS.items():
        links = [link for link in cluster.links if link.kind == kind]
        if links:
            plot.segment(
                x0=[position[link.source][0] for link in links],
                y0=[position[link.source][1] for link in links],
                x1=[position[link.target][0] for link in links],
                y1=[position[link.target][1] for link in links],
                line_color=colour,
                line_width=2,
                legend_label=kind,
            )
    nodes = ColumnDataSource(
        {
            "x": [position[m][0] for m in cluster.members],
            "y": [position[m][1] for m in cluster.members],
            "label": [short(m) for m in cluster.members],
            "address": list(cluster.members),
            "colour": ["#c40000" if m == cluster.leader else "#444" for m in cluster.members],
        }
    )
    plot.scatter("x", "y", source=nodes, size=14, color="colour")
    plot.text("x", "y", text="label", source=nodes, text_font_size="9px", y_offset=-10)
    plot.add_tools(HoverTool(tooltips=[("wallet", "@address")]))
    return plot
