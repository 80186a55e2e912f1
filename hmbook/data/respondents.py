"""Read and write ``respondents.csv``: the strict reader behind ``python -m hmbook verify`` and the writer of
``python -m hmbook generate``.

:func:`read_respondents` reads a file strictly and never writes to it: any problem is a
:class:`~hmbook.errors.DataError` with a one-line message. :func:`write_csv` writes a typed table in the contract's
text form.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.data import schema
from hmbook.errors import DataError

__all__ = ["read_respondents", "write_csv", "to_csv_bytes"]


def read_respondents(path: str | Path) -> pd.DataFrame:
    """Read and type a respondents CSV, refusing anything that breaks the column contract.

    >>> from hmbook import paths
    >>> read_respondents(paths.RESPONDENTS_CSV).shape
    (90, 31)
    >>> read_respondents("no/such.csv")
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: no/such.csv: no such file
    """
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a CSV file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        paths.check(path)
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


def write_csv(df: pd.DataFrame, path) -> None:
    """Write a respondent table (to a path or a text buffer) in the contract's text form: ``true``/``false``,
    empty = missing, LF line endings."""
    schema.to_strings(df).to_csv(path, index=False, lineterminator="\n")


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The bytes :func:`write_csv` writes."""
    buf = io.StringIO()
    write_csv(df, buf)
    return buf.getvalue().encode("utf-8")
