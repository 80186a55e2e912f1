"""Questions a chapter asks of the figures beside the findings: which denominators fit a row, and how many sets of
levels give a derived group's percentage. Both use the rounding the audit judges the file by."""

from __future__ import annotations

import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.methods.audit import structure
from hmbook.methods.audit.context import make_context

__all__ = ["implied_ranges", "level_sets"]


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


def level_sets(figs: pd.DataFrame, figure_id: str) -> tuple[int, int]:
    """For a percentage printed for a level that is not one of its variable's printed levels (a group the text
    derives, such as "psychology/mental health"): how many sets of the printed levels give it, and how many of
    those use only levels whose labels share a word with it (the numbers the audit's finding explains).

    >>> from hmbook.data import published
    >>> level_sets(published.figures(), "demo_psych_mh")[0] > 1
    True
    """
    ctx = make_context(figs)
    r = _row(figs, figure_id)
    den = int(r.denominator) if pd.notna(r.denominator) else ctx.sizes.get(r.group)
    if den is None:
        raise DataError(f"{figure_id}: no denominator is printed and group {r.group!r} has none to take its size from")
    found = structure.level_sets(ctx.index.parts.get((r.group, r.variable), {}), r.level,
                                 grim.implied_counts(den, r.percent_text, None, ctx.rounding.accepted))
    if found is None:
        raise DataError(f"{figure_id}: too many sets of levels to count")
    return found[:2]


def _row(figs: pd.DataFrame, figure_id: str):
    hit = figs[figs["figure_id"] == figure_id]
    if len(hit) != 1:
        raise DataError(f"no figure {figure_id!r} in the figures table")
    return next(hit.itertuples())
