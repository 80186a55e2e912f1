"""A question a chapter asks of several rows at once, beside the findings: which denominators fit each row's
printed percentage (a chart's data), under the rounding the audit judges the file by."""

from __future__ import annotations

import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.methods.audit.context import make_context

__all__ = ["implied_ranges"]


def implied_ranges(figs: pd.DataFrame, figure_ids: list[str]) -> pd.DataFrame:
    """For rows with a count and a percentage: the lowest and highest denominator that give the percentage.

    >>> from hmbook.data import published
    >>> implied_ranges(published.figures(), ["conf_confident", "train_local"])[["figure_id", "low", "high", "printed"]]
            figure_id  low  high  printed
    0  conf_confident   74    74       76
    1     train_local   72    78     <NA>
    """
    ctx = make_context(figs)
    rows = []
    for fid in figure_ids:
        r = _row(figs, fid)
        dens = grim.implied_denominators(int(r.count), r.percent_text, None, ctx.rounding.accepted)
        rows.append({"figure_id": fid, "count": int(r.count), "percent": float(r.reported_percent),
                     "low": dens[0] if dens else None, "high": dens[-1] if dens else None,
                     "printed": r.denominator, "group_size": ctx.sizes.get(r.group)})
    return pd.DataFrame(rows).astype({"printed": "Int64", "low": "Int64", "high": "Int64"})


def _row(figs: pd.DataFrame, figure_id: str):
    hit = figs[figs["figure_id"] == figure_id]
    if len(hit) != 1:
        raise DataError(f"no figure {figure_id!r} in the figures table")
    return next(hit.itertuples())
