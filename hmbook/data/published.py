"""The published figures, the facts about quoted respondents, and the assumption register, as DataFrames.

``data/published/figures.csv`` is the only place a number from the paper is typed. Code asks for a number by its
``figure_id`` (:func:`value`) rather than repeating it.

>>> figs = figures()
>>> value(figs, "t1_n")
90
>>> [value(figs, "t2_users_rubber_bands", f) for f in ("count", "denominator", "reported_percent")]
[55, 76, 72]
"""

from __future__ import annotations

from pathlib import Path

import re

import pandas as pd

from hmbook import io, paths

__all__ = ["FIGURE_COLUMNS", "GROUPS", "figures", "assumptions", "respondent_facts", "value", "year_bands"]

FIGURE_COLUMNS = ("figure_id", "source", "group", "variable", "level", "count", "denominator", "reported_percent")
GROUPS = ("all", "users", "non_users")


def figures(path: str | Path = paths.FIGURES_CSV) -> pd.DataFrame:
    """The published figures, one row per number the paper reports, numbers as nullable integers."""
    df = io.read_csv_strings(path)
    for col in ("count", "denominator", "reported_percent"):
        df[col] = pd.to_numeric(df[col].replace("", None)).astype("Int64")
    return df


def value(figs: pd.DataFrame, figure_id: str, field: str = "count") -> int:
    """One published number, by figure id (``field`` is ``count``, ``denominator`` or ``reported_percent``)."""
    hit = figs.loc[figs["figure_id"] == figure_id, field]
    if len(hit) != 1 or pd.isna(hit.iloc[0]):
        raise KeyError(f"figures.csv has no {field} for figure {figure_id!r}")
    return int(hit.iloc[0])


def assumptions(path: str | Path = paths.ASSUMPTIONS_CSV) -> pd.DataFrame:
    """The assumption register: every ambiguity in the paper and the choice this book makes."""
    return io.read_csv_strings(path)


def respondent_facts(path: str | Path = paths.FACTS_CSV) -> pd.DataFrame:
    """What the paper says about the respondents it quotes by ID: one row per (respondent, variable, value)."""
    df = io.read_csv_strings(path)
    df["respondent_id"] = df["respondent_id"].astype(int)
    return df


def year_bands(figs: pd.DataFrame) -> list[tuple[str, int, int, int]]:
    """Table 1's bands of years in role as ``(label, lowest, highest, count)``, whole years (A11).

    >>> year_bands(figures())[0], year_bands(figures())[-1]
    (('2 or less', 0, 2, 30), ('21 or more', 21, 40, 11))
    """
    rows = figs[(figs["source"] == "Table 1") & (figs["variable"] == "years_in_role")].set_index("level")
    lo_all, hi_all = int(rows.loc["minimum", "count"]), int(rows.loc["maximum", "count"])
    bands = []
    for level, count in rows["count"].drop(["minimum", "maximum"]).items():
        if m := re.fullmatch(r"(\d+) or less", level):
            lo, hi = lo_all, int(m[1])
        elif m := re.fullmatch(r"(\d+) or more", level):
            lo, hi = int(m[1]), hi_all
        elif m := re.fullmatch(r"(\d+)-(\d+)", level):
            lo, hi = int(m[1]), int(m[2])
        else:
            raise ValueError(f"figures.csv: cannot read the years-in-role band {level!r}")
        bands.append((level, lo, hi, int(count)))
    return bands
