"""One figure style and one colour-blind-safe palette for the whole book.

Nothing happens on import: notebooks call :func:`use_style` explicitly. The palette is Okabe and Ito's
eight-colour set, which stays distinguishable under the common colour-vision deficiencies.

>>> PALETTE["users"], PALETTE["non_users"]
('#0072B2', '#E69F00')
"""

from __future__ import annotations

import sys
import textwrap
import warnings

import matplotlib
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import seaborn as sns
from matplotlib.patches import Rectangle

from hmbook.constants import GROUP_LABELS, MEASURE_LABELS
from hmbook.methods.sampling import percentage_points

__all__ = ["OKABE_ITO", "PALETTE", "WIDTH", "SMALLEST", "use_style", "note", "SYNTHETIC_NOTE", "SIMULATED_NOTE",
           "flow_figure", "group_bars",
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
# Every figure is drawn WIDTH inches wide (461 CSS pixels in an SVG at 96 px to the inch, which the site shows at
# that size on a laptop) and no text in it is smaller than SMALLEST points. On a phone the figure is shrunk to the
# text column (327 px at 375 px wide), so the smallest text is shown at 10 pt x 96/72 x 327/461 = 9.5 CSS px, over
# the 9 px that tests/test_site_browser.py asks of every figure at both widths. A wider figure or a smaller font
# would fall under it there.
WIDTH = 4.8
SMALLEST = 10


def use_style() -> None:
    """Apply the book's style to matplotlib (seaborn whitegrid, the palette, readable font sizes), and in a notebook
    show figures as SVG with their text kept as text (so the site's browser test can measure it, and a reader can
    select and search it). The SVG carries no date and fixed ids, so that running a notebook again gives the same
    output byte for byte (nbval compares it)."""
    sns.set_theme(style="whitegrid", palette=list(OKABE_ITO), font_scale=1.0,
                  rc={"figure.dpi": 100, "savefig.bbox": "tight", "axes.titlesize": 12, "axes.titleweight": "bold",
                      "svg.fonttype": "none", "svg.hashsalt": "hmbook"})
    _svg_in_notebooks()


def _svg_in_notebooks() -> None:
    """In an IPython kernel, display figures as SVG only (no PNG beside it), without a date in the file. Outside
    one (a script, the tests) there is nothing to set: IPython is then not even imported."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    from IPython.core.pylabtools import select_figure_formats

    # Load the kernel's backend (its inline backend) now: loaded later, by the first figure, it would set its own
    # formats (PNG) over these. It sets them once only, so after this the SVG stays.
    plt.switch_backend(matplotlib.get_backend())
    select_figure_formats(shell, {"svg"}, metadata={"Date": None})


def note(fig: plt.Figure, text: str = SYNTHETIC_NOTE) -> None:
    """The footer every figure carries, under everything else: what its data are (SYNTHETIC, SIMULATED, ...),
    wrapped to the figure's width."""
    fig.text(0.01, 0, _wrap(text, 56), ha="left", va="top", fontsize=SMALLEST, color="#444444")


def _fit(fig: plt.Figure) -> None:
    """Lay ``fig`` out tightly, then narrow it until everything drawn (a legend under the axes, long tick labels)
    fits in WIDTH inches with the padding a tight save adds around it, so that no figure is shown smaller than the
    others on a phone."""
    room = WIDTH - 2 * float(plt.rcParams["savefig.pad_inches"])
    for _ in range(4):
        fig.tight_layout()
        drawn = fig.get_tightbbox().width  # in inches
        if drawn <= room + 0.02:
            return
        fig.set_size_inches(fig.get_figwidth() - (drawn - room), fig.get_figheight())


def _wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters, at spaces only.

    >>> _wrap("Views on harm minimisation (383 segments)", 28)
    'Views on harm minimisation\\n(383 segments)'
    """
    return "\n".join(textwrap.wrap(str(text), width, break_on_hyphens=False)) or str(text)


def _title(ax: plt.Axes, title: str) -> None:
    """A bold axes title, wrapped to the figure's width."""
    ax.set_title(_wrap(title, 44) if title else "")


def flow_figure(flow: pd.DataFrame) -> plt.Figure:
    """The participant flow (``hmbook.replicate.tables.flow``) as horizontal bars, one per stage, largest first."""
    fig, ax = plt.subplots(figsize=(WIDTH, 2.6))
    sns.barplot(data=flow, y="stage", x="count", color=PALETTE["users"], ax=ax, orient="h")
    for bar, n in zip(ax.patches, flow["count"]):
        assert isinstance(bar, Rectangle)  # a bar plot's patches are its bars
        ax.text(bar.get_width() + 2, bar.get_y() + bar.get_height() / 2, f"{n}", va="center")
    ax.set(xlabel="People (as reported in the paper)", ylabel="", title="Participant flow")
    ax.set_xlim(0, flow["count"].max() * 1.18)
    note(fig, "Counts as published; no synthetic data involved")
    _fit(fig)
    return fig


def group_bars(long: pd.DataFrame, *, x: str = "percent", y: str = "item", title: str = "") -> plt.Figure:
    """Horizontal bars of a percentage per item, users beside non-users (``long`` has ``group``, ``x``, ``y``)."""
    fig, ax = plt.subplots(figsize=(WIDTH, 0.5 * long[y].nunique() + 1.6))
    long = long.assign(**{y: long[y].map(lambda item: _wrap(item, 22))})
    sns.barplot(data=long, y=y, x=x, hue="group", hue_order=list(_GROUP_NAMES.values()),
                palette=[PALETTE["users"], PALETTE["non_users"]], orient="h", ax=ax)
    ax.set(xlabel="Respondents in the group (%)", ylabel="", xlim=(0, 100))
    _title(ax, title)
    ax.legend(title="", loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=2, frameon=False, fontsize=SMALLEST)
    note(fig)
    _fit(fig)
    return fig


def stacked_agreement(long: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """Stacked bars of Agree / Undecided / Disagree per (item, group); ``long`` has item, group, level, percent."""
    levels = ["Agree", "Undecided", "Disagree"]
    wide = long.pivot_table(index=["item", "group"], columns="level", values="percent", sort=False)[levels]
    fig, ax = plt.subplots(figsize=(WIDTH, 1.0 * len(wide) + 1.6))
    labels = [f"{_wrap(item, 22)}\n({group})" for item, group in wide.index]
    left = pd.Series(0.0, index=wide.index)
    for level in levels:
        ax.barh(labels, wide[level], left=left, color=PALETTE[level], label=level)
        left += wide[level]
    ax.invert_yaxis()
    ax.set(xlabel="Respondents in the group\nwho answered (%)", xlim=(0, 100))
    _title(ax, title)
    ax.legend(ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.3), frameon=False, fontsize=SMALLEST,
              columnspacing=1.0, handlelength=1.2)
    note(fig)
    _fit(fig)
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
    g = sns.FacetGrid(studies, row="odds_ratio", col="homophily", height=1.45, aspect=0.95, margin_titles=True,
                      despine=False)
    g.map_dataframe(sns.histplot, x="estimate", binwidth=0.025, binrange=(0, 1), stat="proportion",
                    color=PALETTE["users"], edgecolor="white", linewidth=0.3)
    # The histograms take the lower part of each panel and the truth line stops there, so that the bias and
    # coverage, printed in the band above, never cross the bars or the line.
    band = 0.52
    tallest = max(bar.get_height() for ax in g.axes.flat for bar in ax.patches)
    g.set(xlim=(0.2, 0.95), ylim=(0, tallest / band), xticks=[0.3, 0.6, 0.9], yticks=[0, 0.1, 0.2])

    def mark(data, **kws):
        ax = plt.gca()
        truth = data["truth"].iloc[0]
        ax.axvline(truth, ymax=band, color=PALETTE["published"], lw=1.2)
        ok = data.dropna(subset=["estimate"])
        bias = percentage_points(ok["estimate"].mean() - truth)
        ax.text(0.04, 0.96, f"bias {bias:+.1f}\ncover {ok['covers'].mean():.0%}",
                transform=ax.transAxes, va="top", fontsize=SMALLEST, linespacing=1.1)

    g.map_dataframe(mark)
    g.set_axis_labels("Sample share", "")
    g.figure.supylabel("Share of studies", x=-0.04)
    g.set_titles(row_template="odds ratio {row_name:.1f}", col_template="homophily {col_name:g}", size=SMALLEST)
    g.figure.suptitle(_wrap("Simulated studies: estimate against the population truth (black line)", 44),
                      y=1.0, fontsize=12, fontweight="bold")
    g.figure.subplots_adjust(top=0.87)
    note(g.figure, "Bias in percentage points; cover: the share of naive 95% intervals that hold the truth. "
         "Rows: odds ratio of taking part per SD of attitude. " + SIMULATED_NOTE)
    return g


def sampling_summary(summary: pd.DataFrame) -> plt.Figure:
    """Bias (naive and post-stratified, in percentage points) and Wilson coverage against the selection odds
    ratio per standard deviation of attitude, a line per homophily.

    ``summary`` is ``hmbook.methods.sampling.grid(...)``: one row per (selection, homophily) cell.
    """
    levels = sorted(summary["homophily"].unique())
    colours = dict(zip(levels, [OKABE_ITO[i] for i in (4, 0, 2, 5, 6, 1, 3, 7)]))
    fig, (left, right) = plt.subplots(2, 1, figsize=(WIDTH, 6.8), sharex=True)
    for h in levels:
        cell = summary[summary["homophily"] == h].sort_values("selection")
        left.plot(cell["odds_ratio"], 100 * cell["bias"], "o-", color=colours[h], label=f"homophily {h:g}")
        left.plot(cell["odds_ratio"], 100 * cell["ps_bias"], "s--", color=colours[h], alpha=0.7)
        right.plot(cell["odds_ratio"], 100 * cell["coverage"], "o-", color=colours[h], label=f"homophily {h:g}")
    left.axhline(0, color=PALETTE["published"], lw=0.8)
    right.axhline(95, color=PALETTE["published"], lw=0.8, ls=":")
    left.set(ylabel="Sample share minus\ntruth (points)", title="Bias")
    right.set(xlabel="Odds ratio of taking part per SD of attitude", ylabel="Intervals containing\nthe truth (%)",
              ylim=(0, 100), title="Coverage of the naive 95% interval")
    right.legend(loc="lower left", fontsize=SMALLEST)
    styles = [plt.Line2D([], [], color="#444444", ls="-", marker="o", label="naive"),
              plt.Line2D([], [], color="#444444", ls="--", marker="s", label="post-stratified")]
    left.legend(handles=styles, loc="upper left", fontsize=SMALLEST)
    note(fig, SIMULATED_NOTE)
    _fit(fig)
    return fig


def sampling_histogram(studies: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """Naive and post-stratified estimates of one scenario (``hmbook.methods.sampling.simulate``), with the truth."""
    long = studies.melt(id_vars=["truth"], value_vars=["estimate", "post_stratified"], var_name="estimator",
                        value_name="share").replace({"estimate": "naive", "post_stratified": "post-stratified"})
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8))
    sns.histplot(data=long, x="share", hue="estimator", binwidth=0.02, binrange=(0, 1), element="step",
                 stat="proportion", common_norm=False, palette=[PALETTE["users"], PALETTE["non_users"]], ax=ax)
    truth = float(studies["truth"].iloc[0])
    ax.axvline(truth, color=PALETTE["published"], lw=1.5)
    ok = studies.dropna(subset=["estimate"])
    ax.text(0.02, 0.95, f"truth {100 * truth:.1f}%\nnaive bias {100 * (ok['estimate'].mean() - truth):+.1f} pts\n"
            f"post-stratified bias {100 * (ok['post_stratified'].mean() - truth):+.1f} pts\n"
            f"Wilson coverage {ok['covers'].mean():.0%}\nmean completers {ok['completed'].mean():.0f}",
            transform=ax.transAxes, va="top", fontsize=SMALLEST)
    ax.set(xlabel="Share who recommend, in the sample", ylabel="Share of studies", xlim=(0, 1))
    _title(ax, title)
    note(fig, SIMULATED_NOTE)
    _fit(fig)
    return fig


def compatible_truths(truths: pd.DataFrame, observed: float, *, title: str = "") -> plt.Figure:
    """For each selection strength, the middle 95% of simulated estimates (band) and their mean (line) against the
    population truth, with the observed share as a dotted line (top); below, for each selection strength, the range
    of truths whose band covers the observed share: those that could have produced it. ``truths`` is
    ``hmbook.methods.sampling.compatible_truths``.
    """
    fig, (ax, fits_ax) = plt.subplots(2, 1, figsize=(WIDTH, 6.4), sharex=True, gridspec_kw={"height_ratios": [3, 1.4]})
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
    ax.set(ylabel="Share in a simulated study (%)", xlim=(20, 100), ylim=(20, 100))
    _title(ax, title)
    ax.legend(title="Selection, per\nSD of attitude", loc="upper left", fontsize=SMALLEST, title_fontsize=SMALLEST)
    fits_ax.set(yticks=range(len(ratios)), yticklabels=[f"OR {r:.1f}" for r in ratios], ylim=(-0.7, len(ratios) - 0.3),
                xlabel="Share who recommend in the population (%)")
    fits_ax.set_title(_wrap(f"Population shares that could give the observed {100 * observed:.0f}%", 40),
                      fontsize=11)
    fits_ax.invert_yaxis()
    note(fig, SIMULATED_NOTE + f"; dotted line: the observed {100 * observed:.0f}%")
    _fit(fig)
    return fig


# Figures of the "Checking the paper" part (audit and limitations chapters).


def denominator_ranges(ranges: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """One row per figure of ``hmbook.methods.audit.implied_ranges``: the denominators that give its printed percentage
    (a bar from ``low`` to ``high``), the printed denominator (cross) and the group's size (circle). Pass figures
    whose denominators are of one size: the x axis is linear with a tick per whole number."""
    fig, ax = plt.subplots(figsize=(WIDTH, 0.5 * len(ranges) + 2.2))
    y = range(len(ranges))
    ax.hlines(list(y), ranges["low"].astype(float) - 0.4, ranges["high"].astype(float) + 0.4, lw=7,
              color=PALETTE["users"], label="Denominators that give the printed %")
    printed = ranges.dropna(subset=["printed"])
    sns.scatterplot(x=printed["printed"].astype(float), y=[list(ranges.index).index(i) for i in printed.index],
                    marker="X", s=110, color=PALETTE["Disagree"], label="Denominator printed", ax=ax, zorder=3)
    sns.scatterplot(x=ranges["group_size"].astype(float), y=list(y), marker="o", s=45, facecolor="none",
                    edgecolor=PALETTE["published"], linewidth=1.4, label="Size of the group", ax=ax, zorder=4)
    values = pd.concat([ranges["low"], ranges["high"], ranges["printed"].dropna(), ranges["group_size"]]).astype(int)
    ax.set_xticks(range(values.min() - 1, values.max() + 2, 2 if values.max() - values.min() > 4 else 1))
    ax.set_xlim(values.min() - 1.5, values.max() + 1.5)
    ax.set_yticks(list(y), [f"{r.figure_id}:\n{r.count} = {r.percent:g}%" for r in ranges.itertuples()])
    ax.invert_yaxis()
    ax.set(xlabel="Denominator", ylabel="")
    _title(ax, title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=1, frameon=False, fontsize=SMALLEST)
    note(fig, "Published numbers only; no synthetic data involved")
    _fit(fig)
    return fig


def forest(intervals: pd.DataFrame, *, label: str = "label", title: str = "") -> plt.Figure:
    """A forest-style plot of ``hmbook.methods.inference.wilson_table`` output: a point and interval per row,
    coloured by ``group`` (``users`` blue / ``non_users`` orange / ``all`` black), proportions shown as percentages.

    A label of the form ``"item · group"`` puts the row on the item's line, users just above non-users, so that
    each item is named once (a phone's width has no room for the name twice)."""
    colours = {"users": PALETTE["users"], "non_users": PALETTE["non_users"], "all": PALETTE["published"]}
    offsets = {"users": -0.17, "non_users": 0.17}
    items = [str(text).rsplit(" · ", 1)[0] for text in intervals[label]]
    order = list(dict.fromkeys(items))
    y = [order.index(item) + offsets.get(group, 0.0) for item, group in zip(items, intervals["group"])]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.6 * len(order) + 1.9))
    names = {"users": GROUP_LABELS["users"], "non_users": GROUP_LABELS["non_users"], "all": "All respondents"}
    for group, rows in intervals.assign(_y=y).groupby("group", sort=False):
        ax.hlines(rows["_y"], 100 * rows["lower"], 100 * rows["upper"], color=colours[group], lw=2)
        ax.scatter(100 * rows["proportion"], rows["_y"], color=colours[group], s=22, zorder=3,
                   label=names.get(str(group), str(group)))
    ax.set_yticks(range(len(order)), [_wrap(item, 24) for item in order], fontsize=SMALLEST)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set(xlim=(0, 100), xlabel="Percentage with 95% Wilson interval", ylabel="")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False, fontsize=SMALLEST, handletextpad=0.3)
    _title(ax, title)
    note(fig, "Published counts only; no synthetic data involved")
    _fit(fig)
    return fig


def ensemble_spread(assoc: pd.DataFrame, *, title: str = "") -> plt.Figure:
    """Histograms of ``hmbook.methods.inference.ensemble_associations``: one panel per measure, across the datasets."""
    measures = list(dict.fromkeys(assoc["measure"]))
    fig, axes = plt.subplots((len(measures) + 1) // 2, 2, figsize=(WIDTH, 2.6 * ((len(measures) + 1) // 2) + 0.6))
    for ax, measure in zip(axes.flat, measures):
        sns.histplot(assoc.loc[assoc["measure"] == measure, "value"], bins=15, color=PALETTE["synthetic"], ax=ax)
        ax.set(title=_wrap(MEASURE_LABELS.get(measure, measure), 22), xlabel="", ylabel="Datasets")
        ax.title.set(fontsize=SMALLEST, fontweight="normal")
        ax.tick_params(labelsize=SMALLEST)
    for ax in list(axes.flat)[len(measures):]:
        ax.set_visible(False)
    fig.suptitle(_wrap(title, 40), fontsize=12, fontweight="bold")
    note(fig, f"{assoc['dataset'].nunique()} SYNTHETIC datasets, each reproducing every published "
             "count: the spread is what the paper leaves open, not an estimate")
    _fit(fig)
    return fig


def thematic_map(counts: pd.DataFrame, *, root: str = "Views on harm minimisation", title: str = "") -> plt.Figure:
    """Themes and their subthemes as a tree drawn top to bottom, as an outline is: the root first, each theme on a
    row of its own, indented under it, and each subtheme indented under its theme; each node is sized by its coded
    segments and labelled, with its count, to its right (so the tree reads on a phone as on a laptop).

    ``counts`` is :func:`hmbook.qualitative.thematic.code_counts` (``theme_number``, ``theme``, ``subtheme``,
    ``segments``).
    The graph is a networkx tree; its nodes are drawn with networkx at positions set here (a networkx layout would
    not keep the themes in the map's order), and each edge as an elbow from its parent's column to the child's row,
    left of every label.
    """
    colours = [c for c in OKABE_ITO if c not in ("#F0E442", "#000000")]  # yellow is unreadable on white
    graph = nx.DiGraph()
    subs_all = counts.sort_values(["theme_number"], kind="stable").reset_index(drop=True)
    graph.add_node(root, layer=0, size=int(counts["segments"].sum()), colour="#999999")
    for (number, theme), subs in subs_all.groupby(["theme_number", "theme"], sort=True):
        colour = colours[(number - 1) % len(colours)]
        graph.add_node(theme, layer=1, size=int(subs["segments"].sum()), colour=colour)
        graph.add_edge(root, theme)
        for row in subs.itertuples():
            graph.add_node(row.subtheme, layer=2, size=int(row.segments), colour=colour)
            graph.add_edge(theme, row.subtheme)
    # Rows in outline order; a row is as tall as its label's lines, in units of one line of text.
    wrap_at = {0: 36, 1: 32, 2: 30}
    labels, pos, y = {}, {}, 0.0
    for node in nx.dfs_preorder_nodes(graph, root):
        data = graph.nodes[node]
        labels[node] = _wrap(f"{node} ({data['size']} segments)", wrap_at[data["layer"]])
        lines = labels[node].count("\n") + 1
        pos[node] = (float(data["layer"]), y - lines / 2)
        y -= lines + 0.7
    fig, ax = plt.subplots(figsize=(WIDTH, 0.19 * -y + 0.9))
    for parent, child in graph.edges:
        (px, py), (cx, cy) = pos[parent], pos[child]
        ax.plot([px, px, cx], [py, cy, cy], color="#AAAAAA", lw=1.2, zorder=1, solid_joinstyle="miter")
    biggest = max(d["size"] for _, d in graph.nodes(data=True))
    nodes = list(graph.nodes)
    nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, edgecolors="white", linewidths=1,
                           node_size=[30 + 330 * graph.nodes[n]["size"] / biggest for n in nodes],
                           node_color=[graph.nodes[n]["colour"] for n in nodes]).set_zorder(2)
    for node in nodes:
        (x, y_node), layer = pos[node], graph.nodes[node]["layer"]
        ax.text(x + 0.42, y_node, labels[node], ha="left", va="center", fontsize=SMALLEST,
                fontweight="bold" if layer < 2 else "normal", linespacing=1.15)
    ax.set_xlim(-0.4, 6.2)
    ax.set_ylim(y + 0.3, 0.5)
    ax.axis("off")
    _title(ax, title)
    note(fig, "SYNTHETIC corpus and coding: sizes are not the paper's")
    _fit(fig)
    return fig
