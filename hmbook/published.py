"""The published figures, the facts about quoted respondents, and the assumption register, as DataFrames.

``data/published/figures.csv`` is the only place a number from the paper is typed. Code asks for a number by its
``figure_id`` (:func:`value`) rather than repeating it.

>>> figs = figures()
>>> value(figs, "t1_n")
90
>>> figs.set_index("figure_id").loc["t2_users_rubber_bands", ["count", "denominator", "reported_percent"]].tolist()
[55, 76, 72]
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths

__all__ = ["FIGURE_COLUMNS", "GROUPS", "figures", "assumptions", "respondent_facts", "value"]

FIGURE_COLUMNS = ("figure_id", "source", "group", "variable", "level", "count", "denominator", "reported_percent")
GROUPS = ("all", "users", "non_users")


def figures(path: str | Path = paths.FIGURES_CSV) -> pd.DataFrame:
    """The published figures, one row per number the paper reports, numbers as nullable integers."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
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
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def respondent_facts(path: str | Path = paths.FACTS_CSV) -> pd.DataFrame:
    """What the paper says about the respondents it quotes by ID: one row per (respondent, variable, value)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["respondent_id"] = df["respondent_id"].astype(int)
    return df
