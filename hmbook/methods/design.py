"""The study's reporting against CHERRIES, the Checklist for Reporting Results of Internet E-Surveys.

``data/cherries.csv`` holds one row per checklist item: its section, whether the paper reports it (``Yes``,
``Partly`` or ``No``), where, and a note in this book's words. It is this book's reading of the paper, not a
published figure.

>>> checklist = cherries()
>>> len(checklist), list(checklist["reported"].cat.categories)
(30, ['Yes', 'Partly', 'No'])
>>> int(cherries_summary(checklist).loc["All items", "Yes"])
10
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.errors import DataError
from hmbook.files import cells, reading

__all__ = ["REPORTED", "cherries", "cherries_summary"]

REPORTED = ("Yes", "Partly", "No")
_COLUMNS = ("item_id", "section", "item", "reported", "where", "note")


def cherries(path: str | Path | None = None) -> pd.DataFrame:
    """The checklist, sections in their checklist order and ``reported`` as an ordered category.

    Raises :class:`~hmbook.errors.DataError` naming the file and the problem if it is not the checklist, an
    ``item_id`` repeats, or ``reported`` has another value.
    """
    path = paths.CHERRIES_CSV if path is None else path
    df = reading.read_table(path, kind="a CHERRIES checklist", columns=_COLUMNS, max_rows=1000)
    cells.require_unique(path, df, "item_id")
    bad = df.loc[~df["reported"].isin(REPORTED), "reported"]
    if len(bad):
        raise DataError(f"{path}: reported must be one of {', '.join(REPORTED)}, not {bad.iloc[0]!r}")
    df["section"] = pd.Categorical(df["section"], categories=list(dict.fromkeys(df["section"])), ordered=True)
    df["reported"] = pd.Categorical(df["reported"], categories=list(REPORTED), ordered=True)
    return df[list(_COLUMNS)]


def cherries_summary(checklist: pd.DataFrame) -> pd.DataFrame:
    """Items per section by ``reported``, with a total row ``All items``."""
    table = pd.crosstab(checklist["section"], checklist["reported"], dropna=False)
    table.loc["All items"] = table.sum()
    table.columns = list(table.columns)
    table.index.name = "Section"
    return table
