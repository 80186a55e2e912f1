"""One figure style and one colour-blind-safe palette for the whole book.

Nothing happens on import: notebooks call :func:`use_style` explicitly. The palette is Okabe and Ito's
eight-colour set, which stays distinguishable under the common colour-vision deficiencies.

>>> PALETTE["users"], PALETTE["non_users"]
('#0072B2', '#E69F00')
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import seaborn as sns

__all__ = ["OKABE_ITO", "PALETTE", "use_style", "SYNTHETIC_NOTE", "flow_figure", "group_bars", "stacked_agreement",
           "thematic_map"]

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
PALETTE = {
    "users": OKABE_ITO[4], "non_users": OKABE_ITO[0], "published": OKABE_ITO[7], "synthetic": OKABE_ITO[2],
    "Agree": OKABE_ITO[2], "Undecided": OKABE_ITO[1], "Disagree": OKABE_ITO[5],
}
SYNTHETIC_NOTE = "Rebuilt from SYNTHETIC data that reproduce the published counts"
_GROUP_NAMES = {"users": "Users", "non_users": "Non-users"}


def use_style() -> None:
    """Apply the book's style (seaborn whitegrid, the palette, readable font sizes) to matplotlib."""
    sns.set_theme(style="whitegrid", palette=list(OKABE_ITO), font_scale=1.0,
                  rc={"figure.dpi": 100, "savefig.bbox": "tight", "axes.titlesize": 12, "axes.titleweight": "bold"})


def _note(fig: plt.Figure) -> None:
    fig.text(0.99, 0.005, SYNTHETIC_NOTE, ha="right", va="bottom", fontsize=8, color="#444444")


def flow_figure(flow: pd.DataFrame) -> plt.Figure:
    """The participant flow (``hmbook.tables.flow``) as horizontal bars, one per stage, largest first."""
    fig, ax = plt.subplots(figsize=(7, 3))
    sns.barplot(data=flow, y="stage", x="count", color=PALETTE["users"], ax=ax, orient="h")
    for bar, n in zip(ax.patches, flow["count"]):
        ax.text(bar.get_width() + 2, bar.get_y() + bar.get_height() / 2, f"{n}", va="center")
    ax.set(xlabel="People (as reported in the paper)", ylabel="", title="Participant flow")
    ax.set_xlim(0, flow["count"].max() * 1.12)
    fig.text(0.99, 0.005, "Counts as published; no synthetic data involved", ha="right", va="bottom",
             fontsize=8, color="#444444")
    fig.tight_layout()
    return fig


def group_bars(long: pd.DataFrame, *, x: str = "percent", y: str = "item", title: str = "") -> plt.Figure:
    """Horizontal bars of a percentage per item, users beside non-users (``long`` has ``group``, ``x``, ``y``)."""
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * long[y].nunique() + 1.5))
    sns.barplot(data=long, y=y, x=x, hue="group", hue_order=list(_GROUP_NAMES.values()),
                palette=[PALETTE["users"], PALETTE["non_users"]], orient="h", ax=ax)
    ax.set(xlabel="Respondents in the group (%)", ylabel="", xlim=(0, 100), title=title)
    ax.legend(title="", loc="lower right")
    _note(fig)
    fig.tight_layout()
    return fig


def stacked_agreement(long: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """Stacked bars of Agree / Undecided / Disagree per (item, group); ``long`` has item, group, level, percent."""
    levels = ["Agree", "Undecided", "Disagree"]
    wide = long.pivot_table(index=["item", "group"], columns="level", values="percent", sort=False)[levels]
    fig, ax = plt.subplots(figsize=(7.5, 0.6 * len(wide) + 1.5))
    labels = [f"{item}\n({group})" for item, group in wide.index]
    left = pd.Series(0.0, index=wide.index)
    for level in levels:
        ax.barh(labels, wide[level], left=left, color=PALETTE[level], label=level)
        left += wide[level]
    ax.invert_yaxis()
    ax.set(xlabel="Respondents in the group who answered (%)", xlim=(0, 100), title=title)
    ax.legend(ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    _note(fig)
    fig.tight_layout()
    return fig


def thematic_map(counts: pd.DataFrame, *, root: str = "Views on harm minimisation", title: str = "") -> plt.Figure:
    """Themes and their subthemes as a tree, left to right, each node sized by its coded segments.

    ``counts`` is :func:`hmbook.thematic.code_counts` (``theme_number``, ``theme``, ``subtheme``, ``segments``).
    The graph is a networkx tree drawn with networkx; positions are set here rather than by a networkx layout,
    because those do not keep the themes in the map's order: subthemes evenly down the right, each theme at the
    middle of its subthemes, the root at the middle of all.
    """
    colours = [c for c in OKABE_ITO if c not in ("#F0E442", "#000000")]  # yellow is unreadable on white
    graph, pos = nx.DiGraph(), {}
    subs_all = counts.sort_values(["theme_number"], kind="stable").reset_index(drop=True)
    for i, row in subs_all.iterrows():
        pos[row.subtheme] = (2.0, -float(i))
    for (number, theme), subs in subs_all.groupby(["theme_number", "theme"], sort=True):
        colour = colours[(number - 1) % len(colours)]
        graph.add_node(theme, layer=1, size=int(subs["segments"].sum()), colour=colour)
        pos[theme] = (1.0, sum(pos[s][1] for s in subs["subtheme"]) / len(subs))
        for row in subs.itertuples():
            graph.add_node(row.subtheme, layer=2, size=int(row.segments), colour=colour)
            graph.add_edge(theme, row.subtheme)
    graph.add_node(root, layer=0, size=int(counts["segments"].sum()), colour="#999999")
    graph.add_edges_from((root, t) for t in subs_all["theme"].unique())
    pos[root] = (0.0, sum(pos[t][1] for t in subs_all["theme"].unique()) / subs_all["theme"].nunique())
    fig, ax = plt.subplots(figsize=(11, 7.5))
    biggest = max(d["size"] for _, d in graph.nodes(data=True))
    nodes = list(graph.nodes)
    nx.draw_networkx_edges(graph, pos, ax=ax, edge_color="#AAAAAA", arrows=False, width=1.2)
    nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, edgecolors="white",
                           node_size=[120 + 2000 * graph.nodes[n]["size"] / biggest for n in nodes],
                           node_color=[graph.nodes[n]["colour"] for n in nodes])
    for node in nodes:
        (x, y), data = pos[node], graph.nodes[node]
        label = "\n".join(textwrap.wrap(node, 30, break_on_hyphens=False)) + f"\n({data['size']} segments)"
        if data["layer"] == 1:
            ax.text(x, y + 0.35, label, ha="center", va="bottom", fontsize=9, fontweight="bold")
        elif data["layer"] == 2:
            ax.text(x + 0.08, y, label, ha="left", va="center", fontsize=9)
        else:
            ax.text(x - 0.1, y, label, ha="right", va="center", fontsize=9, fontweight="bold")
    ax.set_xlim(-0.9, 2.85)
    ax.set_ylim(-len(subs_all) + 0.4, 1.2)
    ax.axis("off")
    ax.set_title(title)
    fig.text(0.99, 0.005, "SYNTHETIC corpus and coding: sizes are not the paper's", ha="right", va="bottom",
             fontsize=8, color="#444444")
    fig.tight_layout()
    return fig
