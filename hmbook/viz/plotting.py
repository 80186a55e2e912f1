"""One figure style and one colour-blind-safe palette for the whole book.

Nothing happens on import: notebooks call :func:`use_style` explicitly. The palette is Okabe and Ito's
eight-colour set, which stays distinguishable under the common colour-vision deficiencies.

>>> PALETTE["users"], PALETTE["non_users"]
('#0072B2', '#E69F00')
"""

from __future__ import annotations

import textwrap
import warnings

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import seaborn as sns
from matplotlib.patches import Rectangle

from hmbook.constants import GROUP_LABELS, MEASURE_LABELS
from hmbook.methods.sampling import percentage_points

__all__ = ["OKABE_ITO", "PALETTE", "use_style", "SYNTHETIC_NOTE", "SIMULATED_NOTE", "flow_figure", "group_bars",
           "stacked_agreement", "sampling_grid", "sampling_summary", "sampling_histogram", "compatible_truths",
           "denominator_ranges",
           "forest", "ensemble_spread", "thematic_map"]

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
PALETTE = {
    "users": OKABE_ITO[4], "non_users": OKABE_ITO[0], "published": OKABE_ITO[7], "synthetic": OKABE_ITO[2],
    "Agree": OKABE_ITO[2], "Undecided": OKABE_ITO[1], "Disagree": OKABE_ITO[5],
}
SYNTHETIC_NOTE = "Rebuilt from SYNTHETIC data that reproduce the published counts"
SIMULATED_NOTE = "SIMULATED: an illustrative population and recruitment model, no real data"
_GROUP_NAMES = {g: GROUP_LABELS[g] for g in ("users", "non_users")}


def use_style() -> None:
    """Apply the book's style (seaborn whitegrid, the palette, readable font sizes) to matplotlib."""
    sns.set_theme(style="whitegrid", palette=list(OKABE_ITO), font_scale=1.0,
                  rc={"figure.dpi": 100, "savefig.bbox": "tight", "axes.titlesize": 12, "axes.titleweight": "bold"})


def _note(fig: plt.Figure, text: str = SYNTHETIC_NOTE) -> None:
    """The footer every figure carries: what its data are (SYNTHETIC, SIMULATED, ...)."""
    fig.text(0.99, 0.005, text, ha="right", va="bottom", fontsize=8, color="#444444")


def flow_figure(flow: pd.DataFrame) -> plt.Figure:
    """The participant flow (``hmbook.replicate.tables.flow``) as horizontal bars, one per stage, largest first."""
    fig, ax = plt.subplots(figsize=(7, 3))
    sns.barplot(data=flow, y="stage", x="count", color=PALETTE["users"], ax=ax, orient="h")
    for bar, n in zip(ax.patches, flow["count"]):
        assert isinstance(bar, Rectangle)  # a bar plot's patches are its bars
        ax.text(bar.get_width() + 2, bar.get_y() + bar.get_height() / 2, f"{n}", va="center")
    ax.set(xlabel="People (as reported in the paper)", ylabel="", title="Participant flow")
    ax.set_xlim(0, flow["count"].max() * 1.12)
    _note(fig, "Counts as published; no synthetic data involved")
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


def sampling_grid(studies: pd.DataFrame) -> sns.FacetGrid:
    """Histograms of simulated estimates: a row per selection strength, a column per homophily.

    ``studies`` is ``hmbook.methods.sampling.grid(..., studies=True)``. Rows are labelled by the odds ratio of
    taking part per standard deviation of attitude. Each panel marks the population truth (black line) and prints
    the bias, in percentage points, and the coverage of the naive 95 % Wilson interval.
    """
    # Seaborn tries a tight layout after each step; with this many small panels Matplotlib declines and warns
    # ("Tight layout not applied"). The warning carries the venv's path, so it would make the notebook's stored
    # output machine-dependent; the layout is set by the figure size instead, so it is silenced here only.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Tight layout not applied", category=UserWarning)
        return _sampling_grid(studies)


def _sampling_grid(studies: pd.DataFrame) -> sns.FacetGrid:
    g = sns.FacetGrid(studies, row="odds_ratio", col="homophily", height=1.55, aspect=1.45, margin_titles=True,
                      despine=False)
    g.map_dataframe(sns.histplot, x="estimate", binwidth=0.025, binrange=(0, 1), stat="proportion",
                    color=PALETTE["users"], edgecolor="white", linewidth=0.3)

    def mark(data, **kws):
        ax = plt.gca()
        truth = data["truth"].iloc[0]
        ax.axvline(truth, color=PALETTE["published"], lw=1.2)
        ok = data.dropna(subset=["estimate"])
        bias = percentage_points(ok["estimate"].mean() - truth)
        ax.text(0.03, 0.95, f"bias {bias:+.1f} pts\ncover {ok['covers'].mean():.0%}",
                transform=ax.transAxes, va="top", fontsize=7.5)

    g.map_dataframe(mark)
    g.set(xlim=(0.2, 0.95))
    g.set_axis_labels("Sample share", "")
    g.figure.supylabel("Share of studies", x=-0.01)
    g.set_titles(row_template="odds ratio {row_name:.1f}", col_template="homophily {col_name:g}", size=9)
    g.figure.suptitle("Simulated studies: estimate against the population truth (black line)", y=1.0,
                      fontsize=11, fontweight="bold")
    g.figure.text(0.99, -0.01, "Rows: odds ratio of taking part per SD of attitude. " + SIMULATED_NOTE,
                  ha="right", va="top", fontsize=8, color="#444444")
    return g


def sampling_summary(summary: pd.DataFrame) -> plt.Figure:
    """Bias (naive and post-stratified, in percentage points) and Wilson coverage against the selection odds
    ratio per standard deviation of attitude, a line per homophily.

    ``summary`` is ``hmbook.methods.sampling.grid(...)``: one row per (selection, homophily) cell.
    """
    levels = sorted(summary["homophily"].unique())
    colours = dict(zip(levels, [OKABE_ITO[i] for i in (4, 0, 2, 5, 6, 1, 3, 7)]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    for h in levels:
        cell = summary[summary["homophily"] == h].sort_values("selection")
        left.plot(cell["odds_ratio"], 100 * cell["bias"], "o-", color=colours[h], label=f"homophily {h:g}")
        left.plot(cell["odds_ratio"], 100 * cell["ps_bias"], "s--", color=colours[h], alpha=0.7)
        right.plot(cell["odds_ratio"], 100 * cell["coverage"], "o-", color=colours[h], label=f"homophily {h:g}")
    left.axhline(0, color=PALETTE["published"], lw=0.8)
    right.axhline(95, color=PALETTE["published"], lw=0.8, ls=":")
    xlabel = "Odds ratio of taking part per SD of attitude"
    left.set(xlabel=xlabel, ylabel="Sample share minus truth (points)", title="Bias")
    right.set(xlabel=xlabel, ylabel="Intervals containing the truth (%)", ylim=(0, 100),
              title="Coverage of the naive 95% interval")
    right.legend(loc="lower left", fontsize=8)
    styles = [plt.Line2D([], [], color="#444444", ls="-", marker="o", label="naive"),
              plt.Line2D([], [], color="#444444", ls="--", marker="s", label="post-stratified")]
    left.legend(handles=styles, loc="upper left", fontsize=8)
    _note(fig, SIMULATED_NOTE)
    fig.tight_layout()
    return fig


def sampling_histogram(studies: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """Naive and post-stratified estimates of one scenario (``hmbook.methods.sampling.simulate``), with the truth."""
    long = studies.melt(id_vars=["truth"], value_vars=["estimate", "post_stratified"], var_name="estimator",
                        value_name="share").replace({"estimate": "naive", "post_stratified": "post-stratified"})
    fig, ax = plt.subplots(figsize=(7, 3.4))
    sns.histplot(data=long, x="share", hue="estimator", binwidth=0.02, binrange=(0, 1), element="step",
                 stat="proportion", common_norm=False, palette=[PALETTE["users"], PALETTE["non_users"]], ax=ax)
    truth = float(studies["truth"].iloc[0])
    ax.axvline(truth, color=PALETTE["published"], lw=1.5)
    ok = studies.dropna(subset=["estimate"])
    ax.text(0.02, 0.95, f"truth {100 * truth:.1f}%\nnaive bias {100 * (ok['estimate'].mean() - truth):+.1f} pts\n"
            f"post-stratified bias {100 * (ok['post_stratified'].mean() - truth):+.1f} pts\n"
            f"Wilson coverage {ok['covers'].mean():.0%}\nmean completers {ok['completed'].mean():.0f}",
            transform=ax.transAxes, va="top", fontsize=8)
    ax.set(xlabel="Share who recommend, in the sample", ylabel="Share of studies", xlim=(0, 1), title=title)
    _note(fig, SIMULATED_NOTE)
    fig.tight_layout()
    return fig


def compatible_truths(truths: pd.DataFrame, observed: float, *, title: str = "") -> plt.Figure:
    """For each selection strength, the middle 95% of simulated estimates (band) and their mean (line) against the
    population truth, with the observed share as a dotted line (top); below, for each selection strength, the range
    of truths whose band covers the observed share: those that could have produced it. ``truths`` is
    ``hmbook.methods.sampling.compatible_truths``.
    """
    fig, (ax, fits_ax) = plt.subplots(2, 1, figsize=(7.5, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 1.1]})
    colours = [OKABE_ITO[i] for i in (4, 0, 2, 5, 6, 1)]
    ratios = sorted(truths["odds_ratio"].unique())
    for row, (colour, ratio) in enumerate(zip(colours, ratios)):
        rows = truths[truths["odds_ratio"] == ratio]
        x = 100 * rows["truth"]
        ax.fill_between(x, 100 * rows["low"], 100 * rows["high"], color=colour, alpha=0.18, lw=0)
        ax.plot(x, 100 * rows["mean_estimate"], color=colour, lw=1.8, label=f"odds ratio {ratio:.1f}")
        fits = rows[rows["compatible"]]
        if len(fits):
            fits_ax.plot([100 * fits["truth"].min(), 100 * fits["truth"].max()], [row, row], color=colour, lw=6,
                         solid_capstyle="butt")
    ax.axhline(100 * observed, color=PALETTE["published"], lw=0.9, ls=":")
    ax.plot([0, 100], [0, 100], color="#999999", lw=0.8, ls="--")
    ax.set(ylabel="Share in a simulated study (%)", xlim=(20, 100), ylim=(20, 100), title=title)
    ax.legend(title="Selection, per SD of attitude", loc="upper left", fontsize=8, title_fontsize=8)
    fits_ax.set(yticks=range(len(ratios)), yticklabels=[f"OR {r:.1f}" for r in ratios], ylim=(-0.7, len(ratios) - 0.3),
                xlabel="Share who recommend in the population (%)")
    fits_ax.set_title(f"Population shares that could give the observed {100 * observed:.0f}%", fontsize=10)
    fits_ax.invert_yaxis()
    _note(fig, SIMULATED_NOTE + f"; dotted line: the observed {100 * observed:.0f}%")
    fig.tight_layout()
    return fig


# Figures of the "Checking the paper" part (audit and limitations chapters).


def denominator_ranges(ranges: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """One row per figure of ``hmbook.methods.audit.implied_ranges``: the denominators that give its printed percentage
    (a bar from ``low`` to ``high``), the printed denominator (cross) and the group's size (circle). Pass figures
    whose denominators are of one size: the x axis is linear with a tick per whole number."""
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(ranges) + 1.6))
    y = range(len(ranges))
    ax.hlines(list(y), ranges["low"].astype(float) - 0.4, ranges["high"].astype(float) + 0.4, lw=7,
              color=PALETTE["users"], label="Denominators that give the printed %")
    printed = ranges.dropna(subset=["printed"])
    sns.scatterplot(x=printed["printed"].astype(float), y=[list(ranges.index).index(i) for i in printed.index],
                    marker="X", s=110, color=PALETTE["Disagree"], label="Denominator printed", ax=ax, zorder=3)
    sns.scatterplot(x=ranges["group_size"].astype(float), y=list(y), marker="o", s=45, facecolor="none",
                    edgecolor=PALETTE["published"], linewidth=1.4, label="Size of the group", ax=ax, zorder=4)
    values = pd.concat([ranges["low"], ranges["high"], ranges["printed"].dropna(), ranges["group_size"]]).astype(int)
    ax.set_xticks(range(values.min() - 1, values.max() + 2))
    ax.set_xlim(values.min() - 1.5, values.max() + 1.5)
    ax.set_yticks(list(y), [f"{r.figure_id}: {r.count} = {r.percent:g}%" for r in ranges.itertuples()])
    ax.invert_yaxis()
    ax.set(xlabel="Denominator", ylabel="", title=title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3, frameon=False, fontsize=8)
    _note(fig, "Published numbers only; no synthetic data involved")
    fig.tight_layout()
    return fig


def forest(intervals: pd.DataFrame, *, label: str = "label", title: str = "") -> plt.Figure:
    """A forest-style plot of ``hmbook.methods.inference.wilson_table`` output: a point and interval per row,
    coloured by ``group`` (``users`` blue / ``non_users`` orange / ``all`` black), proportions shown as percentages."""
    colours = {"users": PALETTE["users"], "non_users": PALETTE["non_users"], "all": PALETTE["published"]}
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(intervals) + 1.6))
    y = list(range(len(intervals)))
    for group, rows in intervals.assign(_y=y).groupby("group", sort=False):
        ax.hlines(rows["_y"], 100 * rows["lower"], 100 * rows["upper"], color=colours[group], lw=2)
        sns.scatterplot(x=100 * rows["proportion"], y=rows["_y"], color=colours[group], s=30, ax=ax, zorder=3)
    ax.set_yticks(y, intervals[label])
    ax.invert_yaxis()
    ax.set(xlim=(0, 100), xlabel="Percentage with 95% Wilson interval", ylabel="", title=title)
    _note(fig, "Published counts only; no synthetic data involved")
    fig.tight_layout()
    return fig


def ensemble_spread(assoc: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """Histograms of ``hmbook.methods.inference.ensemble_associations``: one panel per measure, across the datasets."""
    measures = list(dict.fromkeys(assoc["measure"]))
    fig, axes = plt.subplots(2, (len(measures) + 1) // 2, figsize=(8.5, 5.6))
    for ax, measure in zip(axes.flat, measures):
        sns.histplot(assoc.loc[assoc["measure"] == measure, "value"], bins=15, color=PALETTE["synthetic"], ax=ax)
        ax.set(title=MEASURE_LABELS.get(measure, measure), xlabel="", ylabel="Datasets")
        ax.title.set(fontsize=9, fontweight="normal")
    for ax in list(axes.flat)[len(measures):]:
        ax.set_visible(False)
    fig.suptitle(title, fontweight="bold")
    _note(fig, f"{assoc['dataset'].nunique()} SYNTHETIC datasets, each reproducing every published "
             "count: the spread is what the paper leaves open, not an estimate")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def thematic_map(counts: pd.DataFrame, *, root: str = "Views on harm minimisation", title: str = "") -> plt.Figure:
    """Themes and their subthemes as a tree, left to right, each node sized by its coded segments.

    ``counts`` is :func:`hmbook.qualitative.thematic.code_counts` (``theme_number``, ``theme``, ``subtheme``,
    ``segments``).
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
    _note(fig, "SYNTHETIC corpus and coding: sizes are not the paper's")
    fig.tight_layout()
    return fig
