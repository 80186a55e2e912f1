"""Reading the project's files strictly and boundedly: every loader of hmbook goes through here.

A missing, empty, binary, wrongly encoded, wrongly delimited, ragged, oversized or wrong-kind file is a one-line
:class:`~hmbook.errors.DataError` naming the file and the problem (and the line). :func:`read_table` gives a CSV as
a DataFrame of strings; :func:`read_rows` is the same reading giving the rows with their line numbers (the audit's
figures files, which may hold comments); :func:`read_text` is its first half, for files that are not CSV
(notebooks); :func:`read_csv_strings` reads a CSV hmbook wrote itself. The cells are converted by
:mod:`hmbook.files.cells`.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import TextIO

import pandas as pd

from hmbook import paths
from hmbook.errors import DataError

__all__ = ["read_text", "read_table", "read_rows", "read_csv_strings"]

_ROW_BYTES = 1024  # the default byte budget per row of a table (a respondents row is about 300 bytes)
_SEPARATORS = (("semicolon", ";"), ("tab", "\t"), ("pipe", "|"))


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _kind(mode: int) -> str:
    """What a file that is not a regular one is, in a message's words."""
    for test, what in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "neither a file nor a folder"


def read_text(path: str | Path, *, kind: str, max_bytes: int) -> str:
    """The text of a UTF-8 file, read no further than ``max_bytes`` (a byte order mark is dropped).

    Refuses a folder, a missing or unreadable file, anything that is not a regular file (a named pipe, which would
    wait for ever for a writer, a device such as /dev/zero, a socket), a binary file (NUL bytes), a file in another
    encoding, an empty file and one larger than ``max_bytes``, each at once with a one-line :class:`DataError`
    naming the file. ``kind`` (say "a respondents table") is used in the messages.
    """
    path = Path(path)
    try:
        # Opened without blocking, so that a named pipe with no writer is refused rather than waited on; what it
        # is, is checked on the open file, before anything is read.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise DataError(f"{path}: is a directory, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise DataError(f"{path}: not a regular file (it is {_kind(info.st_mode)}); give {kind} as a file")
            if info.st_size > max_bytes:  # refused without reading
                raise DataError(f"{path}: {_size(info.st_size)} is too large for {kind} (at most {_size(max_bytes)})")
            os.set_blocking(fd, True)
            fh = os.fdopen(fd, "rb")  # it closes the file from here on
        except BaseException:
            os.close(fd)
            raise
        with fh:
            data = fh.read(max_bytes + 1)  # a file growing meanwhile is read no further than the budget
    except FileNotFoundError:
        paths.check(path)  # a data file while hmbook has no data folder: say how to point it at one
        raise DataError(f"{path}: no such file") from None
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err.strerror or err})") from None
    if b"\x00" in data:
        raise DataError(f"{path}: not a text file (it contains NUL bytes)")
    if len(data) > max_bytes:
        raise DataError(f"{path}: too large for {kind} (more than {_size(max_bytes)})")
    if not data.strip():
        raise DataError(f"{path}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text (byte {err.start}); save the file as UTF-8") from None


def read_table(path: str | Path, *, kind: str, columns: Sequence[str], max_rows: int, extra: bool = False,
               max_bytes: int | None = None) -> pd.DataFrame:
    """A CSV file as a DataFrame of strings (empty cell = empty string), checked for shape before anything else.

    ``kind`` names what the file should be ("an assumption register"); ``columns`` are the columns it must have
    (others are refused unless ``extra``); ``max_rows`` is the most data rows such a file can have, and reading
    stops there; ``max_bytes`` (default 1 kB a row) bounds what is read at all. Every problem is a one-line
    :class:`DataError` that names the file. The rows are read by :func:`read_rows`.

    >>> read_table(paths.ASSUMPTIONS_CSV, kind="a respondents table", columns=["respondent_id"], max_rows=90)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: .../assumptions.csv: not a respondents table (its columns are ...)
    """
    header, _, rows = read_rows(path, kind=kind, columns=columns, max_rows=max_rows, extra=extra,
                                max_bytes=max_bytes)
    return pd.DataFrame(rows, columns=header, dtype=object)


def read_rows(path: str | Path, *, kind: str, columns: Sequence[str], max_rows: int, extra: bool = False,
              max_bytes: int | None = None, comments: bool = False) -> tuple[list[str], list[int], list[list[str]]]:
    """The header, each row's line number and the rows of a CSV file, checked as :func:`read_table` says.

    Blank lines are skipped, and with ``comments`` lines starting with ``#`` too; line numbers count every line
    of the file, as an editor does, so that a message ("line 7 has 9 fields") points at the right place.
    """
    path = Path(path)
    text = read_text(path, kind=kind, max_bytes=max_bytes or 65536 + max_rows * _ROW_BYTES)
    if comments:  # a comment line becomes an empty line, so that the csv reader's line numbers stay the file's
        text = "".join("\n" if line.lstrip().startswith("#") else line
                       for line in StringIO(text, newline="").readlines())  # split at \n, \r\n or \r only
    header_line = next((line for line in StringIO(text, newline="") if line.strip()), "")
    if not header_line:
        raise DataError(f"{path}: the file is empty")
    if "," not in header_line and len(columns) > 1:
        for name, sep in _SEPARATORS:
            if sep in header_line:
                raise DataError(f"{path}: columns are separated by {name}s; the file must be comma-separated")
        raise DataError(f"{path}: not a CSV file with a header row of column names")
    reader = csv.reader(StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    try:
        header = next(row for row in reader if row)
        for row in reader:
            if not row:
                continue  # a blank line
            if len(rows) == max_rows:
                raise DataError(f"{path}: more than {max_rows} rows, the most {kind} can have")
            if len(row) != len(header):
                raise DataError(f"{path}: line {reader.line_num} has {len(row)} fields but the header has "
                                f"{len(header)}")
            rows.append(row)
            numbers.append(reader.line_num)
    except csv.Error as err:
        raise DataError(f"{path}: not valid CSV at line {reader.line_num} ({err})") from None
    if len(set(header)) != len(header):
        raise DataError(f"{path}: column {next(h for h in header if header.count(h) > 1)!r} appears more than once")
    _check_columns(path, header, columns, kind, extra)
    return header, numbers, rows


def _check_columns(path: Path, header: list[str], columns: Sequence[str], kind: str, extra: bool) -> None:
    missing = [c for c in columns if c not in header]
    if missing and len(missing) * 2 > len(columns):  # most expected columns absent: another kind of file
        shown = ", ".join(header[:3]) + (", ..." if len(header) > 3 else "")
        wanted = ", ".join(columns[:3]) + (", ..." if len(columns) > 3 else "")
        raise DataError(f"{path}: not {kind} (its columns are {shown}; {kind} has {wanted})")
    if missing:
        raise DataError(f"{path}: missing column(s): {', '.join(missing)}")
    unexpected = [c for c in header if c not in columns]
    if unexpected and not extra:
        raise DataError(f"{path}: unexpected column(s): {', '.join(unexpected)}")


def read_csv_strings(path: str | os.PathLike | TextIO, **kwargs: object) -> pd.DataFrame:
    """A CSV of the project's own (or a buffer) with every cell a string; empty cells stay empty strings.

    For files hmbook wrote itself; a file a user gives is read with :func:`read_table`.
    """
    if isinstance(path, (str, os.PathLike)):
        paths.check(path)  # a data file while hmbook has no data folder: say how to point it at one
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)
