"""The published figures, the facts about quoted respondents, and the assumption register, as DataFrames.

``data/published/figures.csv`` is the only place a number from the paper is typed. Code asks for a number by its
``figure_id`` (:func:`value`) rather than repeating it.

>>> figs = figures()
>>> value(figs, "t1_n")
90
>>> [value(figs, "t2_users_rubber_bands", f) for f in ("count", "denominator", "reported_percent")]
[55, 76, 72]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.data import schema
from hmbook.errors import DataError
from hmbook.files import cells, reading

__all__ = ["FIGURE_COLUMNS", "OPTIONAL_COLUMNS", "TYPED_COLUMNS", "MAX_DIGITS", "MAX_DECIMALS", "ASSUMPTION_COLUMNS",
           "REGISTER_KEYS", "FACT_COLUMNS", "MAX_FIGURES", "figures", "figures_table", "assumptions",
           "respondent_facts", "value", "year_bands"]

FIGURE_COLUMNS = ("figure_id", "source", "group", "variable", "level", "count", "denominator", "reported_percent")
#: Optional columns of a figures file, for means and standard deviations: the printed mean and SD (as printed,
#: trailing zeros kept), the number of whole-number items each person's score adds up, and the lowest and highest
#: answer to one item. A file without them is read as one with them empty.
OPTIONAL_COLUMNS = ("mean", "sd", "n_items", "scale_min", "scale_max")
#: The typed form's columns (:func:`figures`, :func:`figures_table`).
TYPED_COLUMNS = FIGURE_COLUMNS + ("decimals", "percent_text") + OPTIONAL_COLUMNS
#: Limits on what a printed number may be, so that every step of the audit stays small and every count is exact as
#: a float too: no survey counts more than a million billion people, and no paper prints a percentage or mean to
#: more than 12 decimals.
MAX_DIGITS, MAX_DECIMALS = 15, 12
_WHOLE = re.compile(r"-?[0-9]+")  # ASCII digits only: str.isdigit and \d also take full-width digits
_SIGNED, _UNSIGNED = re.compile(r"-?[0-9]+(\.[0-9]+)?"), re.compile(r"[0-9]+(\.[0-9]+)?")
ASSUMPTION_COLUMNS = ("assumption_id", "kind", "figure_ids", "ambiguity", "alternatives", "choice", "effect", "spec")
#: What any register needs (a reader's own, for ``audit --register``, may have only these): the rest is prose.
REGISTER_KEYS = ASSUMPTION_COLUMNS[:3]
FACT_COLUMNS = ("respondent_id", "variable", "value", "basis", "assumption_id")
#: The most rows a figures file may have (a paper reports a few hundred numbers; reading stops here).
MAX_FIGURES = 5000
_MAX_REGISTER = 1000  # entries of an assumption register, facts about quoted respondents


def figures(path: str | Path | None = None) -> pd.DataFrame:
    """A figures file (this paper's by default, or any paper's for the audit), typed: one row per printed number.

    The file is read as every table of hmbook is (:func:`hmbook.files.reading.read_rows`: bounded, UTF-8,
    comma-separated, the line named in a message), with lines starting with ``#`` as comments (the template's
    example row), cells taken without the spaces around them and rows with nothing in them skipped. It needs the
    columns :data:`FIGURE_COLUMNS`; the optional ones for means and SDs (:data:`OPTIONAL_COLUMNS`) are read when
    present and left empty when not, and any other column is ignored. What comes back is :func:`figures_table`'s
    typed form.
    """
    path = Path(paths.FIGURES_CSV if path is None else path)
    header, lines, rows = reading.read_rows(path, kind="a figures file", columns=FIGURE_COLUMNS, extra=True,
                                            max_rows=MAX_FIGURES, comments=True)
    kept = [(line, [cell.strip() for cell in row]) for line, row in zip(lines, rows) if any(c.strip() for c in row)]
    if not kept:
        raise DataError(f"{path}: the file has no rows")
    raw = pd.DataFrame([row for _, row in kept], columns=header, dtype=object)
    return _typed(raw, [f"{path}: line {line}" for line, _ in kept], str(path))


def figures_table(rows: pd.DataFrame | list[dict[str, object]]) -> pd.DataFrame:
    """A figures table made in code, typed as :func:`figures` types a file (the one typed form the audit takes).

    ``rows`` has at least the columns :data:`FIGURE_COLUMNS`; a cell may be text or a number, and an empty one (or
    a missing value) is a number not printed. Give a percentage as text, as printed (``"12.50"``): a number drops
    the trailing zeros that say how many decimals were printed.

    >>> t = figures_table([{"figure_id": "a", "source": "T1", "group": "all", "variable": "v", "level": "Yes",
    ...                     "count": 3, "denominator": 8, "reported_percent": "37.50"}])
    >>> t[["count", "decimals", "percent_text"]].values.tolist()
    [[3, 2, '37.50']]
    """
    df = pd.DataFrame(rows)
    missing = [c for c in FIGURE_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"a figures table needs the column(s) {', '.join(missing)}")
    raw = pd.DataFrame({c: [_as_text(v) for v in df[c]] for c in df.columns}, dtype=object)
    return _typed(raw, [f"row {i}" for i in range(1, len(raw) + 1)], "the figures table")


def _as_text(value: object) -> str:
    """A cell of a table made in code as a figures file would print it."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        raise DataError(f"{value!r} is not a number a paper prints")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _typed(raw: pd.DataFrame, where: list[str], name: str) -> pd.DataFrame:
    """The typed form: ``count``, ``denominator``, ``n_items``, ``scale_min``, ``scale_max`` as nullable integers;
    ``reported_percent`` as the exact printed value (a :class:`~decimal.Decimal`, ``pd.NA`` when none is printed:
    ``Decimal("12.50")`` keeps its trailing zero, and compares equal to 12.5), with the printed text in
    ``percent_text`` and its number of decimals in ``decimals``; ``mean`` and ``sd`` as printed (text, empty when
    not printed)."""
    def at(i: int) -> str:
        return f"{where[i]} ({raw.at[i, 'figure_id']})"

    raw = raw.reset_index(drop=True)
    for col in OPTIONAL_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    if (raw["figure_id"] == "").any():
        raise DataError(f"{where[int((raw['figure_id'] == '').idxmax())]} has no figure_id")
    cells.require_unique(name, raw, "figure_id")
    out = raw[["figure_id", "source", "group", "variable", "level"]].copy()
    for col, what, least in (("count", "a count", 0), ("denominator", "a denominator", 1), ("n_items", "n_items", 1),
                             ("scale_min", "a scale end", None), ("scale_max", "a scale end", None)):
        out[col] = _whole(raw, col, what, least, at)
    for col, what, signed in (("reported_percent", "a percentage", True), ("mean", "a mean", True),
                              ("sd", "a standard deviation", False)):
        _decimal_text(raw, col, what, signed, at)
    out["reported_percent"] = pd.Series([Decimal(v) if v else pd.NA for v in raw["reported_percent"]], dtype=object)
    out["decimals"] = raw["reported_percent"].str.partition(".")[2].str.len().astype(int)
    out["percent_text"] = raw["reported_percent"].astype(str)
    out["mean"], out["sd"] = raw["mean"].astype(str), raw["sd"].astype(str)
    both = out["scale_min"].notna() & out["scale_max"].notna()
    flipped = both & (out["scale_min"] >= out["scale_max"]).fillna(False)
    if flipped.any():
        i = int(flipped.idxmax())
        raise DataError(f"{at(i)}: scale_min {out.at[i, 'scale_min']} is not below scale_max "
                        f"{out.at[i, 'scale_max']}")
    return out[list(TYPED_COLUMNS)]


def _whole(df: pd.DataFrame, col: str, what: str, least: int | None, at: Callable[[int], str]) -> pd.array:
    for i, v in df[col].items():
        if v == "":
            continue
        if not _WHOLE.fullmatch(v):
            raise DataError(f"{at(i)}: {col} {v!r} is not a whole number (digits 0-9 only)")
        if len(v.lstrip("-")) > MAX_DIGITS:
            raise DataError(f"{at(i)}: {col} {v!r} has more than {MAX_DIGITS} digits; too large to be {what}")
        if least is not None and int(v) < least:
            if int(v) == 0 and col == "denominator":
                raise DataError(f"{at(i)}: a denominator of 0")
            raise DataError(f"{at(i)}: {col} {v!r} is below {least}: {what} cannot be")
    return pd.array([int(v) if v else None for v in df[col]], dtype="Int64")


def _decimal_text(df: pd.DataFrame, col: str, what: str, signed: bool, at: Callable[[int], str]) -> None:
    pattern = _SIGNED if signed else _UNSIGNED
    for i, v in df[col].items():
        if v == "":
            continue
        if not pattern.fullmatch(v):
            hint = " (write it without the % sign)" if v.endswith("%") else (
                " (a standard deviation cannot be negative)" if v.startswith("-") and not signed else "")
            raise DataError(f"{at(i)}: {col} {v!r} is not a number{hint}")
        whole, _, dec = v.lstrip("-").partition(".")
        if len(whole) > MAX_DIGITS or len(dec) > MAX_DECIMALS:
            raise DataError(f"{at(i)}: {col} {v!r} has too many digits to be {what} as printed (at most "
                            f"{MAX_DIGITS} before the point and {MAX_DECIMALS} after)")


def value(figs: pd.DataFrame, figure_id: str, field: str = "count") -> int:
    """One published number, by figure id (``field`` is ``count``, ``denominator`` or ``reported_percent``)."""
    hit = figs.loc[figs["figure_id"] == figure_id, field]
    if len(hit) != 1 or pd.isna(hit.iloc[0]):
        raise DataError(f"figures.csv has no {field} for figure {figure_id!r}")
    if hit.iloc[0] != int(hit.iloc[0]):  # a percentage printed with decimals: its text is in percent_text
        raise DataError(f"figure {figure_id!r} prints its {field} with decimals ({hit.iloc[0]}), not as a whole number")
    return int(hit.iloc[0])


def assumptions(path: str | Path | None = None) -> pd.DataFrame:
    """The assumption register: every ambiguity in the paper and the choice this book makes.

    Any register (this book's, or a reader's own for ``python -m hmbook audit --register``) needs the columns
    :data:`REGISTER_KEYS`; other columns are kept as they are.

    >>> assumptions(paths.RESPONDENTS_CSV)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: .../respondents.csv: not an assumption register (its columns are respondent_id, ...)
    """
    path = Path(paths.ASSUMPTIONS_CSV if path is None else path)
    df = reading.read_table(path, kind="an assumption register", columns=REGISTER_KEYS, max_rows=_MAX_REGISTER,
                            extra=True)
    cells.require_unique(path, df, "assumption_id")
    return df


def respondent_facts(path: str | Path | None = None) -> pd.DataFrame:
    """What the paper says about the respondents it quotes by ID: one row per (respondent, variable, value).

    Each fact must name a respondent (1 to the number analysed), a column of the contract and a value that column
    allows (``true``/``false`` for a yes/no column).
    """
    path = Path(paths.FACTS_CSV if path is None else path)
    df = reading.read_table(path, kind="a file of facts about quoted respondents", columns=FACT_COLUMNS,
                            max_rows=_MAX_REGISTER)
    df["respondent_id"] = cells.typed(path, df, "respondent_id", cells.parse_int, minimum=1,
                                      maximum=schema.N_RESPONDENTS, required=True).astype(int)
    for i, (var, val) in enumerate(zip(df["variable"], df["value"]), start=1):
        if var not in schema.NAMES or schema.column(var).kind not in ("bool", "category"):
            raise DataError(f"{path}: row {i}: {var!r} is not a yes/no or labelled column of respondents.csv")
        if val not in schema.column(var).allowed_text():
            raise DataError(f"{path}: row {i}: {val!r} is not a value of {var}")
    return df


def year_bands(figs: pd.DataFrame) -> list[tuple[str, int, int, int]]:
    """Table 1's bands of years in role as ``(label, lowest, highest, count)``, whole years (A11).

    >>> year_bands(figures())[0], year_bands(figures())[-1]
    (('2 or less', 0, 2, 30), ('21 or more', 21, 40, 11))
    """
    rows = figs[(figs["source"] == "Table 1") & (figs["variable"] == "years_in_role")].set_index("level")
    if not {"minimum", "maximum"} <= set(rows.index) or rows["count"].isna().any() or not rows.index.is_unique:
        raise DataError("figures.csv: Table 1's years in role need a count for each band, the minimum and maximum")
    lo_all, hi_all = int(rows.loc["minimum", "count"]), int(rows.loc["maximum", "count"])
    bands = []
    for level, count in rows["count"].drop(["minimum", "maximum"]).items():
        if m := re.fullmatch(r"([0-9]+) or less", level):
            lo, hi = lo_all, int(m[1])
        elif m := re.fullmatch(r"([0-9]+) or more", level):
            lo, hi = int(m[1]), hi_all
        elif m := re.fullmatch(r"([0-9]+)-([0-9]+)", level):
            lo, hi = int(m[1]), int(m[2])
        else:
            raise DataError(f"figures.csv: cannot read the years-in-role band {level!r}")
        bands.append((level, lo, hi, int(count)))
    return bands
