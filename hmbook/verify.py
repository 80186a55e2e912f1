"""Check a respondents CSV against the published figures (``python -m hmbook verify FILE``).

:func:`read_respondents` reads a file strictly and never writes to it: any problem is a :class:`~hmbook.schema.DataError`
with a one-line message. :func:`report` compares a table with every published figure and every fact about a
quoted respondent, and returns the printable report with a pass/fail flag.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from . import published, schema, tables
from .schema import DataError

__all__ = ["read_respondents", "report"]


def read_respondents(path: str | Path) -> pd.DataFrame:
    """Read and type a respondents CSV, refusing anything that breaks the column contract.

    >>> from hmbook import paths
    >>> read_respondents(paths.RESPONDENTS_CSV).shape
    (90, 31)
    >>> read_respondents("no/such.csv")
    Traceback (most recent call last):
    ...
    hmbook.schema.DataError: no/such.csv: no such file
    """
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a CSV file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err.strerror})") from None
    if not data.strip():
        raise DataError(f"{path}: the file is empty")
    if b"\x00" in data:
        raise DataError(f"{path}: not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text (byte {err.start}); save the file as UTF-8") from None
    header = text.splitlines()[0]
    if "," not in header:
        for name, sep in (("semicolon", ";"), ("tab", "\t"), ("pipe", "|")):
            if sep in header:
                raise DataError(f"{path}: columns are separated by {name}s; the file must be comma-separated")
        raise DataError(f"{path}: not a CSV file with a header row of column names")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as err:
        raise DataError(f"{path}: not valid CSV at line {reader.line_num} ({err})") from None
    head, body = rows[0], [r for r in rows[1:] if r]
    for i, r in enumerate(body, start=1):
        if len(r) != len(head):
            raise DataError(f"{path}: row {i} has {len(r)} fields but the header has {len(head)}")
    if len(set(head)) != len(head):
        dup = next(h for h in head if head.count(h) > 1)
        raise DataError(f"{path}: column {dup} appears more than once")
    raw = pd.DataFrame(body, columns=head, dtype=str)
    try:
        df = schema.from_strings(raw)
    except DataError as err:
        raise DataError(f"{path}: {err}") from None
    ids = df["respondent_id"]
    if ids.duplicated().any():
        raise DataError(f"{path}: respondent_id {ids[ids.duplicated()].iloc[0]} appears more than once")
    if len(df) != schema.N_RESPONDENTS:
        raise DataError(f"{path}: {len(df)} respondents, but the paper analysed {schema.N_RESPONDENTS}")
    absent = sorted(set(range(1, schema.N_RESPONDENTS + 1)) - set(ids.astype(int)))
    if absent:
        raise DataError(f"{path}: respondent_id must run from 1 to {schema.N_RESPONDENTS}; {absent[0]} is missing")
    return df.sort_values("respondent_id", kind="stable").reset_index(drop=True)


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
