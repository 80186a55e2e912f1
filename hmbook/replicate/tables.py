"""Respondents -> the paper's numbers, beside the published values.

:func:`compare` is the one engine: for every row of ``figures.csv`` it measures the same quantity in a respondent
table (count and denominator within the row's group) and says whether the two agree. The table layouts
(:func:`table1`, :func:`two_groups`, :func:`text_figures`) and ``python -m hmbook verify`` are views of its output.

>>> from hmbook.replicate import synth
>>> cmp = compare(synth.generate())
>>> cmp["status"].value_counts().to_dict()
{'match': 123, 'not carried': 16}
>>> n_pct(55, 76)
'55 (72%)'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from hmbook import grim
from hmbook.constants import GROUP_LABELS, GROUP_SHORT, VARIABLE_LABELS
from hmbook.data import published, schema
from hmbook.files import cells

__all__ = [
    "DERIVED_LEVELS", "READ_AS_GROUP_SIZE", "n_pct", "measure", "compare",
    "check_facts", "table1", "two_groups", "text_figures", "figures_view", "flow",
]

# Levels the text reports that are not a single category (A10, A11).
DERIVED_LEVELS = {
    ("occupation", "Psychology/mental health"): (  # A10
        "Assistant psychologist", "Clinical psychologist", "Counselling psychologist", "Educational psychologist",
        "Forensic psychologist", "Family therapist", "Mental health nurse"),
}

# Figures whose printed denominator is the size of the group rather than the number who answered (A03, A05).
READ_AS_GROUP_SIZE = {"conf_confident": "A03", "avoid_non_users_none": "A05"}



def n_pct(count: float | None, denominator: float | None) -> str:
    """The paper's ``n (%)`` cell. Missing parts (None, NaN or ``pd.NA``) are left out.

    >>> n_pct(43, 74), n_pct(None, None), n_pct(30, None)
    ('43 (58%)', '', '30')
    """
    if count is None or pd.isna(count):
        return ""
    if denominator is None or pd.isna(denominator) or int(denominator) == 0:
        return f"{int(count)}"
    return f"{int(count)} ({grim.percent(int(count), int(denominator))}%)"


def _group(resp: pd.DataFrame, group: str) -> pd.DataFrame:
    if group == "all":
        return resp
    return resp[resp["used_hm"].eq(group == "users").fillna(False).astype(bool)]


def measure(resp: pd.DataFrame, group: str, variable: str, level: str,
            figs: pd.DataFrame | None = None) -> tuple[int, int | None] | None:
    """The count and denominator of ``level`` of ``variable`` within ``group``, or None if the table cannot carry it.

    The denominator is the number in the group who answered the question. For ``minimum``/``maximum`` the count is
    the value itself and there is no denominator. Bands of years in role are read from ``figs`` (default: the
    committed figures).

    >>> from hmbook.replicate import synth
    >>> resp = synth.generate()
    >>> measure(resp, "users", "confidence", "Confident"), measure(resp, "all", "flow", "clicked")
    ((43, 74), None)
    """
    sub = _group(resp, group)
    if variable == "respondents" and level == "analysed":
        return len(sub), None
    if variable == "flow":
        return {"completed": (int(sub["completed_survey"].sum()), None), "analysed": (len(sub), None)}.get(level)
    if variable not in resp.columns:
        return None
    col = sub[variable]
    answered = col.notna()
    den = int(answered.sum())
    if level == "answered":
        return den, None
    if variable == "years_in_role":
        if level in ("minimum", "maximum"):
            return int(getattr(col, level[:3])()), None
        if m := re.fullmatch(r"Over ([0-9]+)", level):  # A11
            return int((col > int(m[1])).sum()), den
        for label, lo, hi, _ in published.year_bands(published.figures() if figs is None else figs):
            if label == level:
                return int(col.between(lo, hi).sum()), den
        return None
    kind = schema.column(variable).kind
    if kind == "bool":
        if level not in ("Yes", "No"):
            return None
        return int(col.eq(level == "Yes").fillna(False).sum()), den
    members = DERIVED_LEVELS.get((variable, level), (level,))
    return int(col.isin(members).sum()), den


def compare(resp: pd.DataFrame, figs: pd.DataFrame | None = None,
            register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every published figure beside the same quantity measured in ``resp``.

    Adds ``rebuilt_count``, ``rebuilt_denominator``, ``rebuilt_percent``, ``status`` (``match`` / ``mismatch`` /
    ``not carried``), ``detail`` (what disagrees, in words) and ``assumptions`` (register entries that bear on it).
    """
    figs = published.figures() if figs is None else figs
    register = published.assumptions() if register is None else register
    bearing: dict[str, list[str]] = {}
    for aid, ids in zip(register["assumption_id"], register["figure_ids"]):
        for fid in filter(None, ids.split(";")):
            bearing.setdefault(fid, []).append(aid)
    rows: list[tuple[int | None, int | None, int | None, str, str, str]] = []
    for fig in figs.itertuples(index=False):
        got = measure(resp, fig.group, fig.variable, fig.level, figs)
        if got is None:
            rows.append((None, None, None, "not carried", "not a quantity a respondent table holds", fig.figure_id))
            continue
        c, d = got
        pct = grim.percent(c, d) if d else None
        problems = []
        if pd.notna(fig.count) and c != fig.count:
            problems.append(f"count {c}, published {fig.count}")
        if pd.notna(fig.denominator) and d is not None and d != fig.denominator:
            if fig.figure_id in READ_AS_GROUP_SIZE:
                size = len(_group(resp, fig.group))
                if size != fig.denominator:
                    problems.append(f"group size {size}, published {fig.denominator}")
            else:
                problems.append(f"denominator {d}, published {fig.denominator}")
        if pd.isna(fig.count) and pd.notna(fig.reported_percent) and pct != fig.reported_percent:
            problems.append(f"{pct}%, published {fig.reported_percent}%")
        rows.append((c, d, pct, "mismatch" if problems else "match", "; ".join(problems), fig.figure_id))
    out = pd.DataFrame(rows, columns=["rebuilt_count", "rebuilt_denominator", "rebuilt_percent", "status",
                                      "detail", "figure_id"])
    for col in ("rebuilt_count", "rebuilt_denominator", "rebuilt_percent"):
        out[col] = out[col].astype("Int64")
    out["assumptions"] = out["figure_id"].map(lambda f: " ".join(bearing.get(f, [])))
    return figs[list(published.FIGURE_COLUMNS)].merge(out, on="figure_id", how="left", validate="one_to_one")


def check_facts(resp: pd.DataFrame, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The paper's statements about quoted respondents, each checked against ``resp`` (``status`` column)."""
    facts = published.respondent_facts() if facts is None else facts
    by_id = resp.set_index(resp["respondent_id"].astype(int))
    status = []
    for rid, var, val in zip(facts["respondent_id"], facts["variable"], facts["value"]):
        got = by_id[var].get(rid, pd.NA) if rid in by_id.index else pd.NA
        if isinstance(got, (bool, np.bool_)):
            got = cells.BOOL_TEXT[bool(got)]
        status.append("match" if pd.notna(got) and str(got) == val else "mismatch")
    return facts.assign(status=status)


def _mark(status: str) -> str:
    return {"match": "✓", "mismatch": "✗"}.get(status, "–")


def table1(cmp: pd.DataFrame) -> pd.DataFrame:
    """Table 1 in the paper's layout: characteristic, level, published ``n (%)``, rebuilt ``n (%)``, match."""
    rows = cmp[(cmp["source"] == "Table 1") & ~cmp["level"].isin(["analysed"])]
    return pd.DataFrame({
        "Characteristic": rows["variable"].map(VARIABLE_LABELS),
        "Level": rows["level"],
        "Published": [n_pct(c, d) for c, d in zip(rows["count"], rows["denominator"])],
        "Rebuilt (synthetic)": [n_pct(c, d) for c, d in zip(rows["rebuilt_count"], rows["rebuilt_denominator"])],
        "Match": rows["status"].map(_mark),
    }).reset_index(drop=True)


def two_groups(cmp: pd.DataFrame, source: str) -> pd.DataFrame:
    """A users/non-users table (Table 2 or Table 4): one row per item and level, published and rebuilt cells."""
    rows = cmp[(cmp["source"] == source) & cmp["denominator"].notna()].copy()
    rows["item"] = rows["variable"].map(VARIABLE_LABELS)
    rows["published"] = [n_pct(c, d) for c, d in zip(rows["count"], rows["denominator"])]
    rows["rebuilt"] = [n_pct(c, d) for c, d in zip(rows["rebuilt_count"], rows["rebuilt_denominator"])]
    rows["match"] = rows["status"].map(_mark)
    index = ["item"] if rows["level"].nunique() == 1 else ["item", "level"]
    wide = rows.pivot_table(index=index, columns="group", values=["published", "rebuilt", "match"],
                            aggfunc="first", sort=False)
    n = {g: int(cmp.loc[(cmp["source"] == source) & (cmp["group"] == g), "denominator"].max())
         for g in ("users", "non_users")}
    wide.columns = [f"{GROUP_LABELS[g]} (n={n[g]}): {'rebuilt (synthetic)' if v == 'rebuilt' else v}"
                    for v, g in wide.columns]
    order = [f"{GROUP_LABELS[g]} (n={n[g]}): {v}" for g in ("users", "non_users")
             for v in ("published", "rebuilt (synthetic)", "match")]
    wide = wide[order]
    wide.index.names = [{"item": "Item", "level": "Response"}[i] for i in wide.index.names]
    return wide


def _readable(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`compare` for reading on a page: id, where, group, what, published, rebuilt, match, register."""
    return pd.DataFrame({
        "Figure": rows["figure_id"],
        "Where": rows["source"],
        "Group": rows["group"].map(GROUP_SHORT),
        "Quantity": rows["variable"].map(VARIABLE_LABELS).fillna(rows["variable"]) + ": " + rows["level"],
        "Published": [_printed(r) for r in rows.itertuples()],
        "Rebuilt (synthetic)": [_rebuilt(r) for r in rows.itertuples()],
        "Match": rows["status"].map(_mark),
        "Register": rows["assumptions"].fillna("").str.replace(";", ", "),
    }).reset_index(drop=True)


def _rebuilt(row) -> str:
    """The rebuilt figure as ``n (p%)``. For a figure whose printed denominator is read as the group's size
    (:data:`READ_AS_GROUP_SIZE`) and differs from the number who answered, both bases are shown, so that the
    percentage the paper prints can be found beside the one the rebuild computes.

    >>> from types import SimpleNamespace as Row
    >>> _rebuilt(Row(figure_id="avoid_non_users_none", rebuilt_count=5, rebuilt_denominator=12, denominator=14,
    ...              status="match"))
    '5 of 12 who answered (42%); 5 of the group of 14 (36%)'
    """
    c, d = row.rebuilt_count, row.rebuilt_denominator
    if pd.isna(c):
        return ""
    if (row.figure_id in READ_AS_GROUP_SIZE and row.status == "match" and pd.notna(d) and pd.notna(row.denominator)
            and int(d) != int(row.denominator)):
        c, d, size = int(c), int(d), int(row.denominator)
        return (f"{c} of {d} who answered ({grim.percent(c, d)}%); "
                f"{c} of the group of {size} ({grim.percent(c, size)}%)")
    return n_pct(c, d)


def text_figures(cmp: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    """Figures reported in the text, one per row, indexed by what they count: where (when there is more than one
    place), group, published and rebuilt, match, and the register entries that bear on each.

    >>> from hmbook.replicate import synth
    >>> t = text_figures(compare(synth.generate()), ["Results: Confidence"])
    >>> t.index.name, list(t.columns)
    ('Quantity', ['Group', 'Published', 'Rebuilt (synthetic)', 'Match', 'Register'])
    """
    view = _readable(cmp[cmp["source"].isin(sources)]).drop(columns="Figure")
    if view["Where"].nunique() < 2:
        view = view.drop(columns="Where")
    return view.set_index("Quantity")


def figures_view(cmp: pd.DataFrame) -> pd.DataFrame:
    """Every row of :func:`compare` for reading on a page, indexed by figure id: where, group, what, the printed
    and the rebuilt value, the status in words (match, mismatch, not carried) and the register entries. Empty
    where there is nothing to show; the full comparison, with every column, is ``compare`` itself.

    >>> from hmbook.replicate import synth
    >>> v = figures_view(compare(synth.generate()))
    >>> list(v.columns), v.loc["flow_clicked", "Status"], v.loc["t1_n", "Status"]
    (['Where', 'Group', 'Quantity', 'Published', 'Rebuilt (synthetic)', 'Status', 'Register'], 'not carried', 'match')
    """
    view = _readable(cmp).assign(Match=cmp["status"].to_numpy()).rename(columns={"Match": "Status"})
    return view.set_index("Figure")


def _printed(row) -> str:
    """A figure as the paper prints it: ``n/d (p%)``, ``n (p%)``, ``p%`` or ``n``."""
    parts = []
    if pd.notna(row.count):
        parts.append(f"{row.count}" + (f"/{row.denominator}" if pd.notna(row.denominator) else ""))
    if pd.notna(row.reported_percent):
        parts.append(f"({row.reported_percent}%)" if parts else f"{row.reported_percent}%")
    return " ".join(parts)


def flow(figs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The participant flow (clicked -> consented -> completed -> analysed) as the paper reports it."""
    figs = published.figures() if figs is None else figs
    rows = figs[figs["variable"] == "flow"]
    return pd.DataFrame({"stage": rows["level"].to_numpy(), "count": rows["count"].astype(int).to_numpy(),
                         "reported_percent": rows["reported_percent"].to_numpy()})
