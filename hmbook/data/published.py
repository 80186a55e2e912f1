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

import re
from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.data import schema
from hmbook.errors import DataError
from hmbook.files import cells, reading

__all__ = ["FIGURE_COLUMNS", "ASSUMPTION_COLUMNS", "REGISTER_KEYS", "FACT_COLUMNS", "MAX_FIGURES", "figures",
           "assumptions", "respondent_facts", "value", "year_bands"]

FIGURE_COLUMNS = ("figure_id", "source", "group", "variable", "level", "count", "denominator", "reported_percent")
ASSUMPTION_COLUMNS = ("assumption_id", "kind", "figure_ids", "ambiguity", "alternatives", "choice", "effect")
#: What any register needs (a reader's own, for ``audit --register``, may have only these): the rest is prose.
REGISTER_KEYS = ASSUMPTION_COLUMNS[:3]
FACT_COLUMNS = ("respondent_id", "variable", "value", "basis", "assumption_id")
#: The most rows a figures file may have (a paper reports a few hundred numbers; reading stops here).
MAX_FIGURES = 5000
_MAX_REGISTER = 1000  # entries of an assumption register, facts about quoted respondents


def figures(path: str | Path | None = None) -> pd.DataFrame:
    """The published figures, one row per number the paper reports, numbers as nullable integers.

    Refuses (with a one-line :class:`~hmbook.errors.DataError`) a file that is not a figures file, a repeated or
    empty ``figure_id``, and a number that is not written in ASCII digits.
    """
    path = Path(paths.FIGURES_CSV if path is None else path)
    df = reading.read_table(path, kind="a figures file", columns=FIGURE_COLUMNS, max_rows=MAX_FIGURES)
    cells.require_unique(path, df, "figure_id")
    for col in ("count", "denominator", "reported_percent"):
        df[col] = cells.typed(path, df, col, cells.parse_int, minimum=0)
    return df


def value(figs: pd.DataFrame, figure_id: str, field: str = "count") -> int:
    """One published number, by figure id (``field`` is ``count``, ``denominator`` or ``reported_percent``)."""
    hit = figs.loc[figs["figure_id"] == figure_id, field]
    if len(hit) != 1 or pd.isna(hit.iloc[0]):
        raise DataError(f"figures.csv has no {field} for figure {figure_id!r}")
    return int(hit.iloc[0])


def assumptions(path: str | Path | None = None) -> pd.DataFrame:
    """The assumption register: every ambiguity in the paper and the choice this book makes.

    Any register (this book's, or a reader's own for ``python -m hmbook audit --register``) needs the columns
    :data:`REGISTER_KEYS`; other columns are kept as they are.

    >>> assumptions(paths.RESPONDENTS_CSV)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: .../respondents.csv: not an assumption register (its columns are respondent_id, ...)
    """
    path = Path(paths.ASSUMPTIONS_CSV if path is None else path)
    df = reading.read_table(path, kind="an assumption register", columns=REGISTER_KEYS, max_rows=_MAX_REGISTER,
                            extra=True)
    cells.require_unique(path, df, "assumption_id")
    return df


def respondent_facts(path: str | Path | None = None) -> pd.DataFrame:
    """What the paper says about the respondents it quotes by ID: one row per (respondent, variable, value).

    Each fact must name a respondent (1 to the number analysed), a column of the contract and a value that column
    allows (``true``/``false`` for a yes/no column).
    """
    path = Path(paths.FACTS_CSV if path is None else path)
    df = reading.read_table(path, kind="a file of facts about quoted respondents", columns=FACT_COLUMNS,
                            max_rows=_MAX_REGISTER)
    df["respondent_id"] = cells.typed(path, df, "respondent_id", cells.parse_int, minimum=1,
                                      maximum=schema.N_RESPONDENTS, required=True).astype(int)
    for i, (var, val) in enumerate(zip(df["variable"], df["value"]), start=1):
        if var not in schema.NAMES or schema.column(var).kind not in ("bool", "category"):
            raise DataError(f"{path}: row {i}: {var!r} is not a yes/no or labelled column of respondents.csv")
        if val not in schema.column(var).allowed_text():
            raise DataError(f"{path}: row {i}: {val!r} is not a value of {var}")
    return df


def year_bands(figs: pd.DataFrame) -> list[tuple[str, int, int, int]]:
    """Table 1's bands of years in role as ``(label, lowest, highest, count)``, whole years (A11).

    >>> year_bands(figures())[0], year_bands(figures())[-1]
    (('2 or less', 0, 2, 30), ('21 or more', 21, 40, 11))
    """
    rows = figs[(figs["source"] == "Table 1") & (figs["variable"] == "years_in_role")].set_index("level")
    if not {"minimum", "maximum"} <= set(rows.index) or rows["count"].isna().any() or not rows.index.is_unique:
        raise DataError("figures.csv: Table 1's years in role need a count for each band, the minimum and maximum")
    lo_all, hi_all = int(rows.loc["minimum", "count"]), int(rows.loc["maximum", "count"])
    bands = []
    for level, count in rows["count"].drop(["minimum", "maximum"]).items():
        if m := re.fullmatch(r"([0-9]+) or less", level):
            lo, hi = lo_all, int(m[1])
        elif m := re.fullmatch(r"([0-9]+) or more", level):
            lo, hi = int(m[1]), hi_all
        elif m := re.fullmatch(r"([0-9]+)-([0-9]+)", level):
            lo, hi = int(m[1]), int(m[2])
        else:
            raise DataError(f"figures.csv: cannot read the years-in-role band {level!r}")
        bands.append((level, lo, hi, int(count)))
    return bands
