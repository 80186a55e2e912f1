"""Read and write ``respondents.csv``: the strict reader behind ``python -m hmbook verify`` and the writer of
``python -m hmbook generate``.

:func:`read_respondents` reads a file strictly and never writes to it: any problem is a
:class:`~hmbook.errors.DataError` with a one-line message. :func:`write_csv` writes a typed table in the contract's
text form.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

import pandas as pd

from hmbook.data import schema
from hmbook.errors import DataError
from hmbook.files import reading

__all__ = ["read_respondents", "write_csv", "to_csv_bytes"]


def read_respondents(path: str | Path) -> pd.DataFrame:
    """Read and type a respondents CSV, refusing anything that breaks the column contract.

    Reading stops after the published number of respondents (:data:`~hmbook.data.schema.N_RESPONDENTS`) rows,
    so a huge or endless file is refused at once.

    >>> from hmbook import paths
    >>> read_respondents(paths.RESPONDENTS_CSV).shape
    (90, 31)
    >>> read_respondents("no/such.csv")
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: no/such.csv: no such file
    """
    path = Path(path)
    raw = reading.read_table(path, kind="a respondents table", columns=schema.NAMES, max_rows=schema.N_RESPONDENTS)
    try:
        df = schema.from_strings(raw)
    except DataError as err:
        raise DataError(f"{path}: {err}") from None
    ids = df["respondent_id"]
    if len(df) != schema.N_RESPONDENTS:
        raise DataError(f"{path}: {len(df)} respondents, but the paper analysed {schema.N_RESPONDENTS}")
    absent = sorted(set(range(1, schema.N_RESPONDENTS + 1)) - set(ids.astype(int)))
    if absent:
        raise DataError(f"{path}: respondent_id must run from 1 to {schema.N_RESPONDENTS}; {absent[0]} is missing")
    return df.sort_values("respondent_id", kind="stable").reset_index(drop=True)


def write_csv(df: pd.DataFrame, path: str | Path | TextIO) -> None:
    """Write a respondent table (to a path or a text buffer) in the contract's text form: ``true``/``false``,
    empty = missing, LF line endings."""
    schema.to_strings(df).to_csv(path, index=False, lineterminator="\n")


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The bytes :func:`write_csv` writes."""
    buf = io.StringIO()
    write_csv(df, buf)
    return buf.getvalue().encode("utf-8")
