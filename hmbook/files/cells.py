"""The cell codecs of the project's CSV files: ASCII whole numbers and ``true``/``false``, both directions.

Every data file in ``data/`` is UTF-8 CSV in which an empty cell is a missing value, whole numbers are ASCII digits
and booleans are spelled ``true`` and ``false``; this module is the one place that knows it.

>>> parse_bool(pd.Series(["true", "false", ""])).tolist()
[True, False, <NA>]
>>> format_bool(pd.Series([True, False, None], dtype="boolean")).tolist()
['true', 'false', '']
>>> parse_int(pd.Series(["7", "", "0040"])).tolist()
[7, <NA>, 40]
>>> parse_int(pd.Series(["7", "\\uff17"]))  # a full-width seven
Traceback (most recent call last):
...
hmbook.errors.DataError: value '７' in row 2 is not a whole number (digits 0-9 only)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from hmbook.errors import DataError

__all__ = ["TRUE", "FALSE", "BOOLS", "BOOL_TEXT", "parse_int", "parse_bool", "format_bool", "typed", "require_unique"]

TRUE, FALSE = "true", "false"
#: The codec itself, both ways: text to bool and bool to text.
BOOLS = {TRUE: True, FALSE: False}
BOOL_TEXT = {True: TRUE, False: FALSE}
_INT = re.compile(r"-?[0-9]+")  # ASCII digits only: str.isdigit and \d also accept full-width and Arabic-Indic digits
_INT_DIGITS = 18  # longer numbers are refused before conversion: int64 holds every 18-digit number


def _bad(values: pd.Series, mask, what: str) -> None:
    if mask.any():
        i = int(mask.to_numpy().argmax())
        raise DataError(f"value {values.iloc[i]!r} in row {i + 1} {what}")


def parse_int(values: pd.Series, *, minimum: int | None = None, maximum: int | None = None,
              required: bool = False) -> pd.Series:
    """Whole numbers written in ASCII digits (an optional minus) as ``Int64``; empty cells are missing.

    Anything else (a full-width or Arabic-Indic digit, a ``+``, a space, a decimal point) raises
    :class:`DataError`, as does a value outside ``minimum``..``maximum``, a number too long to hold, or (when
    ``required``) an empty cell.
    """
    values = values.astype(str).reset_index(drop=True)
    empty = values.eq("")
    if required:
        _bad(values, empty, "is empty, but a value is needed")
    present = ~empty
    _bad(values, present & ~values.map(lambda v: _INT.fullmatch(v) is not None), "is not a whole number "
         "(digits 0-9 only)")
    digits = values.str.lstrip("-").str.lstrip("0").str.len()
    too_long = present & digits.gt(_INT_DIGITS)
    negative = values.str.startswith("-")
    if minimum is not None:
        _bad(values, too_long & negative, f"is below {minimum}")
    if maximum is not None:
        _bad(values, too_long & ~negative, f"is above {maximum}")
    _bad(values, too_long, "is too large a number")
    ints = pd.array([int(v) if v else None for v in values], dtype="Int64")
    out = pd.Series(ints)
    if minimum is not None:
        _bad(values, out.lt(minimum).fillna(False), f"is below {minimum}")
    if maximum is not None:
        _bad(values, out.gt(maximum).fillna(False), f"is above {maximum}")
    return out


def parse_bool(values: pd.Series, *, required: bool = False) -> pd.Series:
    """``true``/``false``/empty strings as a nullable boolean Series. Any other value (``TRUE``, ``1``, a space)
    raises :class:`DataError`, as does an empty cell when ``required``."""
    values = values.astype(str).reset_index(drop=True)
    if required:
        _bad(values, values.eq(""), "is empty, but a value is needed")
    _bad(values, ~values.isin([TRUE, FALSE, ""]), "is not 'true' or 'false'")
    return values.map({**BOOLS, "": None}).astype("boolean")


def typed(path: str | Path, df: pd.DataFrame, column: str, parse: Callable[..., pd.Series],
          **limits: object) -> pd.Series:
    """``parse(df[column], **limits)`` (:func:`parse_int` or :func:`parse_bool`), its error naming file and column."""
    try:
        return parse(df[column], **limits)
    except DataError as err:
        raise DataError(f"{path}: column {column}: {err}") from None


def require_unique(path: str | Path, df: pd.DataFrame, column: str) -> None:
    """Refuse an empty or repeated identifier in ``df[column]``, naming the file."""
    ids = df[column].reset_index(drop=True)
    if ids.eq("").any():
        raise DataError(f"{path}: row {int(ids.eq('').to_numpy().argmax()) + 1} has no {column}")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise DataError(f"{path}: {column} {dup.iloc[0]!r} appears more than once")


def format_bool(values: pd.Series) -> pd.Series:
    """Booleans as ``true``/``false`` strings, missing as an empty string (the inverse of :func:`parse_bool`)."""
    return values.map(BOOL_TEXT).astype(object).where(values.notna(), "")

