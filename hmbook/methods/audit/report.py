"""The audit's files: the findings as text, CSV or JSON; an empty figures file to transcribe a paper into; a
register to link findings to."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from hmbook.data import published
from hmbook.files import safe_write
from hmbook.methods.audit.findings import Status

__all__ = ["render", "template", "write_template", "read_register"]


def render(findings: pd.DataFrame, table: pd.DataFrame, fmt: str = "table", source: str = "",
           rounding: str = "") -> str:
    """The findings as text (``table``), ``csv`` or ``json``; ``rounding`` is the rounding's sentence
    (:attr:`~hmbook.methods.audit.rounding.Rounding.why`), ``table`` the conventions table."""
    if fmt == "csv":
        return findings.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps({"file": source, "rounding": rounding, "conventions": table.to_dict(orient="records"),
                           "findings": findings.to_dict(orient="records")}, indent=1) + "\n"
    counts = findings["status"].value_counts()
    lines = [f"Audit of {source}: {len(findings)} checks: " + ", ".join(
        f"{int(counts.get(s, 0))} {s}{'s' if s == Status.NOTE and counts.get(s, 0) != 1 else ''}" for s in Status)
        + ".", f"Rounding: {rounding or 'as inferred'}."]
    for r in findings.itertuples():
        link = f" [register: {r.assumptions.replace(';', ', ')}]" if r.assumptions else ""
        lines.append(f"{r.status.upper():<12} {r.check:<15} {r.figure_ids}\n{'':<28}{r.explanation}{link}")
    return "\n".join(lines) + "\n"


def template() -> str:
    """An empty figures file: the columns (the optional ones for means included) and one commented example row.

    >>> print(template(), end="")
    figure_id,source,group,variable,level,count,denominator,reported_percent,mean,sd,n_items,scale_min,scale_max
    # t1_female,Table 1,all,gender,Female,60,90,66.7,,,,,
    """
    columns = published.FIGURE_COLUMNS + published.OPTIONAL_COLUMNS
    example = ["t1_female", "Table 1", "all", "gender", "Female", "60", "90", "66.7"]
    return ",".join(columns) + "\n# " + ",".join(example + [""] * len(published.OPTIONAL_COLUMNS)) + "\n"


def write_template(path: str | Path) -> None:
    """Write :func:`template` to a new file; never over an existing one."""
    safe_write.write_new(path, template().encode("utf-8"), "the template")


def read_register(path: str | Path) -> pd.DataFrame:
    """An assumption register to link findings to: :func:`hmbook.data.published.assumptions`, which refuses a
    missing, empty, binary, wrongly delimited, ragged or wrong-kind file (columns ``assumption_id``, ``kind``,
    ``figure_ids`` needed) with a one-line :class:`~hmbook.errors.DataError`."""
    return published.assumptions(path)
