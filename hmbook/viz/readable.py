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

__all__ = ["csv_download", "spaced", "findings_table"]


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
