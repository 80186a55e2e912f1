"""Check a respondents CSV against the published figures (``python -m hmbook verify FILE``).

:func:`report` compares a table with every published figure and every fact about a
quoted respondent, and returns the printable report with a pass/fail flag.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.data import respondents
from hmbook.errors import DataError
from hmbook.replicate import tables

__all__ = ["report", "require"]


def report(resp: pd.DataFrame, figs: pd.DataFrame | None = None) -> tuple[str, bool]:
    """The verification report, table by table, and whether everything a respondent table can carry matches."""
    cmp = tables.compare(resp, figs)
    facts = tables.check_facts(resp)
    lines = []
    for source, rows in cmp.groupby("source", sort=False):
        counts = rows["status"].value_counts()
        parts = [f"{counts[s]} {s}" for s in ("match", "mismatch", "not carried") if s in counts]
        lines.append(f"{source:.<46} {', '.join(parts)}")
        for r in rows[rows["status"] == "mismatch"].itertuples():
            lines.append(f"    ✗ {r.figure_id} ({r.group}, {r.variable} = {r.level}): {r.detail}")
    bad_facts = facts[facts["status"] != "match"]
    lines.append(f"{'Quoted respondents':.<46} {len(facts) - len(bad_facts)} of {len(facts)} facts match")
    for r in bad_facts.itertuples():
        lines.append(f"    ✗ ID {r.respondent_id}: {r.variable} should be {r.value} ({r.basis})")
    carried = cmp[cmp["status"] != "not carried"]
    n_bad = int((carried["status"] == "mismatch").sum())
    ok = n_bad == 0 and bad_facts.empty
    if ok:
        lines.append(f"OK: all {len(carried)} figures a respondent table can carry match, and all {len(facts)} "
                     "facts about quoted respondents hold.")
    else:
        lines.append(f"FAILED: {n_bad} of {len(carried)} figures and {len(bad_facts)} of {len(facts)} facts "
                     "do not match.")
    return "\n".join(lines), ok


def require(path: Path | None = None) -> None:
    """Raise :class:`~hmbook.errors.DataError` unless the respondents CSV at ``path`` (default: the book's)
    reproduces every published figure that a respondent table can carry."""
    path = paths.RESPONDENTS_CSV if path is None else Path(path)
    _, ok = report(respondents.read_respondents(path))
    if not ok:
        raise DataError(f"{path}: does not reproduce the published figures (see `python -m hmbook verify {path}`)")
