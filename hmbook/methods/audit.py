"""An audit of a paper's own numbers: percentages, means, sums and cross-references, read from a figures file.

The input is any CSV with the columns of ``data/published/figures.csv`` (``FIGURE_COLUMNS``), optionally with
the columns of :data:`OPTIONAL_COLUMNS` for means and standard deviations. Nothing about this paper is built in:
which rows form a block to sum and which rows report the same quantity is derived from the ``source``, ``group``,
``variable`` and ``level`` columns by the rules below, so the audit runs on another paper's figures file unchanged.
The arithmetic (rounding, GRIM, GRIMMER, DEBIT) is exact and lives in :mod:`hmbook.grim`.

The rules
---------
* **Special rows.** A ``level`` of ``answered`` is a table's header N (for its ``source``, ``group`` and
  ``variable``); a ``variable`` of ``respondents`` is the header N of its whole ``source`` and ``group``.
  ``minimum``/``maximum`` hold a range's ends. Special rows take part in cross-references and headers only.
* **Denominators.** A row's denominator is the one it prints; failing that, the header N of its table, and the
  finding says so. A count above its denominator, or a percentage outside 0-100, is ``inconsistent`` (check
  ``range``) and is not checked further.
* **Rounding.** Printed values are compared under the file's rounding: the conventions of
  :data:`~hmbook.grim.CONVENTIONS` that reproduce every percentage printed with its count and denominator
  (round to nearest when it is among them; round to nearest when no such row exists), or the ``rounding`` chosen
  (:data:`ROUNDING_CHOICES`). Decimals are those printed (a trailing zero counts). A value that fits only under
  another convention (truncation, ceiling, double rounding, another treatment of halves) is a ``note`` naming it.
* **Percentages.** With a count and a denominator, the percentage must follow. With a denominator and no count,
  some whole count must give it (they are listed). With a count and no denominator, a GRIM search lists the
  denominators that give it, and names a likely one printed nearby (the question's parts, the group's size).
* **Group size.** The denominator printed most often in a group (ties: the larger). Groups other than ``all``
  *partition* ``all`` when their sizes add up to its size; then a count in ``all`` equals the sum over them.
* **Same quantity** (cross-references): rows with the same ``group``, ``variable`` and ``level``, whatever their
  source. Their counts, denominators, percentages, means and SDs must agree.
* **Question block** (sums): rows with the same ``group`` and ``variable`` that carry a count, one per distinct
  ``level``, taken to be exclusive answers (a multi-response item is one variable per option). Their total is
  compared with the denominator they print, else their one source's header N, else (when the block is
  *exhaustive*: levels ``Yes`` and ``No``, or percentages adding up to 100 within rounding) a count printed beside
  them or the group's size. More than that is ``inconsistent``; less is reported with the number unaccounted for,
  ``inconsistent`` when the block is exhaustive (or prints counts only, under a header N) and ``ambiguous`` when
  its percentages fall short of 100 as well (a level or the non-responders left out).
* **Chains.** When a level's printed denominator is the count of another level of the same block (consented out
  of those who clicked), the block is a flow of nested stages, checked as a chain in file order: no stage may be
  larger than the one before it (``ambiguous`` when one is: the file does not say where the extra come from).
* **Means and SDs.** A row with ``mean`` and ``n_items`` (whole-number answers to that many items) gets GRIM
  (check ``mean``); with ``sd`` too, GRIMMER (check ``sd``). A row whose scale runs from 0 to 1 (``scale_min`` 0,
  ``scale_max`` 1) is binary: DEBIT (check ``binary``). The n is the denominator or the header N. A mean outside
  the scale, or an SD larger than the scale allows, is a ``range`` finding.
* **Gaps.** A printed denominator below the group's size means some of the group did not answer; if the file has
  a ``completed`` count, the gaps must fit in the respondents who did not complete.

Each finding has the check, the figure ids, a status (``inconsistent`` / ``ambiguous`` / ``note`` / ``ok``), an
explanation, and the assumption-register entries whose ``figure_ids`` overlap it (kinds contradiction, ambiguity,
gap and derivation: the entries about the paper's numbers rather than about the synthetic rows).

>>> from hmbook.data import published
>>> figs = read_figures()
>>> found = audit(figs, published.assumptions())
>>> found.loc[found["figure_ids"] == "flow_consented", ["check", "status", "assumptions"]].values.tolist()
[['percentage', 'inconsistent', 'A26']]
>>> list(implied_denominators(43, 58))
[74]
>>> rounds(1, 8, 1, "half_up"), rounds(1, 8, 1, "half_even"), rounds(1, 8, 1, "truncate")
(12.5, 12.5, 12.5)
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from hmbook import grim, paths
from hmbook.data import published
from hmbook.data.published import FIGURE_COLUMNS
from hmbook.errors import DataError
from hmbook.files import reading, safe_write
from hmbook.grim import CONVENTIONS, DOUBLE, EVERY, NEAREST, fits, implied_counts, implied_denominators, rounds

__all__ = [
    "CONVENTIONS", "NEAREST", "ROUNDING_CHOICES", "SPECIAL_LEVELS", "REGISTER_KINDS", "FINDING_COLUMNS",
    "OPTIONAL_COLUMNS", "read_figures", "read_register", "template", "write_template", "group_sizes", "conventions",
    "choose_rounding", "audit", "implied_ranges", "level_sets", "render", "Gaps", "respondent_gaps",
]

SPECIAL_LEVELS = ("answered", "minimum", "maximum")
#: Optional columns for means and standard deviations: the printed mean and SD (as printed, trailing zeros
#: kept), the number of whole-number items each person's score adds up, and the lowest and highest answer to one
#: item. A file without them is read as before.
OPTIONAL_COLUMNS = ("mean", "sd", "n_items", "scale_min", "scale_max")
#: ``--rounding`` choices: the conventions each accepts (``auto``: inferred from the file, see the rules).
ROUNDING_CHOICES: dict[str, tuple[str, ...] | None] = {
    "auto": None, "nearest": NEAREST, "half-up": ("half_up",), "half-even": ("half_even",),
    "half-down": ("half_down",), "truncate": ("truncate",), "ceiling": ("ceiling",), "any": EVERY,
}
#: Register kinds that speak about the paper's numbers (the others are about the synthetic rows).
REGISTER_KINDS = ("contradiction", "ambiguity", "gap", "derivation")
FINDING_COLUMNS = ("check", "figure_ids", "status", "explanation", "assumptions")
_STATUS_ORDER = {"inconsistent": 0, "ambiguous": 1, "note": 2, "ok": 3}
#: Limits on what a printed number may be, so that every step of the audit stays small: no survey counts more
#: than a million billion people, and no paper prints a percentage or mean to more than 12 decimals.
MAX_DIGITS, MAX_DECIMALS = 15, 12
_HOW = {"half_up": "rounding halves up", "half_even": "rounding halves to even", "half_down": "rounding halves "
        "down", "truncate": "truncation (dropping the extra decimals)", "ceiling": "rounding up (ceiling)",
        DOUBLE: "double rounding (first to one more decimal, then again)"}


# ---------------------------------------------------------------------------------------------------- reading
def read_figures(path: str | Path | None = None) -> pd.DataFrame:
    """Read a figures file strictly; raise :class:`~hmbook.errors.DataError` with a one-line reason if it is bad.

    The file is read as every table of hmbook is (:func:`hmbook.files.reading.read_rows`: bounded, UTF-8,
    comma-separated, the line named in a message), with lines starting with ``#`` as comments (the template's
    example row), cells taken without the spaces around them and rows with nothing in them skipped. Counts and
    denominators must be whole numbers; percentages may have decimals (their count is kept in ``decimals``, the
    printed text in ``percent_text``). The optional columns (:data:`OPTIONAL_COLUMNS`) are read when present and
    left empty when not; other columns are ignored.
    """
    path = paths.FIGURES_CSV if path is None else path
    header, lines, rows = reading.read_rows(path, kind="a figures file", columns=FIGURE_COLUMNS, extra=True,
                                            max_rows=published.MAX_FIGURES, comments=True)
    kept = [(line, [cell.strip() for cell in row]) for line, row in zip(lines, rows) if any(c.strip() for c in row)]
    if not kept:
        raise DataError(f"{path}: the file has no rows")
    raw = pd.DataFrame([row for _, row in kept], columns=header)
    for col in OPTIONAL_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    return _validated(raw, [line for line, _ in kept], str(path))


def _validated(df: pd.DataFrame, lines: list[int], name: str) -> pd.DataFrame:
    def where(i):
        return f"{name}: line {lines[i]} ({df.at[i, 'figure_id']})"

    if (df["figure_id"] == "").any():
        raise DataError(f"{name}: line {lines[int((df['figure_id'] == '').idxmax())]} has no figure_id")
    dup = df["figure_id"][df["figure_id"].duplicated()]
    if len(dup):
        raise DataError(f"{name}: figure_id {dup.iloc[0]!r} appears more than once")
    out = df[["figure_id", "source", "group", "variable", "level"]].copy()
    for col, what, least in (("count", "a count", 0), ("denominator", "a denominator", 1), ("n_items", "n_items", 1),
                             ("scale_min", "a scale end", None), ("scale_max", "a scale end", None)):
        out[col] = _whole(df, col, what, least, where)
    for col, what, signed in (("reported_percent", "a percentage", True), ("mean", "a mean", True),
                              ("sd", "a standard deviation", False)):
        _decimal_text(df, col, what, signed, where)
    out["reported_percent"] = pd.to_numeric(df["reported_percent"].replace("", None)).astype("Float64")
    out["decimals"] = df["reported_percent"].str.partition(".")[2].str.len().astype(int)
    out["percent_text"] = df["reported_percent"]
    out["mean"], out["sd"] = df["mean"], df["sd"]
    both = out["scale_min"].notna() & out["scale_max"].notna()
    flipped = both & (out["scale_min"] >= out["scale_max"]).fillna(False)
    if flipped.any():
        i = int(flipped.idxmax())
        raise DataError(f"{where(i)}: scale_min {out.at[i, 'scale_min']} is not below scale_max "
                        f"{out.at[i, 'scale_max']}")
    return out


def _whole(df, col, what, least, where) -> pd.array:
    for i, v in df[col].items():
        if v == "":
            continue
        if not re.fullmatch(r"-?[0-9]+", v):
            raise DataError(f"{where(i)}: {col} {v!r} is not a whole number")
        if len(v.lstrip("-")) > MAX_DIGITS:
            raise DataError(f"{where(i)}: {col} {v!r} has more than {MAX_DIGITS} digits; too large to be {what}")
        if least is not None and int(v) < least:
            if int(v) == 0 and col == "denominator":
                raise DataError(f"{where(i)}: a denominator of 0")
            raise DataError(f"{where(i)}: {col} {v!r} is below {least}: {what} cannot be")
    return pd.array([int(v) if v else None for v in df[col]], dtype="Int64")


def _decimal_text(df, col, what, signed, where) -> None:
    pattern = r"-?[0-9]+(\.[0-9]+)?" if signed else r"[0-9]+(\.[0-9]+)?"
    for i, v in df[col].items():
        if v == "":
            continue
        if not re.fullmatch(pattern, v):
            hint = " (write it without the % sign)" if v.endswith("%") else (
                " (a standard deviation cannot be negative)" if v.startswith("-") and not signed else "")
            raise DataError(f"{where(i)}: {col} {v!r} is not a number{hint}")
        whole, _, dec = v.lstrip("-").partition(".")
        if len(whole) > MAX_DIGITS or len(dec) > MAX_DECIMALS:
            raise DataError(f"{where(i)}: {col} {v!r} has too many digits to be {what} as printed (at most "
                            f"{MAX_DIGITS} before the point and {MAX_DECIMALS} after)")


def read_register(path: str | Path) -> pd.DataFrame:
    """An assumption register to link findings to: :func:`hmbook.data.published.assumptions`, which refuses a
    missing, empty, binary, wrongly delimited, ragged or wrong-kind file (columns ``assumption_id``, ``kind``,
    ``figure_ids`` needed) with a one-line :class:`~hmbook.errors.DataError`."""
    return published.assumptions(path)


def template() -> str:
    """An empty figures file: the columns (the optional ones for means included) and one commented example row.

    >>> print(template(), end="")
    figure_id,source,group,variable,level,count,denominator,reported_percent,mean,sd,n_items,scale_min,scale_max
    # t1_female,Table 1,all,gender,Female,60,90,66.7,,,,,
    """
    columns = FIGURE_COLUMNS + OPTIONAL_COLUMNS
    example = ["t1_female", "Table 1", "all", "gender", "Female", "60", "90", "66.7"] + [""] * len(OPTIONAL_COLUMNS)
    return ",".join(columns) + "\n# " + ",".join(example) + "\n"


def write_template(path: str | Path) -> None:
    """Write :func:`template` to a new file; never over an existing one."""
    path = Path(path)
    if path.exists() or path.is_symlink():  # a symlink, even to nothing, is something a person made: kept
        raise DataError(f"{path}: already exists; the template is only written to a new file")
    if not path.parent.is_dir():
        raise DataError(f"{path.parent}: no such directory")
    safe_write.write_atomic(path, template().encode("utf-8"))


def _prepare(figs: pd.DataFrame) -> pd.DataFrame:
    """The columns the checks use, for a table made in code as well as one from :func:`read_figures`."""
    add: dict[str, object] = {}
    if "decimals" not in figs.columns:
        add["decimals"] = 0
    if "percent_text" not in figs.columns:
        dec = figs["decimals"] if "decimals" in figs.columns else pd.Series(0, index=figs.index)
        add["percent_text"] = [f"{float(p):.{int(d)}f}" if pd.notna(p) else "" for p, d in
                               zip(figs["reported_percent"], dec)]
    for col in ("mean", "sd"):
        if col not in figs.columns:
            add[col] = ""
    for col in ("n_items", "scale_min", "scale_max"):
        if col not in figs.columns:
            add[col] = pd.array([None] * len(figs), dtype="Int64")
    out = figs.assign(**add) if add else figs
    if out["reported_percent"].dtype != "Float64":
        out = out.assign(reported_percent=out["reported_percent"].astype("Float64"))
    return out.fillna({"mean": "", "sd": "", "percent_text": ""})


# ---------------------------------------------------------------------------------------------------- helpers
def _span(values) -> str:
    """A run of whole numbers as text: ``72-74``; a list may have several runs: ``3, 7-9``."""
    if isinstance(values, range):
        if not values:
            return "none"
        return f"{values[0]}" if values[0] == values[-1] else f"{values[0]}-{values[-1]}"  # (no len: may pass 2**63)
    values = sorted(values)
    if not values:
        return "none"
    runs, start = [], values[0]
    for a, b in zip(values, values[1:] + [None]):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ", ".join(runs)


def _how(convs) -> str:
    return " or ".join(_HOW[c] for c in convs)


def _file_rounding(conv) -> str:
    """The file's rounding in words, for notes: 'rounding to nearest', or the one convention used."""
    return "rounding to nearest" if set(conv) >= set(NEAREST) else _how(conv)


def _pct_text(r) -> str:
    return f"{r.percent_text}%"


def _pct_value(r) -> Decimal:
    return Decimal(r.percent_text)


def group_sizes(figs: pd.DataFrame) -> dict[str, int]:
    """The size of each group: its most often printed denominator (ties: the larger).

    >>> group_sizes(read_figures())
    {'all': 90, 'non_users': 14, 'users': 76}
    """
    sizes = {}
    for group, dens in figs.dropna(subset=["denominator"]).groupby("group")["denominator"]:
        counts = Counter(int(d) for d in dens)
        sizes[group] = max(counts, key=lambda d: (counts[d], d))
    return sizes


def _parts(figs: pd.DataFrame, sizes: dict[str, int]) -> list[str]:
    others = [g for g in sizes if g != "all"]
    if "all" in sizes and others and sum(sizes[g] for g in others) == sizes["all"]:
        return others
    return []


def _counted(figs: pd.DataFrame) -> pd.DataFrame:
    return figs[figs["count"].notna() & ~figs["level"].isin(SPECIAL_LEVELS) & (figs["variable"] != "respondents")]


def _blocks(figs: pd.DataFrame):
    """(group, variable) -> one row per distinct level with a count (the row printing most fields preferred)."""
    counted = _counted(figs)
    full = counted[["denominator", "reported_percent"]].notna().sum(axis=1)
    best = (counted.assign(_full=full).sort_values("_full", ascending=False, kind="stable")
            .drop_duplicates(["group", "variable", "level"]).drop(columns="_full").sort_index())
    blocks = dict(iter(best.groupby(["group", "variable"], sort=False)))
    for key in counted[["group", "variable"]].drop_duplicates().itertuples(index=False):  # in file order
        yield key[0], key[1], blocks[tuple(key)]


class _Index:
    """Lookups the percentage checks make for every row, built once: the denominators printed with each question
    (group, variable), its parts (one count per level, first printed first), and the counts of each source."""

    def __init__(self, figs: pd.DataFrame):
        self.dens: dict[tuple[str, str], list[int]] = {}
        self.parts: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}  # level -> (figure id, count)
        self.source_counts: dict[tuple[str, str], list[tuple[str, int]]] = {}
        special = set(SPECIAL_LEVELS)
        for o in figs.itertuples():
            key = (o.group, o.variable)
            if pd.notna(o.denominator) and int(o.denominator) not in self.dens.setdefault(key, []):
                self.dens[key].append(int(o.denominator))
            if pd.isna(o.count) or o.level in special or o.variable == "respondents":
                continue
            self.parts.setdefault(key, {}).setdefault(o.level, (o.figure_id, int(o.count)))
            self.source_counts.setdefault((o.source, o.group), []).append((o.figure_id, int(o.count)))

    def part_counts(self, group, variable) -> list[int]:
        return [c for _, c in self.parts.get((group, variable), {}).values()]


def _headers(figs: pd.DataFrame) -> dict:
    """(source, group, variable or None) -> header N: variable 'respondents' (the whole source), level 'answered'."""
    out = {}
    for r in figs[figs["count"].notna()].itertuples():
        if r.variable == "respondents":
            out[(r.source, r.group, None)] = int(r.count)
        elif r.level == "answered":
            out[(r.source, r.group, r.variable)] = int(r.count)
    return out


def _header_for(r, headers) -> int | None:
    if r.level in SPECIAL_LEVELS or r.variable == "respondents":
        return None
    return headers.get((r.source, r.group, r.variable), headers.get((r.source, r.group, None)))


def _denominator(r, headers) -> tuple[int | None, str]:
    """The row's denominator and where it comes from: printed on the row, else the table's header N."""
    if pd.notna(r.denominator):
        return int(r.denominator), ""
    header = _header_for(r, headers)
    if header is not None:
        return header, f" (the header N of {r.source}; no denominator is printed on the row)"
    return None, ""


# ---------------------------------------------------------------------------------------------------- rounding
def conventions(figs: pd.DataFrame) -> pd.DataFrame:
    """For each rounding convention: how many printed percentages with a count and a denominator (printed, or the
    table's header N) it reproduces.

    ``consistent`` is true for the conventions that reproduce every percentage that any convention reproduces;
    ``halves`` counts the percentages whose fraction falls exactly on a half at the printed precision, the only
    ones on which the round-to-nearest conventions can disagree (the same number on every row).
    """
    figs = _prepare(figs)
    headers = _headers(figs)
    printed = [(int(r.count), _denominator(r, headers)[0], r.percent_text)
               for r in figs[figs["count"].notna() & (figs["percent_text"] != "")].itertuples()]
    full = [(c, d, p) for c, d, p in printed if d is not None and c <= d and not p.startswith("-")]
    table = pd.DataFrame({c: [fits(k, d, p, None, (c,)) for k, d, p in full] for c in CONVENTIONS}, dtype=bool)
    possible = table.any(axis=1)
    return pd.DataFrame({
        "convention": list(CONVENTIONS),
        "percentages": [len(full)] * len(CONVENTIONS),
        "reproduced": [int(table[c].sum()) for c in CONVENTIONS],
        "consistent": [bool(table.loc[possible, c].all()) for c in CONVENTIONS],
        "halves": [sum(grim.on_half(k, d, p) for k, d, p in full)] * len(CONVENTIONS),
    })


def choose_rounding(figs: pd.DataFrame, rounding: str = "auto",
                    table: pd.DataFrame | None = None) -> tuple[tuple[str, ...], str]:
    """The conventions the audit accepts, and a sentence on why: ``rounding`` as chosen, or (``auto``) those that
    reproduce the most percentages printed with a count and a denominator (round to nearest preferred among
    equals; round to nearest when there are none). ``table``: :func:`conventions` of ``figs``, if already made.

    >>> choose_rounding(read_figures())[0]
    ('half_up', 'half_even', 'half_down')
    """
    if rounding not in ROUNDING_CHOICES:
        raise DataError(f"unknown rounding {rounding!r}; choose from {', '.join(ROUNDING_CHOICES)}")
    chosen = ROUNDING_CHOICES[rounding]
    if chosen is not None:  # every choice but "auto" names its conventions
        return chosen, f"{', '.join(chosen)} (as chosen with --rounding {rounding})"
    table = conventions(figs) if table is None else table
    n, most = int(table["percentages"].iloc[0]), int(table["reproduced"].max())
    if not n or not most:
        why = ("no percentage is printed with its count and denominator to infer the rounding from" if not n else
               f"none of the {n} percentages printed with count and denominator fits any rounding")
        return NEAREST, f"{', '.join(NEAREST)} (round to nearest: {why})"
    best = tuple(table.loc[table["reproduced"] == most, "convention"])
    conv = tuple(c for c in best if c in NEAREST) or best
    return conv, (f"{', '.join(conv)} (inferred: {'they reproduce' if len(conv) > 1 else 'it reproduces'} {most} of "
                  f"the {n} percentages printed with count and denominator, more than any other rounding)"
                  if most < n or len(best) < len(CONVENTIONS) else
                  f"{', '.join(conv)} (every rounding reproduces the {n} percentages printed with count and "
                  "denominator; round to nearest assumed)")


def _alternatives(test, conv) -> list[str]:
    """The conventions outside ``conv`` under which ``test(convention)`` holds."""
    return [c for c in EVERY if c not in conv and test((c,))]


# ---------------------------------------------------------------------------------------------------- checks
def _ranges(figs, headers):
    """Counts above their denominator, percentages outside 0-100, means outside the scale, SDs too large for it."""
    found, skip_pct, skip_mean = [], set(), set()
    for r in figs.itertuples():
        if r.percent_text:
            value = _pct_value(r)
            if value > 100 or value < 0:
                found.append(("range", r.figure_id, "inconsistent",
                              f"{_pct_text(r)} is {'above 100' if value > 100 else 'below 0'}: no share of a group "
                              "can be."))
                skip_pct.add(r.figure_id)
        den, basis = _denominator(r, headers)
        if pd.notna(r.count) and den is not None and r.count > den:
            found.append(("range", r.figure_id, "inconsistent",
                          f"The count {int(r.count)} is more than its denominator {den}{basis}."))
            skip_pct.add(r.figure_id)
        if r.mean and pd.notna(r.scale_min) and pd.notna(r.scale_max):
            lo, hi, m = int(r.scale_min), int(r.scale_max), Decimal(r.mean)
            if not lo <= m <= hi:
                found.append(("range", r.figure_id, "inconsistent",
                              f"The mean {r.mean} is outside the scale's {lo} to {hi}."))
                skip_mean.add(r.figure_id)
            elif r.sd and den is not None and den >= 2:
                top = grim.sd_maximum(r.mean, den, lo, hi)
                if grim.sd_interval(r.sd, EVERY).low ** 2 > top:
                    shown = f"{math.sqrt(top):.{len(r.sd.partition('.')[2]) + 1}f}"
                    found.append(("range", r.figure_id, "inconsistent",
                                  f"The SD {r.sd} is larger than any {den} answers between {lo} and {hi} with a "
                                  f"mean of {r.mean} allow (at most {shown})."))
                    skip_mean.add(r.figure_id)
    return found, skip_pct, skip_mean


def _percentages(figs, conv, sizes, twins, headers, skip):
    """Printed percentages against their counts and denominators, with a GRIM search where one is missing."""
    found = []
    # rows without a count whose twin has count and denominator: the cross-reference checks them
    covered = {o.figure_id for same in _by_quantity(figs).values() if len(same) > 1
               and any(pd.notna(t.count) and _denominator(t, headers)[0] is not None for t in same)
               for o in same if pd.isna(o.count)}
    ix = _Index(figs)
    file_dens = sorted({int(d) for d in figs["denominator"].dropna()} | set(sizes.values()))
    for r in figs[figs["percent_text"] != ""].itertuples():
        if r.figure_id in skip:
            continue
        den, basis = _denominator(r, headers)
        if pd.notna(r.count) and den is not None:
            found.append(_percentage_full(ix, r, int(r.count), den, basis, conv))
        elif pd.notna(r.count):
            found.append(_missing_denominator(ix, r, conv, sizes))
        elif den is not None and r.figure_id not in covered:
            found.append(_percent_of_n(r, den, basis, conv))
        elif den is None and r.figure_id not in twins:  # a percentage alone; with a twin, the cross-reference
            found.append(_percentage_alone(ix, file_dens, r, conv, sizes))
    return found


def _percentage_full(ix, r, c, d, basis, conv):
    text, p = r.percent_text, _pct_text(r)
    dec = int(r.decimals)
    if fits(c, d, text, None, conv):
        return ("percentage", r.figure_id, "ok", f"{c}/{d} rounds to {p}{basis}.")
    near = rounds(c, d, dec, conv[0])
    alt = _alternatives(lambda cv: fits(c, d, text, None, cv), conv)
    if alt:
        return ("percentage", r.figure_id, "note",
                f"{c}/{d}{basis} is {near:.{dec}f}% under {_file_rounding(conv)}, the file's rounding; the printed "
                f"{p} fits only under {_how(alt)}.")
    dens, counts = implied_denominators(c, text, None, conv), implied_counts(d, text, None, conv)
    parts = ix.part_counts(r.group, r.variable)
    likely = sum(parts) if len(parts) > 1 and sum(parts) in dens else None
    why = (f"{c}/{d}{basis} is {near:.{dec}f}%, not the printed {p}. Denominators that give {p} with {c}: "
           f"{_span(dens)}; counts that give it out of {d}: {_span(counts)}. ")
    why += (f"The parts of this question add up to {likely}, so {c}/{likely} is the likely reading."
            if likely else "No other figure of the file supplies such a denominator, and no other rounding gives "
                           "it: the percentage itself is probably misprinted.")
    return ("percentage", r.figure_id, "inconsistent", why)


def _percent_of_n(r, den, basis, conv):
    """A percentage with a denominator (printed, or the header N) but no count: which whole counts give it?"""
    text, p, dec = r.percent_text, _pct_text(r), int(r.decimals)
    counts = implied_counts(den, text, None, conv)
    if counts:
        which = "the only count that gives it" if counts[0] == counts[-1] else "the counts that give it"
        return ("percentage", r.figure_id, "ok", f"{p} of {den}{basis} is {_span(counts)}, {which}.")
    alt = _alternatives(lambda cv: bool(implied_counts(den, text, None, cv)), conv)
    below = int(_pct_value(r) * den // 100)
    near = f"{below}/{den} is {rounds(below, den, dec, conv[0]):.{dec}f}% and {below + 1}/{den} is " \
           f"{rounds(below + 1, den, dec, conv[0]):.{dec}f}%"
    if alt:
        counts = implied_counts(den, text, None, alt)
        return ("percentage", r.figure_id, "note",
                f"No whole count out of {den}{basis} gives {p} under {_file_rounding(conv)}, the file's rounding "
                f"({near}); {_span(counts)} gives it only under {_how(alt)}.")
    return ("percentage", r.figure_id, "inconsistent",
            f"No whole count out of {den}{basis} gives {p}: {near}.")


def _missing_denominator(ix, r, conv, sizes):
    c, text, p = int(r.count), r.percent_text, _pct_text(r)
    dens = implied_denominators(c, text, None, conv)
    known = []  # (denominator, where it comes from), the firmest first
    known += [(d, "printed with this question") for d in ix.dens.get((r.group, r.variable), [])]
    if r.group in sizes:
        known.append((sizes[r.group], f"the size of group {r.group!r}"))
    known += [(k, f"the count of {fid}") for fid, k in ix.source_counts.get((r.source, r.group), [])
              if fid != r.figure_id]
    parts = ix.part_counts(r.group, r.variable)
    total = sum(parts)
    for d, where in known:
        if d in dens:
            also = sorted({k for k, _ in known if k in dens and k != d}
                          | ({total} if len(parts) > 1 and total in dens and total != d else set()))
            extra = f" (it also fits {_span(also)})" if also else ""
            return ("percentage", r.figure_id, "ok",
                    f"No denominator printed; {c} gives {p} out of {d}, {where}{extra}.")
    why = (f"No denominator printed, and none printed nearby fits: {c} gives {p} only out of {_span(dens)} "
           f"(GRIM)")
    if r.group in sizes:
        why += f", not out of the group's {sizes[r.group]}"
    why += (f". The parts of this question add up to {total}, the likely denominator." if len(parts) > 1
            and total in dens else ".")
    return ("percentage", r.figure_id, "ambiguous", why)


#: Subset counting stops beyond this many distinct sums (the answer is then "too many to count").
MAX_SUBSET_SUMS = 50_000


def _subset_sums(values: list[int]) -> dict[int, list] | None:
    """Sum -> [number of subsets of ``values`` with that sum, one such subset (indices)]; None past
    :data:`MAX_SUBSET_SUMS` distinct sums. Dynamic programming over the sums reached, so the work depends on how
    many sums there are, not on how large they are."""
    ways = {0: 1}
    one: dict[int, tuple[int, ...]] = {0: ()}
    for i, v in enumerate(values):
        new = dict(ways)
        for s, k in ways.items():
            new[s + v] = new.get(s + v, 0) + k
            if s + v not in one:
                one[s + v] = one[s] + (i,)
        ways = new
        if len(ways) > MAX_SUBSET_SUMS:
            return None
    return {s: [k, one[s]] for s, k in ways.items()}


def _stems(text: str) -> set[str]:
    return {w[:5] for w in "".join(ch if ch.isalnum() else " " for ch in text.lower()).split() if len(w) > 3}


def _level_sets(block: dict, level: str, counts: range) -> tuple[int, int, tuple] | None:
    """For a percentage of a ``level`` that is not one of the printed levels of ``block`` (level -> (figure id,
    count)): how many sets of the printed levels add up to one of ``counts``, how many of those use only levels
    whose labels share a word with ``level``, and one such set (indices). None when there are too many sums."""
    ways = _subset_sums([c for _, c in block.values()])
    near = _subset_sums([c for other, (_, c) in block.items() if _stems(other) & _stems(level)])
    if ways is None or near is None:
        return None
    n_sets = sum(k for s, (k, _) in ways.items() if s in counts)
    n_near = sum(k for s, (k, _) in near.items() if s in counts)
    chosen = next((subset for s, (k, subset) in ways.items() if s in counts and k), ())
    return n_sets, n_near, chosen


def level_sets(figs: pd.DataFrame, figure_id: str) -> tuple[int, int]:
    """For a percentage printed for a level that is not one of its variable's printed levels (a group the text
    derives, such as "psychology/mental health"): how many sets of the printed levels give it, and how many of
    those use only levels whose labels share a word with it (the numbers the audit's finding explains).

    >>> level_sets(read_figures(), "demo_psych_mh")[0] > 1
    True
    """
    figs = _prepare(figs)
    conv, _ = choose_rounding(figs)
    r = next(figs[figs["figure_id"] == figure_id].itertuples())
    den = int(r.denominator) if pd.notna(r.denominator) else group_sizes(figs).get(r.group)
    if den is None:
        raise DataError(f"{figure_id}: no denominator is printed and group {r.group!r} has none to take its size from")
    found = _level_sets(_Index(figs).parts.get((r.group, r.variable), {}), r.level,
                        implied_counts(den, r.percent_text, None, conv))
    if found is None:
        raise DataError(f"{figure_id}: too many sets of levels to count")
    return found[:2]


def _percentage_alone(ix, file_dens, r, conv, sizes):
    text, p = r.percent_text, _pct_text(r)
    den = sizes.get(r.group)
    block = ix.parts.get((r.group, r.variable), {})  # level -> (figure id, count)
    counts = implied_counts(den, text, None, conv) if den else range(0)
    if den and block and r.level not in block:
        found = _level_sets(block, r.level, counts)
        if found is None:
            return ("percentage", r.figure_id, "ambiguous",
                    f"{r.level!r} is not one of the {len(block)} printed levels of {r.variable!r}. {p} of {den} is "
                    f"{_span(counts)}; too many sets of the printed levels add up to numbers like that to count.")
        n_sets, n_near, chosen = found
        if n_sets == 1:
            levels = list(block)
            return ("percentage", r.figure_id, "ok",
                    f"{r.level!r} is not a printed level of {r.variable!r}, but only one set of levels gives {p} of "
                    f"{den}: {', '.join(repr(levels[i]) for i in chosen)}.")
        return ("percentage", r.figure_id, "ambiguous",
                f"{r.level!r} is not one of the {len(block)} printed levels of {r.variable!r}. {p} of {den} is "
                f"{_span(counts)}; {n_sets} different sets of the printed levels add up to that, {n_near} of "
                "them using only levels whose labels share a word with it. The paper does not say which.")
    usable = [f"{d} ({_span(implied_counts(d, text, None, conv))})" for d in file_dens
              if implied_counts(d, text, None, conv)]
    smallest = grim.smallest_denominator(text, None, conv)
    return ("percentage", r.figure_id, "ambiguous",
            f"{p} is printed with no count or denominator, so it cannot be checked. Of the denominators in this "
            f"file, those that can give it (with the count) are: {', '.join(usable) or 'none'}; the smallest "
            f"denominator that can give it at all is {smallest}.")


def _by_quantity(rows) -> dict:
    """(group, variable, level) -> the rows (named tuples) reporting it, in file order."""
    keyed: dict[tuple[str, str, str], list] = {}
    for o in rows.itertuples():
        keyed.setdefault((o.group, o.variable, o.level), []).append(o)
    return keyed


def _cross_references(figs, conv, headers):
    found, twins = [], set()
    for (group, variable, level), rows in _by_quantity(figs).items():
        if len(rows) < 2:
            continue
        twins |= {o.figure_id for o in rows}
        ids = ";".join(o.figure_id for o in rows)
        problems = []
        for field in ("count", "denominator"):
            printed = [o for o in rows if pd.notna(getattr(o, field))]
            if len({int(getattr(o, field)) for o in printed}) > 1:
                shown = ", ".join(f"{o.figure_id} ({o.source}) {int(getattr(o, field))}" for o in printed)
                problems.append(f"the {field}s differ: {shown}")
        for field, what in (("percent_text", "percents"), ("mean", "means"), ("sd", "SDs")):
            printed = [o for o in rows if getattr(o, field)]
            if not _agree([getattr(o, field) for o in printed], conv):
                shown = ", ".join(f"{o.figure_id} ({o.source}) {getattr(o, field)}" for o in printed)
                problems.append(f"the {what} differ: {shown}")
        full = [(int(o.count), den) for o in rows
                if pd.notna(o.count) and (den := _denominator(o, headers)[0]) is not None]
        if full:
            c, d = full[0]
            for o in rows:
                if pd.isna(o.count) and o.percent_text and 0 <= c <= d and not fits(c, d, o.percent_text, None, conv):
                    problems.append(f"{o.figure_id} prints {_pct_text(o)} but {c}/{d} is "
                                    f"{rounds(c, d, int(o.decimals), conv[0]):g}%")
        sources = sorted({o.source for o in rows})
        what = f"{group} / {variable} / {level}, printed in {len(rows)} places ({'; '.join(sources)})"
        if problems:
            found.append(("cross-reference", ids, "inconsistent", f"{what}: " + "; ".join(problems) + "."))
        else:
            found.append(("cross-reference", ids, "ok", f"{what}: they agree."))
    return found, twins


def _agree(texts: list[str], conv) -> bool:
    """Whether printed values (perhaps to different decimals) can all be roundings of one true value: their
    rounding intervals overlap. 63.28 and 63.3 agree; 63.28 and 63.2 do not."""
    if len(set(texts)) < 2:
        return True
    spans = []
    for t in texts:
        v, dec = grim.scaled(t)
        span = grim.interval(abs(v), conv).scaled(Fraction(1, 10 ** dec))
        spans.append((span.low, span.high) if v >= 0 else (-span.high, -span.low))
    return max(lo for lo, _ in spans) <= min(hi for _, hi in spans)


def _is_chain(rows: pd.DataFrame) -> bool:
    """Whether some level prints, as its denominator, the count of another level of the block (nested stages)."""
    counts = list(zip(rows["level"], rows["count"].astype(object)))
    return any(pd.notna(den) and any(c == den and lvl != level for lvl, c in counts)
               for level, den in zip(rows["level"], rows["denominator"].astype(object)))


def _chain(group, variable, rows):
    stages = list(rows.itertuples())
    ids = ";".join(rows["figure_id"])
    path = " -> ".join(f"{o.level} {int(o.count)}" for o in stages)
    rises = [(a, b) for a, b in zip(stages, stages[1:]) if b.count > a.count]
    name = f"{group} / {variable}"
    if not rises:
        return ("chain", ids, "ok", f"{name}: nested stages ({path}), each no larger than the one before.")
    a, b = rises[0]
    extra = int(b.count - a.count)
    return ("chain", ids, "ambiguous",
            f"{name}: nested stages ({path}), read in file order since a stage's denominator is an earlier stage's "
            f"count. {b.level!r} ({int(b.count)}) is larger than {a.level!r} ({int(a.count)}) before it, so it is "
            f"not part of it: {extra} {'comes' if extra == 1 else 'come'} from elsewhere (partial responses, say), and "
            "the file does not say which.")


def _sums(figs, sizes, headers, unaccounted=None):
    """Sum checks of every question block. ``unaccounted``, if given, collects for each group the largest number
    that a block with a printed denominator or header N leaves unaccounted for, with the block's figure ids (the
    completion check in :func:`_denominators` counts them as respondents with a gap)."""
    found, counted = [], _counted(figs)
    for group, variable, rows in _blocks(figs):
        if len(rows) < 2:
            continue
        if _is_chain(rows):
            found.append(_chain(group, variable, rows))
            continue
        ids, total = ";".join(rows["figure_id"]), int(rows["count"].sum())
        parts = " + ".join(str(int(c)) for c in rows["count"])
        levels = set(rows["level"])
        pcts = rows["reported_percent"]
        tol = 0.5 * len(rows) * 10 ** -int(rows["decimals"].max())
        pct_sum = float(sum(Decimal(t) for t in rows["percent_text"])) if pcts.notna().all() else None
        pct_whole = pct_sum is not None and abs(pct_sum - 100) <= tol
        srcs = set(rows["source"])
        header = None
        if len(srcs) == 1:
            src = next(iter(srcs))
            header = headers.get((src, group, variable), headers.get((src, group, None)))
        counts_only = header is not None and pcts.isna().all() and rows["denominator"].isna().all()
        exhaustive = {"Yes", "No"} <= levels or pct_whole or counts_only
        dens = sorted({int(d) for d in rows["denominator"].dropna()})
        name = f"{group} / {variable}"
        if not exhaustive and not dens and header is None:
            continue  # separate numbers that share a variable name (design facts, say): nothing to add up
        if len(dens) > 1:
            if exhaustive:
                found.append(("sum", ids, "inconsistent", f"{name}: the parts print different denominators "
                                                          f"({', '.join(map(str, dens))})."))
                continue
            shares = rows.dropna(subset=["denominator"]).groupby("denominator")["count"].sum()
            over = [f"{int(n)} > {int(d)}" for d, n in shares.items() if n > d]
            found.append(("sum", ids, "inconsistent" if over else "ok",
                          f"{name}: the parts ({parts}) print different denominators, so they are only checked not "
                          "to add up to more than the denominator they share: " +
                          (f"they do ({', '.join(over)})." if over else "they do not.")))
            continue
        if dens:
            expected, basis, firm = dens[0], "the printed denominator", True
        elif header is not None:
            expected, basis, firm = header, "the table's header N", True
        elif asked := _beside(counted, group, variable, srcs, total):
            expected, basis, firm = total, (f"the count of {asked} printed beside it (those asked, it seems)"), True
        elif group in sizes:
            expected, basis, firm = sizes[group], f"the size of group {group!r} (no denominator is printed)", False
        else:
            found.append(("sum", ids, "ambiguous", f"{name}: the parts add up to {total}; nothing to compare."))
            continue
        pct_note = f" The percentages add up to {pct_sum:g}." if pct_sum is not None else ""
        if header is not None and dens and header != dens[0]:
            found.append(("sum", ids, "inconsistent", f"{name}: the header N {header} differs from the "
                                                      f"denominator {dens[0]}."))
        elif exhaustive and pct_sum is not None and not pct_whole and total == expected:
            found.append(("sum", ids, "inconsistent", f"{name}: the percentages add up to {pct_sum:g}, more "
                                                      f"than rounding allows ({tol:g} points) from 100."))
        elif total == expected:
            found.append(("sum", ids, "ok", f"{name}: {parts} = {total}, {basis}.{pct_note}"))
        elif total > expected:
            found.append(("sum", ids, "inconsistent" if firm else "ambiguous",
                          f"{name}: the parts add up to {parts} = {total}, but {basis} is {expected}; "
                          f"{total - expected} too many." + pct_note))
        else:
            gap = f"{name}: the parts add up to {parts} = {total}, but {basis} is {expected}; " \
                  f"{expected - total} are unaccounted for."
            if unaccounted is not None and firm and (dens or header is not None) \
                    and expected - total > unaccounted.get(group, (0, ""))[0]:
                unaccounted[group] = (expected - total, ids)
            if pct_sum is not None and pct_sum < 100 - tol:
                found.append(("sum", ids, "ambiguous",
                              f"{gap} The percentages add up to {pct_sum:g}, short of 100 as well, so the "
                              "table leaves out a level or those who did not answer; it does not say which."))
            elif exhaustive:
                found.append(("sum", ids, "inconsistent" if firm else "ambiguous", gap + pct_note))
            else:
                found.append(("sum", ids, "ambiguous",
                              f"{gap} The levels printed may not be all the answers; the file does not say."))
    found += _partition_sums(figs, sizes)
    return found


def _beside(counted, group, variable, sources, total) -> str | None:
    """The figure id of a count of another question of the same group and sources that equals ``total``."""
    beside = counted[(counted["group"] == group) & counted["source"].isin(sources)
                     & (counted["variable"] != variable) & (counted["count"] == total)]
    return beside["figure_id"].iloc[0] if len(beside) else None


def _partition_sums(figs, sizes):
    found: list[tuple[str, str, str, str]] = []
    parts = _parts(figs, sizes)
    if not parts:
        return found
    keyed: dict[tuple[str, str], list] = {}
    for o in _counted(figs).drop_duplicates(["group", "variable", "level"]).itertuples():
        keyed.setdefault((o.variable, o.level), []).append(o)
    for (variable, level), rows in keyed.items():
        whole = [o for o in rows if o.group == "all"]
        pieces = [o for o in rows if o.group in parts]
        if not whole or not pieces:
            continue
        w, s = int(whole[0].count), sum(int(o.count) for o in pieces)
        every = {o.group for o in pieces} == set(parts)
        ok = (w == s) if every else (w >= s)
        ids = ";".join([o.figure_id for o in whole] + [o.figure_id for o in pieces])
        shown = " + ".join(f"{int(o.count)} ({o.group})" for o in pieces)
        rel = "=" if every else "at least"
        found.append(("sum", ids, "ok" if ok else "inconsistent",
                      f"{variable} / {level}: the groups {', '.join(parts)} make up 'all', so all's {w} should be "
                      f"{rel} {shown}{' = ' + str(s) if len(pieces) > 1 else ''}."))
    return found


class Gaps(NamedTuple):
    """Who can have a gap in their answers, against who must: see :func:`respondent_gaps`."""

    completed: int  # the respondents who completed every question that applied
    analysed: int  # the respondents analysed (group ``all``)
    at_least: int  # the fewest respondents with a gap that the printed denominators and blocks show
    by_group: dict[str, int]  # that shortfall, group by group
    partitioned: bool  # whether the groups split the respondents (then their shortfalls add up)
    figure_id: str  # the figure that prints the completed count

    @property
    def room(self) -> int:
        """Analysed less completed: the most respondents who can have a gap."""
        return self.analysed - self.completed


def respondent_gaps(figs: pd.DataFrame) -> Gaps | None:
    """The denominator check's numbers: how many respondents can have a gap (those who did not complete every
    question), and how many must, from printed denominators below a group's size and from question blocks whose
    counts fall short of it. None when the figures print no ``completed`` count or show no shortfall.
    """
    figs = _prepare(figs)
    sizes = group_sizes(figs)
    unaccounted: dict = {}
    _sums(figs, sizes, _headers(figs), unaccounted)
    _, shortfall, _ = _shortfalls(figs, sizes, unaccounted)
    return _gaps(figs, sizes, shortfall)


def _shortfalls(figs, sizes, unaccounted):
    """Per group, the larger of the skips its printed denominators show and the shortfall of a question block
    (``unaccounted``, from :func:`_sums`); with the findings for those denominators and the blocks' figure ids."""
    found = []
    shortfall: dict[str, int] = {}
    block_ids = []
    for group, size in sizes.items():
        rows = figs[(figs["group"] == group) & figs["denominator"].notna()]
        for den, sub in rows[rows["denominator"] < size].groupby("denominator"):
            den = int(den)
            shortfall[group] = max(shortfall.get(group, 0), size - den)
            found.append(("denominator", ";".join(sub["figure_id"]), "ambiguous",
                          f"{den} of the {size} in group {group!r} answered these items: {size - den} gave no "
                          "answer, and the file does not say who or why."))
    for group, (gap, ids) in (unaccounted or {}).items():
        if group in sizes and gap > shortfall.get(group, 0):
            shortfall[group] = gap
            block_ids.append(ids)
    return found, shortfall, block_ids


def _gaps(figs, sizes, shortfall) -> Gaps | None:
    completed = figs[(figs["level"] == "completed") & figs["count"].notna()]
    if not (len(completed) and "all" in sizes and shortfall):
        return None
    parts = _parts(figs, sizes)
    counted = {g: shortfall[g] for g in (parts or shortfall) if shortfall.get(g)}
    at_least = sum(counted.values()) if parts else max(shortfall.values())
    return Gaps(int(completed["count"].iloc[0]), sizes["all"], at_least, counted, bool(parts),
                completed["figure_id"].iloc[0])


def _denominators(figs, sizes, unaccounted=None):
    """Printed denominators below a group's size (who skipped items), and whether the count of those who
    completed leaves room for every respondent with a gap (:func:`respondent_gaps`)."""
    found, shortfall, block_ids = _shortfalls(figs, sizes, unaccounted)
    gaps = _gaps(figs, sizes, shortfall)
    if gaps is not None:
        ids = ";".join([gaps.figure_id] + [f[1] for f in found] + block_ids)
        status = "ok" if gaps.at_least <= gaps.room else "inconsistent"
        by_group = (f" ({', '.join(f'{n} {g}' for g, n in gaps.by_group.items())})"
                    if gaps.partitioned and len(gaps.by_group) > 1 else "")
        found.append(("denominator", ids, status,
                      f"{gaps.completed} of {gaps.analysed} completed every question that applied, so at most "
                      f"{gaps.room} can have a gap; the printed denominators and the questions' shortfalls show at "
                      f"least {gaps.at_least} with a gap{by_group}."))
    return found


def _means(figs, conv, headers, skip):
    """GRIM for means of whole-number items, GRIMMER for their SDs, DEBIT for 0/1 items."""
    found = []
    for r in figs[figs["mean"] != ""].itertuples():
        if r.figure_id in skip:
            continue
        n, basis = _denominator(r, headers)
        binary = pd.notna(r.scale_min) and pd.notna(r.scale_max) and (r.scale_min, r.scale_max) == (0, 1)
        if not binary and pd.isna(r.n_items):
            continue  # not declared as whole-number answers: nothing to check the granularity of
        check = "binary" if binary and r.sd else "mean"
        if n is None:
            found.append((check, r.figure_id, "ambiguous", f"The mean {r.mean} has no n (no denominator and no "
                                                           "header N), so it cannot be checked."))
            continue
        items = 1 if binary else int(r.n_items)
        low = None if pd.isna(r.scale_min) else int(r.scale_min)
        high = None if pd.isna(r.scale_max) else int(r.scale_max)
        if binary and r.sd:
            found.append(_debit(r, n, basis, conv))
            continue
        sums = grim.grim_sums(r.mean, n, items, conv, low, high)
        cells = f"{n} people x {items} items" if items > 1 else f"{n} people"
        if sums:
            found.append(("mean", r.figure_id, "ok", f"The mean {r.mean} of {cells}{basis} fits a total of "
                                                     f"{_span(sums)} (GRIM)."))
        else:
            alt = _alternatives(lambda cv: bool(grim.grim_sums(r.mean, n, items, cv, low, high)), conv)
            if alt:
                found.append(("mean", r.figure_id, "note", f"No whole-number total of {cells}{basis} gives the mean "
                                                           f"{r.mean} under {_file_rounding(conv)}; one does under "
                                                           f"{_how(alt)}."))
            else:
                found.append(("mean", r.figure_id, "inconsistent",
                              f"No whole-number total of {cells}{basis} gives the mean {r.mean} (GRIM): "
                              f"{_near_means(r.mean, n * items)}."))
            continue
        if r.sd:
            found.append(_grimmer(r, n, items, low, high, basis, conv))
    return found


def _near_means(mean: str, cells: int) -> str:
    m, dec = grim.scaled(mean)
    below = math.floor(Fraction(m * cells, 10 ** dec))
    return " and ".join(f"{s}/{cells} = {float(Fraction(s, cells)):.{dec + 2}f}" for s in (below, below + 1))


def _grimmer(r, n, items, low, high, basis, conv):
    if n < 2:
        return ("sd", r.figure_id, "ambiguous", f"The SD {r.sd} needs an n of at least 2, not {n}.")
    ok, reason = grim.grimmer(r.mean, r.sd, n, items, conv, low, high)
    cells = f"{n} people x {items} items" if items > 1 else f"{n} people"
    what = f"The mean {r.mean} and SD {r.sd} of {cells}{basis}"
    if ok:
        return ("sd", r.figure_id, "ok", f"{what} fit a whole-number sum of squares of the right parity (GRIMMER).")
    if ok is None:
        return ("sd", r.figure_id, "ambiguous", f"{what}: too many totals fit the mean to check them all.")
    why = {"sd": "no whole-number sum of squares gives that SD with that mean",
           "parity": "the sums of squares that give that SD are all of the wrong parity (odd where the total is "
                     "even, or the reverse)"}[reason]
    alt = _alternatives(lambda cv: bool(grim.grimmer(r.mean, r.sd, n, items, cv, low, high)[0]), conv)
    if alt:
        return ("sd", r.figure_id, "note", f"{what} do not fit under {_file_rounding(conv)} (GRIMMER: {why}); "
                                           f"they do under {_how(alt)}.")
    return ("sd", r.figure_id, "inconsistent", f"{what} do not fit (GRIMMER): {why}.")


def _debit(r, n, basis, conv):
    what = f"The mean {r.mean} and SD {r.sd} of {n} answers of 0 or 1{basis}"
    if grim.debit(r.mean, r.sd, n, conv):
        return ("binary", r.figure_id, "ok", f"{what} fit some count of ones (DEBIT).")
    alt = _alternatives(lambda cv: grim.debit(r.mean, r.sd, n, cv), conv)
    if alt:
        return ("binary", r.figure_id, "note", f"{what} fit together only under {_how(alt)} (DEBIT).")
    return ("binary", r.figure_id, "inconsistent", f"{what} do not fit any count of ones (DEBIT).")


def audit(figs: pd.DataFrame, register: pd.DataFrame | None = None, rounding: str = "auto",
          table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every check on a figures table (:func:`read_figures`), as findings; ``register`` links the assumptions.

    Columns: ``check`` (range / percentage / sum / chain / cross-reference / denominator / mean / sd / binary),
    ``figure_ids`` (``;``-separated), ``status``, ``explanation``, ``assumptions`` (``;``-separated register ids,
    empty if none). Sorted by status: inconsistent, ambiguous, note, ok. ``rounding`` is a key of
    :data:`ROUNDING_CHOICES`; ``table``: :func:`conventions` of ``figs``, if already made.
    """
    figs = _prepare(figs)
    conv, _ = choose_rounding(figs, rounding, table)
    sizes, headers = group_sizes(figs), _headers(figs)
    ranges, skip_pct, skip_mean = _ranges(figs, headers)
    cross, twins = _cross_references(figs, conv, headers)
    unaccounted: dict[str, tuple[int, str]] = {}  # group -> (largest shortfall, its block's figure ids)
    rows = (ranges + _percentages(figs, conv, sizes, twins, headers, skip_pct)
            + _sums(figs, sizes, headers, unaccounted) + cross
            + _denominators(figs, sizes, unaccounted) + _means(figs, conv, headers, skip_mean))
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS[:-1]))
    bearing = _bearing(register)
    out["assumptions"] = [";".join(a for a in bearing if bearing[a] & set(ids.split(";"))) for ids in out["figure_ids"]]
    order = out["status"].map(_STATUS_ORDER)
    return out.assign(_o=order).sort_values(["_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


def _bearing(register: pd.DataFrame | None) -> dict[str, set[str]]:
    """Register id -> the figure ids it bears on, for the kinds in :data:`REGISTER_KINDS` (in register order)."""
    if register is None or register.empty:
        return {}
    return {r.assumption_id: set(filter(None, r.figure_ids.split(";"))) for r in register.itertuples()
            if r.kind in REGISTER_KINDS}


def implied_ranges(figs: pd.DataFrame, figure_ids: list[str]) -> pd.DataFrame:
    """For rows with a count and a percentage: the lowest and highest denominator that give the percentage.

    >>> implied_ranges(read_figures(), ["conf_confident", "train_local"])[["figure_id", "low", "high", "printed"]]
            figure_id  low  high  printed
    0  conf_confident   74    74       76
    1     train_local   72    78     <NA>
    """
    figs = _prepare(figs)
    conv, _ = choose_rounding(figs)
    sizes = group_sizes(figs)
    rows = []
    for fid in figure_ids:
        r = figs.loc[figs["figure_id"] == fid].iloc[0]
        dens = implied_denominators(int(r["count"]), r["percent_text"], None, conv)
        rows.append({"figure_id": fid, "count": int(r["count"]), "percent": float(r["reported_percent"]),
                     "low": dens[0] if dens else None, "high": dens[-1] if dens else None,
                     "printed": r["denominator"], "group_size": sizes.get(r["group"])})
    out = pd.DataFrame(rows)
    return out.astype({"printed": "Int64", "low": "Int64", "high": "Int64"})


def render(findings: pd.DataFrame, table: pd.DataFrame, fmt: str = "table", source: str = "",
           rounding: str = "") -> str:
    """The findings as text (``table``), ``csv`` or ``json``; ``rounding`` is :func:`choose_rounding`'s sentence."""
    if fmt == "csv":
        return findings.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps({"file": source, "rounding": rounding, "conventions": table.to_dict(orient="records"),
                           "findings": findings.to_dict(orient="records")}, indent=1) + "\n"
    counts = findings["status"].value_counts()
    lines = [f"Audit of {source}: {len(findings)} checks: " + ", ".join(
        f"{int(counts.get(s, 0))} {s}{'s' if s == 'note' and counts.get(s, 0) != 1 else ''}" for s in _STATUS_ORDER)
        + ".", f"Rounding: {rounding or 'as inferred'}."]
    for r in findings.itertuples():
        link = f" [register: {r.assumptions.replace(';', ', ')}]" if r.assumptions else ""
        lines.append(f"{r.status.upper():<12} {r.check:<15} {r.figure_ids}\n{'':<28}{r.explanation}{link}")
    return "\n".join(lines) + "\n"
