"""Tables for reading on a page: the few columns a reader needs, text that can wrap, and the full table as a
CSV download.

A page shows a table a reader can take in at a phone's width; the table with every column, for auditing, is a
link that downloads it as CSV. The link carries the CSV inside itself (a ``data:`` URL), so it works on the static
site, offline, and in JupyterLab alike, with no file written anywhere.

>>> import pandas as pd
>>> link = csv_download(pd.DataFrame({"a": [1, 2]}), "a.csv", "the table")
>>> link.data.startswith('<a download="a.csv" href="data:text/csv;charset=utf-8;base64,')
True
>>> spaced("t1_age_20_29;t1_age_30_39")
't1_age_20_29; t1_age_30_39'
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from IPython.display import HTML

__all__ = ["csv_download", "spaced", "findings_table", "shown", "NO_VALUE"]

#: What a page shows in a cell that has no value (an unanswered item, a number not printed, a statistic that is not
#: defined): a dash, where pandas would print NaN or <NA>.
NO_VALUE = "\u2013"


def csv_download(df: pd.DataFrame, filename: str, text: str) -> HTML:
    """A link (an ``IPython.display.HTML`` object) that downloads ``df`` as ``filename``, with link text
    ``text``. The index is written when it is named."""
    from IPython.display import HTML  # imported here: only notebooks display

    csv = df.to_csv(index=df.index.name is not None or any(df.index.names[1:]))
    payload = base64.b64encode(csv.encode("utf-8")).decode("ascii")
    return HTML(f'<a download="{html.escape(filename)}" href="data:text/csv;charset=utf-8;base64,{payload}">'
                f"{html.escape(text)}</a> (CSV, {len(df)} rows, {len(df.columns)} columns)")


def spaced(ids: object) -> str:
    """A ``;``-joined list of identifiers with a space after each ``;``, so that it can wrap in a table cell."""
    return "" if pd.isna(ids) else "; ".join(str(ids).split(";"))


def findings_table(found: pd.DataFrame) -> pd.DataFrame:
    """Findings of ``hmbook.methods.audit.audit`` for reading, numbered from 1: what kind, which check, the
    explanation and the register entries. The figure ids stay in the full table (:func:`csv_download`).

    >>> found = pd.DataFrame({"check": ["sum"], "figure_ids": ["a;b"], "status": ["inconsistent"],
    ...                       "explanation": ["1 + 1 = 3?"], "assumptions": ["A01;A02"]})
    >>> findings_table(found).iloc[0].to_dict()
    {'Finding': 'inconsistent', 'Check': 'sum', 'Explanation': '1 + 1 = 3?', 'Register': 'A01; A02'}
    """
    view = pd.DataFrame({
        "Finding": found["status"].to_numpy(),
        "Check": found["check"].to_numpy(),
        "Explanation": found["explanation"].to_numpy(),
        "Register": found["assumptions"].map(spaced).to_numpy(),
    }, index=pd.RangeIndex(1, len(found) + 1, name="#"))
    return view


def shown(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as a page shows it: an empty cell as :data:`NO_VALUE` rather than NaN or <NA>, and a number that
    rounds to nothing as 0 rather than -0.0. Columns of numbers with a missing cell become text, each number written
    with the decimals of the column (as pandas would print it); the others are left as they are.

    >>> shown(pd.DataFrame({"a": [1.25, None], "b": [-0.0, 2.0], "c": ["x", None]})).to_dict("list")
    {'a': ['1.25', '–'], 'b': [0.0, 2.0], 'c': ['x', '–']}
    """
    out = df.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_float_dtype(values):
            values = values.mask(values == 0, 0.0)  # -0.0 (a small negative rounded) is 0
        if not values.isna().any():
            out[col] = values
            continue
        if pd.api.types.is_float_dtype(values):
            decimals = max((len(f"{v:.6f}".rstrip("0").partition(".")[2]) for v in values.dropna()), default=0)
            out[col] = [NO_VALUE if pd.isna(v) else f"{v:.{decimals}f}" for v in values]
        else:
            out[col] = [NO_VALUE if pd.isna(v) else v for v in values.astype(object)]
    return out
