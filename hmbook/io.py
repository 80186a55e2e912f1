"""Reading and writing the project's files: CSV as strings, the ``true``/``false`` codec, safe writes.

Every data file in ``data/`` is UTF-8 CSV in which an empty cell is a missing value and booleans are spelled
``true`` and ``false``. These helpers are the one place that knows it:

- :func:`read_csv_strings` reads a CSV with every cell a string (empty = missing, never NaN);
- :func:`parse_bool` and :func:`format_bool` are the boolean codec, both directions;
- :func:`write_atomic` writes a file all-or-nothing, keeping the mode of the file it replaces;
- :func:`refuse_overwrite` is the check behind every ``--force`` option.

>>> parse_bool(pd.Series(["true", "false", ""])).tolist()
[True, False, <NA>]
>>> format_bool(pd.Series([True, False, None], dtype="boolean")).tolist()
['true', 'false', '']
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.errors import DataError

__all__ = ["TRUE", "FALSE", "BOOLS", "BOOL_TEXT", "read_csv_strings", "parse_bool", "format_bool", "write_atomic", "refuse_overwrite"]

TRUE, FALSE = "true", "false"
#: The codec itself, both ways: text to bool and bool to text.
BOOLS = {TRUE: True, FALSE: False}
BOOL_TEXT = {True: TRUE, False: FALSE}


def read_csv_strings(path, **kwargs) -> pd.DataFrame:
    """A CSV file (or buffer) with every cell as a string; empty cells stay empty strings (not NaN)."""
    if isinstance(path, (str, os.PathLike)):
        paths.check(path)  # a data file while hmbook has no data folder: say how to point it at one
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


def parse_bool(values: pd.Series) -> pd.Series:
    """``true``/``false``/empty strings as a nullable boolean Series. Any other value raises :class:`DataError`."""
    stripped = values.astype(str).str.strip()
    bad = stripped[~stripped.isin([TRUE, FALSE, ""])]
    if len(bad):
        raise DataError(f"value {bad.iloc[0]!r} in row {int(bad.index[0]) + 1} is not 'true' or 'false'")
    return stripped.map({**BOOLS, "": None}).astype("boolean")


def format_bool(values: pd.Series) -> pd.Series:
    """Booleans as ``true``/``false`` strings, missing as an empty string (the inverse of :func:`parse_bool`)."""
    return values.map(BOOL_TEXT).astype(object).where(values.notna(), "")


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all-or-nothing: a temporary file in the same folder, then a rename.

    A failure (or an interrupted run) leaves the old file as it was and no temporary file behind. The new file
    keeps the permission bits of the file it replaces, or gets the usual mode for a new file (0666 less the
    umask), rather than the 0600 of a temporary file.
    """
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def refuse_overwrite(path: str | Path, data: bytes, force: bool) -> None:
    """Raise :class:`DataError` if ``path`` exists with contents other than ``data`` and ``force`` is not set.

    The same contents are not a clash: a command that regenerates a file byte for byte may always run.
    """
    path = Path(path)
    if not force and path.exists() and (not path.is_file() or path.read_bytes() != data):
        raise DataError(f"{path}: exists with different contents; pass --force to replace it")
