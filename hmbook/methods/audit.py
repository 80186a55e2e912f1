"""An audit of a paper's own numbers: percentages, sums and cross-references, read from a figures file.

The input is any CSV with the columns of ``data/published/figures.csv`` (``FIGURE_COLUMNS``). Nothing about this
paper is built in: which rows form a block to sum and which rows report the same quantity is derived from the
``source``, ``group``, ``variable`` and ``level`` columns by the rules below, so the audit runs on another paper's
figures file unchanged.

The rules
---------
* **Special rows.** A ``level`` of ``answered`` is a header's n; ``minimum``/``maximum`` hold a range's ends. They
  take part in cross-references and headers only. A ``variable`` of ``respondents`` is the header of its source.
* **Group size.** The size of a group is the denominator printed most often in that group (ties: the larger).
  Groups other than ``all`` *partition* ``all`` when their sizes add up to its size.
* **Same quantity** (cross-references): rows with the same ``group``, ``variable`` and ``level``, whatever their
  source. Their counts, denominators and percentages must agree.
* **Question block** (sums): rows with the same ``group`` and ``variable`` that carry a count, one per distinct
  ``level``. The block is *exhaustive* when its levels include ``Yes`` and ``No``, or when every part prints a
  percentage and the percentages add up to 100 within rounding (half a unit per part), or when its rows all come
  from one source that has a header n and print neither percentages nor denominators. An exhaustive block must
  add up to its total: the denominator its parts print; failing that the header of their one source; failing that
  the group's size (then a mismatch is only ``ambiguous``). The levels of one variable are taken to be exclusive
  answers (one per respondent; a multi-response item is one variable per option, as in ``figures.csv``), so parts
  that print the same denominator may never add up to more than it, exhaustive or not.
* **Partition.** Where groups partition ``all``, a count in ``all`` equals the sum of the same variable and level
  over the parts (and is at least the sum when only some parts print it).
* **Percentages.** A printed percentage is compared with count / denominator under each rounding convention in
  :data:`CONVENTIONS`, to the number of decimals printed. The paper's conventions are those consistent with every
  percentage that some convention can produce. Where a figure prints no denominator, or does not fit, a GRIM-style
  search lists every denominator (and count) that could produce it, and names the likely one.
* **Denominators.** A printed denominator below the group's size means some of the group did not answer; if the
  file has a ``completed`` count, the gaps must fit in the respondents who did not complete.

Each finding has the check, the figure ids, a status (``ok`` / ``inconsistent`` / ``ambiguous``), an explanation,
and the assumption-register entries whose ``figure_ids`` overlap it (kinds contradiction, ambiguity, gap and
derivation: the entries about the paper's numbers rather than about the synthetic rows).

>>> from hmbook.data import published
>>> figs = read_figures()
>>> found = audit(figs, published.assumptions())
>>> found.loc[found["figure_ids"] == "flow_consented", ["check", "status", "assumptions"]].values.tolist()
[['percentage', 'inconsistent', 'A26']]
>>> implied_denominators(43, 58)
[74]
>>> rounds(1, 8, 1, "half_up"), rounds(1, 8, 1, "half_even"), rounds(1, 8, 1, "truncate")
(12.5, 12.5, 12.5)
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from hmbook import io, paths
from hmbook.data.published import FIGURE_COLUMNS
from hmbook.errors import DataError

__all__ = [
    "CONVENTIONS", "NEAREST", "SPECIAL_LEVELS", "REGISTER_KINDS", "FINDING_COLUMNS", "read_figures", "rounds", "fits",
    "implied_denominators", "implied_counts", "group_sizes", "conventions", "audit", "implied_ranges", "render",
]

#: Rounding conventions tested against every printed percentage.
CONVENTIONS = ("half_up", "half_even", "half_down", "truncate", "ceiling")
#: The round-to-nearest conventions, the default of the search functions (they differ only at exact halves).
NEAREST = CONVENTIONS[:3]
SPECIAL_LEVELS = ("answered", "minimum", "maximum")
#: Register kinds that speak about the paper's numbers (the others are about the synthetic rows).
REGISTER_KINDS = ("contradiction", "ambiguity", "gap", "derivation")
FINDING_COLUMNS = ("check", "figure_ids", "status", "explanation", "assumptions")
_STATUS_ORDER = {"inconsistent": 0, "ambiguous": 1, "ok": 2}


# ---------------------------------------------------------------------------------------------------- reading
def read_figures(path: str | Path = paths.FIGURES_CSV) -> pd.DataFrame:
    """Read a figures file strictly; raise :class:`~hmbook.errors.DataError` with a one-line reason if it is bad.

    Counts and denominators must be whole numbers; percentages may have decimals (kept in ``decimals``).
    """
    path = Path(path)
    try:
        raw = io.read_csv_strings(path)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    except pd.errors.ParserError as err:
        raise DataError(f"{path}: not a readable CSV file ({str(err).splitlines()[0]})") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text CSV file (not UTF-8)") from None
    missing = [c for c in FIGURE_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"{path}: missing column(s): {', '.join(missing)}")
    if raw.empty:
        raise DataError(f"{path}: the file has no rows")
    df = raw[list(FIGURE_COLUMNS)].apply(lambda s: s.str.strip())
    if (df["figure_id"] == "").any():
        raise DataError(f"{path}: row {int((df['figure_id'] == '').idxmax()) + 2} has no figure_id")
    dup = df["figure_id"][df["figure_id"].duplicated()]
    if len(dup):
        raise DataError(f"{path}: figure_id {dup.iloc[0]!r} appears more than once")
    out = df[["figure_id", "source", "group", "variable", "level"]].copy()
    for col in ("count", "denominator"):
        bad = (df[col] != "") & ~df[col].str.fullmatch(r"\d+")
        if bad.any():
            i = int(bad.idxmax())
            raise DataError(f"{path}: row {i + 2} ({df.at[i, 'figure_id']}): {col} {df.at[i, col]!r} "
                            "is not a whole number")
        out[col] = pd.array([int(v) if v else None for v in df[col]], dtype="Int64")
    bad = (df["reported_percent"] != "") & ~df["reported_percent"].str.fullmatch(r"\d+(\.\d+)?")
    if bad.any():
        i = int(bad.idxmax())
        raise DataError(f"{path}: row {i + 2} ({df.at[i, 'figure_id']}): reported_percent "
                        f"{df.at[i, 'reported_percent']!r} is not a number")
    out["reported_percent"] = pd.to_numeric(df["reported_percent"].replace("", None)).astype("Float64")
    out["decimals"] = df["reported_percent"].str.partition(".")[2].str.len().astype(int)
    zero = out["denominator"].eq(0).fillna(False)
    if zero.any():
        raise DataError(f"{path}: row {int(zero.idxmax()) + 2}: a denominator of 0")
    return out


# ---------------------------------------------------------------------------------------------------- rounding
def _scaled(count, den, decimals):
    """100 * count / den * 10**decimals as an exact pair (numerator, denominator) of integers (arrays allowed)."""
    return np.asarray(count, dtype=np.int64) * 100 * 10 ** decimals, np.asarray(den, dtype=np.int64)


def _round(num, den, convention):
    """Round num/den (non-negative integers, arrays allowed) to a whole number under ``convention``, exactly."""
    q, r = np.divmod(num, den)
    if convention == "truncate":
        return q
    if convention == "ceiling":
        return q + (r > 0)
    twice = 2 * r
    up = (twice > den) | ((twice == den) & {"half_up": True, "half_down": False}.get(convention, q % 2 == 1))
    if convention not in ("half_up", "half_down", "half_even"):
        raise ValueError(f"unknown rounding convention {convention!r}; choose from {CONVENTIONS}")
    return q + up


def rounds(count: int, den: int, decimals: int = 0, convention: str = "half_up") -> float:
    """count / den as a percentage rounded to ``decimals`` places under ``convention`` (exact arithmetic).

    >>> rounds(9, 72), rounds(9, 72, convention="half_even"), rounds(140, 184)
    (13.0, 12.0, 76.0)
    """
    num, d = _scaled(count, den, decimals)
    return float(_round(num, d, convention)) / 10 ** decimals


def fits(count: int, den: int, percent: float, decimals: int = 0, conventions=NEAREST) -> bool:
    """Whether count / den rounds to the printed ``percent`` under any of ``conventions``.

    >>> fits(43, 76, 58), fits(43, 74, 58)
    (False, True)
    """
    target = round(percent * 10 ** decimals)
    num, d = _scaled(count, den, decimals)
    return any(int(_round(num, d, c)) == target for c in conventions)


def _fitting(nums, dens, target, conventions):
    hit = np.zeros(np.broadcast(nums, dens).shape, dtype=bool)
    for c in conventions:
        hit |= _round(nums, dens, c) == target
    return hit


def implied_denominators(count: int, percent: float, decimals: int = 0, conventions=NEAREST,
                         upto: int | None = None) -> list[int]:
    """Every denominator (from ``count`` up to ``upto``) with which ``count`` gives the printed percentage: GRIM.

    >>> implied_denominators(44, 59), implied_denominators(30, 41), implied_denominators(140, 98)
    ([74, 75], [73, 74], [143])
    >>> implied_denominators(9, 12), implied_denominators(9, 12, conventions=("half_up",))[0]
    ([72, 73, 74, 75, 76, 77, 78], 73)
    """
    upto = upto or max(1000, 20 * count)
    dens = np.arange(max(count, 1), upto + 1, dtype=np.int64)
    num, _ = _scaled(count, 1, decimals)
    hit = _fitting(num, dens, round(percent * 10 ** decimals), conventions)
    return [int(d) for d in dens[hit]]


def implied_counts(den: int, percent: float, decimals: int = 0, conventions=NEAREST) -> list[int]:
    """Every count out of ``den`` that gives the printed percentage.

    >>> implied_counts(184, 98), implied_counts(90, 32), implied_counts(14, 53)
    ([180, 181], [29], [])
    """
    counts = np.arange(0, den + 1, dtype=np.int64)
    num, d = _scaled(counts, den, decimals)
    return [int(c) for c in counts[_fitting(num, d, round(percent * 10 ** decimals), conventions)]]


def _span(values: list[int]) -> str:
    if not values:
        return "none"
    runs, start = [], values[0]
    for a, b in zip(values, values[1:] + [None]):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ", ".join(runs)


# ---------------------------------------------------------------------------------------------------- structure
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
    for (group, variable), rows in counted.groupby(["group", "variable"], sort=False):
        full = rows[["denominator", "reported_percent"]].notna().sum(axis=1)
        rows = rows.assign(_full=full).sort_values("_full", ascending=False, kind="stable")
        yield group, variable, rows.drop_duplicates("level").drop(columns="_full").sort_index()


def _headers(figs: pd.DataFrame) -> dict:
    """(source, group, variable or None) -> header count: level 'answered' rows, and variable 'respondents'."""
    out = {}
    for r in figs[figs["count"].notna()].itertuples():
        if r.level == "answered":
            out[(r.source, r.group, r.variable)] = int(r.count)
        elif r.variable == "respondents":
            out[(r.source, r.group, None)] = int(r.count)
    return out


# ---------------------------------------------------------------------------------------------------- checks
def conventions(figs: pd.DataFrame) -> pd.DataFrame:
    """For each rounding convention: how many printed percentages (with count and denominator) it reproduces.

    ``consistent`` is true for the conventions that reproduce every percentage that any convention reproduces.
    """
    full = figs.dropna(subset=["count", "denominator", "reported_percent"])
    table = pd.DataFrame({c: [fits(int(r.count), int(r.denominator), float(r.reported_percent), int(r.decimals),
                                   (c,)) for r in full.itertuples()] for c in CONVENTIONS}, index=full.index)
    possible = table.any(axis=1)
    return pd.DataFrame({
        "convention": list(CONVENTIONS),
        "percentages": [len(full)] * len(CONVENTIONS),
        "reproduced": [int(table[c].sum()) for c in CONVENTIONS],
        "consistent": [bool(table.loc[possible, c].all()) for c in CONVENTIONS],
    })


def _pct_text(r) -> str:
    return f"{float(r.reported_percent):.{int(r.decimals)}f}%"


def _percentages(figs, conv, sizes, twins):
    """Printed percentages against their counts, with a GRIM search where the denominator is missing or wrong."""
    found = []
    for r in figs.dropna(subset=["reported_percent"]).itertuples():
        pct, dec = float(r.reported_percent), int(r.decimals)
        p = _pct_text(r)
        if pd.notna(r.count) and pd.notna(r.denominator):
            c, d = int(r.count), int(r.denominator)
            if fits(c, d, pct, dec, conv):
                found.append(("percentage", r.figure_id, "ok", f"{c}/{d} rounds to {p}."))
                continue
            dens, counts = implied_denominators(c, pct, dec, conv), implied_counts(d, pct, dec, conv)
            block = figs[(figs["group"] == r.group) & (figs["variable"] == r.variable)]
            parts = _counted(block).drop_duplicates("level")["count"]
            likely = int(parts.sum()) if len(parts) > 1 and int(parts.sum()) in dens else None
            why = (f"{c}/{d} is {rounds(c, d, dec, conv[0]):g}%, not the printed {p}. Denominators that give {p} "
                   f"with {c}: {_span(dens)}; counts that give it out of {d}: {_span(counts)}. ")
            why += (f"The parts of this question add up to {likely}, so {c}/{likely} is the likely reading."
                    if likely else "No other figure of the file supplies such a denominator: the percentage "
                                   "itself is probably misprinted.")
            found.append(("percentage", r.figure_id, "inconsistent", why))
        elif pd.notna(r.count):
            found.append(_missing_denominator(figs, r, conv, sizes))
        elif r.figure_id not in twins:  # a percentage alone; with a twin, the cross-reference checks it
            found.append(_percentage_alone(figs, r, conv, sizes))
    return found


def _missing_denominator(figs, r, conv, sizes):
    c, pct, dec, p = int(r.count), float(r.reported_percent), int(r.decimals), _pct_text(r)
    dens = implied_denominators(c, pct, dec, conv)
    known = []  # (denominator, where it comes from), the firmest first
    block = figs[(figs["group"] == r.group) & (figs["variable"] == r.variable)]
    known += [(int(d), "printed with this question") for d in block["denominator"].dropna().unique()]
    if r.group in sizes:
        known.append((sizes[r.group], f"the size of group {r.group!r}"))
    same_source = _counted(figs[(figs["source"] == r.source) & (figs["group"] == r.group)])
    known += [(int(o.count), f"the count of {o.figure_id}") for o in same_source.itertuples()
              if o.figure_id != r.figure_id]
    parts = _counted(block).drop_duplicates("level")["count"]
    total = int(parts.sum())
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


def _subsets(values: list[int], target: int) -> int:
    """How many subsets of ``values`` add up to ``target`` (dynamic programming)."""
    ways = np.zeros(target + 1, dtype=object)
    ways[0] = 1
    for v in values:
        if v <= target:
            ways[v:] = ways[v:] + ways[:target + 1 - v]
    return int(ways[target])


def _one_subset(block: pd.DataFrame, counts: list[int]) -> list[str]:
    """The levels of the one subset of ``block`` whose counts add up to one of ``counts`` (small blocks only)."""
    levels, values = list(block["level"]), [int(v) for v in block["count"]]
    for mask in range(1, 2 ** min(len(values), 20)):
        chosen = [i for i in range(len(values)) if mask >> i & 1]
        if sum(values[i] for i in chosen) in counts:
            return [levels[i] for i in chosen]
    return []


def _stems(text: str) -> set[str]:
    return {w[:5] for w in "".join(ch if ch.isalnum() else " " for ch in text.lower()).split() if len(w) > 3}


def _level_sets(block: pd.DataFrame, level: str, counts: list[int]) -> tuple[int, int]:
    """How many sets of the printed levels in ``block`` add up to one of ``counts``, and how many of those use only
    levels whose labels share a word with ``level``."""
    rows = [int(v) for v in block["count"]]
    near = [int(o.count) for o in block.itertuples() if _stems(o.level) & _stems(level)]
    return sum(_subsets(rows, c) for c in counts), sum(_subsets(near, c) for c in counts)


def level_sets(figs: pd.DataFrame, figure_id: str) -> tuple[int, int]:
    """For a percentage printed for a level that is not one of its variable's printed levels (a group the text
    derives, such as "psychology/mental health"): how many sets of the printed levels give it, and how many of
    those use only levels whose labels share a word with it (the numbers the audit's finding explains).

    >>> level_sets(read_figures(), "demo_psych_mh")[0] > 1
    True
    """
    if "decimals" not in figs.columns:
        figs = figs.assign(decimals=0, reported_percent=figs["reported_percent"].astype("Float64"))
    table = conventions(figs)
    conv = tuple(table.loc[table["consistent"], "convention"]) or ("half_up",)
    r = figs.loc[figs["figure_id"] == figure_id].iloc[0]
    den = int(r.denominator) if pd.notna(r.denominator) else group_sizes(figs).get(r.group)
    block = _counted(figs[(figs["group"] == r.group) & (figs["variable"] == r.variable)]).drop_duplicates("level")
    return _level_sets(block, r.level, implied_counts(den, float(r.reported_percent), int(r.decimals), conv))


def _percentage_alone(figs, r, conv, sizes):
    pct, dec, p = float(r.reported_percent), int(r.decimals), _pct_text(r)
    den = int(r.denominator) if pd.notna(r.denominator) else sizes.get(r.group)
    block = _counted(figs[(figs["group"] == r.group) & (figs["variable"] == r.variable)]).drop_duplicates("level")
    counts = implied_counts(den, pct, dec, conv) if den else []
    if den and len(block) and r.level not in set(block["level"]):
        n_sets, n_near = _level_sets(block, r.level, counts)
        if n_sets == 1:
            chosen = _one_subset(block, counts)
            return ("percentage", r.figure_id, "ok",
                    f"{r.level!r} is not a printed level of {r.variable!r}, but only one set of levels gives {p} of "
                    f"{den}: {', '.join(map(repr, chosen))}.")
        return ("percentage", r.figure_id, "ambiguous",
                f"{r.level!r} is not one of the {len(block)} printed levels of {r.variable!r}. {p} of {den} is "
                f"{_span(counts)}; {n_sets} different sets of the printed levels add up to that, {n_near} of "
                "them using only levels whose labels share a word with it. The paper does not say which.")
    file_dens = sorted({int(d) for d in figs["denominator"].dropna()} | set(sizes.values()))
    usable = [f"{d} ({_span(implied_counts(d, pct, dec, conv))})" for d in file_dens
              if implied_counts(d, pct, dec, conv)]
    smallest = next(d for d in range(1, 10 ** (dec + 3)) if implied_counts(d, pct, dec, conv))
    return ("percentage", r.figure_id, "ambiguous",
            f"{p} is printed with no count or denominator, so it cannot be checked. Of the denominators in this "
            f"file, those that can give it (with the count) are: {', '.join(usable) or 'none'}; the smallest "
            f"denominator that can give it at all is {smallest}.")


def _cross_references(figs, conv):
    found, twins = [], set()
    for (group, variable, level), rows in figs.groupby(["group", "variable", "level"], sort=False):
        if len(rows) < 2:
            continue
        twins |= set(rows["figure_id"])
        ids = ";".join(rows["figure_id"])
        problems = []
        for field in ("count", "denominator", "reported_percent"):
            vals = rows[field].dropna().unique()
            if len(vals) > 1:
                shown = ", ".join(f"{o.figure_id} ({o.source}) {getattr(o, field):g}" for o in rows.itertuples()
                                  if pd.notna(getattr(o, field)))
                problems.append(f"the {field.replace('reported_', '')}s differ: {shown}")
        full = rows.dropna(subset=["count", "denominator"])
        if len(full):
            c, d = int(full["count"].iloc[0]), int(full["denominator"].iloc[0])
            for o in rows[rows["count"].isna() & rows["reported_percent"].notna()].itertuples():
                if not fits(c, d, float(o.reported_percent), int(o.decimals), conv):
                    problems.append(f"{o.figure_id} prints {_pct_text(o)} but {c}/{d} is "
                                    f"{rounds(c, d, int(o.decimals), conv[0]):g}%")
        sources = sorted(set(rows["source"]))
        what = f"{group} / {variable} / {level}, printed in {len(rows)} places ({'; '.join(sources)})"
        if problems:
            found.append(("cross-reference", ids, "inconsistent", f"{what}: " + "; ".join(problems) + "."))
        else:
            found.append(("cross-reference", ids, "ok", f"{what}: they agree."))
    return found, twins


def _sums(figs, sizes):
    found, headers, counted = [], _headers(figs), _counted(figs)
    for group, variable, rows in _blocks(figs):
        if len(rows) < 2:
            continue
        ids, total = ";".join(rows["figure_id"]), int(rows["count"].sum())
        parts = " + ".join(str(int(c)) for c in rows["count"])
        levels = set(rows["level"])
        pcts = rows["reported_percent"]
        tol = 0.5 * len(rows) * 10 ** -int(rows["decimals"].max())
        pct_sum = float(pcts.sum()) if pcts.notna().all() else None
        srcs = set(rows["source"])
        header = None
        if len(srcs) == 1:
            src = next(iter(srcs))
            header = headers.get((src, group, variable), headers.get((src, group, None)))
        exhaustive = ({"Yes", "No"} <= levels or (pct_sum is not None and abs(pct_sum - 100) <= tol)
                      or (header is not None and pcts.isna().all() and rows["denominator"].isna().all()))
        dens = sorted({int(d) for d in rows["denominator"].dropna()})
        name = f"{group} / {variable}"
        if not exhaustive and not dens:
            continue  # separate numbers that share a variable name (design facts, say): nothing to add up
        if not exhaustive:
            shares = rows.dropna(subset=["denominator"]).groupby("denominator")["count"].sum()
            over = [f"{int(n)} > {int(d)}" for d, n in shares.items() if n > d]
            found.append(("sum", ids, "inconsistent" if over else "ok",
                          f"{name}: the parts ({parts}) do not cover the whole question, so they are only checked "
                          "not to add up to more than the denominator they share: " +
                          (f"they do ({', '.join(over)})." if over else "they do not.")))
            continue
        if len(dens) > 1:
            found.append(("sum", ids, "inconsistent", f"{name}: the parts print different denominators "
                                                      f"({', '.join(map(str, dens))})."))
            continue
        beside = counted[(counted["group"] == group) & counted["source"].isin(srcs)
                         & (counted["variable"] != variable) & (counted["count"] == total)]
        asked = list(beside.itertuples())
        if dens:
            expected, basis, firm = dens[0], "the printed denominator", True
        elif header is not None:
            expected, basis, firm = header, "the table's header n", True
        elif asked:
            expected, basis, firm = total, (f"the count of {asked[0].figure_id} printed beside it (those asked, "
                                            "it seems)"), True
        elif group in sizes:
            expected, basis, firm = sizes[group], f"the size of group {group!r} (no denominator is printed)", False
        else:
            found.append(("sum", ids, "ambiguous", f"{name}: the parts add up to {total}; nothing to compare."))
            continue
        pct_note = f" The percentages add up to {pct_sum:g}." if pct_sum is not None else ""
        if header is not None and dens and header != dens[0]:
            found.append(("sum", ids, "inconsistent", f"{name}: the header n {header} differs from the "
                                                      f"denominator {dens[0]}."))
        elif pct_sum is not None and abs(pct_sum - 100) > tol:
            found.append(("sum", ids, "inconsistent", f"{name}: the percentages add up to {pct_sum:g}, more "
                                                      f"than rounding allows ({tol:g} points) from 100."))
        elif total == expected:
            found.append(("sum", ids, "ok", f"{name}: {parts} = {total}, {basis}.{pct_note}"))
        else:
            found.append(("sum", ids, "inconsistent" if firm else "ambiguous",
                          f"{name}: the parts add up to {parts} = {total}, but {basis} is {expected}; "
                          f"{abs(expected - total)} {'are unaccounted for' if total < expected else 'too many'}."
                          + pct_note))
    found += _partition_sums(figs, sizes)
    return found


def _partition_sums(figs, sizes):
    found, parts = [], _parts(figs, sizes)
    if not parts:
        return found
    counted = _counted(figs).drop_duplicates(["group", "variable", "level"])
    for (variable, level), rows in counted.groupby(["variable", "level"], sort=False):
        whole = rows[rows["group"] == "all"]
        pieces = rows[rows["group"].isin(parts)]
        if whole.empty or pieces.empty:
            continue
        w, s = int(whole["count"].iloc[0]), int(pieces["count"].sum())
        every = set(pieces["group"]) == set(parts)
        ok = (w == s) if every else (w >= s)
        ids = ";".join(list(whole["figure_id"]) + list(pieces["figure_id"]))
        shown = " + ".join(f"{int(o.count)} ({o.group})" for o in pieces.itertuples())
        rel = "=" if every else "at least"
        found.append(("sum", ids, "ok" if ok else "inconsistent",
                      f"{variable} / {level}: the groups {', '.join(parts)} make up 'all', so all's {w} should be "
                      f"{rel} {shown}{' = ' + str(s) if len(pieces) > 1 else ''}."))
    return found


def _denominators(figs, sizes):
    found = []
    shortfall = {}
    for group, size in sizes.items():
        rows = figs[(figs["group"] == group) & figs["denominator"].notna()]
        for den, sub in rows[rows["denominator"] < size].groupby("denominator"):
            den = int(den)
            shortfall[group] = max(shortfall.get(group, 0), size - den)
            found.append(("denominator", ";".join(sub["figure_id"]), "ambiguous",
                          f"{den} of the {size} in group {group!r} answered these items: {size - den} gave no "
                          "answer, and the file does not say who or why."))
    completed = figs[(figs["level"] == "completed") & figs["count"].notna()]
    if len(completed) and "all" in sizes and shortfall:
        done = int(completed["count"].iloc[0])
        parts = _parts(figs, sizes)
        gaps = sum(shortfall.get(g, 0) for g in parts) if parts else max(shortfall.values())
        room = sizes["all"] - done
        ids = ";".join([completed["figure_id"].iloc[0]] + [f[1] for f in found])
        status = "ok" if gaps <= room else "inconsistent"
        found.append(("denominator", ids, status,
                      f"{done} of {sizes['all']} completed every question that applied, so at most {room} can have "
                      f"a gap; the printed denominators show at least {gaps} with a gap."))
    return found


def audit(figs: pd.DataFrame, register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every check on a figures table (:func:`read_figures`), as findings; ``register`` links the assumptions.

    Columns: ``check`` (percentage / sum / cross-reference / denominator), ``figure_ids`` (``;``-separated),
    ``status``, ``explanation``, ``assumptions`` (``;``-separated register ids, empty if none). Sorted with the
    inconsistent findings first.
    """
    if "decimals" not in figs.columns:
        figs = figs.assign(decimals=0, reported_percent=figs["reported_percent"].astype("Float64"))
    sizes = group_sizes(figs)
    table = conventions(figs)
    conv = tuple(table.loc[table["consistent"], "convention"]) or ("half_up",)
    cross, twins = _cross_references(figs, conv)
    rows = _percentages(figs, conv, sizes, twins) + _sums(figs, sizes) + cross + _denominators(figs, sizes)
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
    conv = tuple(t for t in conventions(figs).query("consistent")["convention"]) or ("half_up",)
    sizes = group_sizes(figs)
    rows = []
    for fid in figure_ids:
        r = figs.loc[figs["figure_id"] == fid].iloc[0]
        dens = implied_denominators(int(r["count"]), float(r["reported_percent"]), int(r["decimals"]), conv)
        rows.append({"figure_id": fid, "count": int(r["count"]), "percent": float(r["reported_percent"]),
                     "low": min(dens) if dens else None, "high": max(dens) if dens else None,
                     "printed": r["denominator"], "group_size": sizes.get(r["group"])})
    out = pd.DataFrame(rows)
    return out.astype({"printed": "Int64", "low": "Int64", "high": "Int64"})


def render(findings: pd.DataFrame, table: pd.DataFrame, fmt: str = "table", source: str = "") -> str:
    """The findings as text (``table``), ``csv`` or ``json``."""
    if fmt == "csv":
        return findings.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps({"file": source, "conventions": table.to_dict(orient="records"),
                           "findings": findings.to_dict(orient="records")}, indent=1) + "\n"
    counts = findings["status"].value_counts()
    lines = [f"Audit of {source}: {len(findings)} checks: " + ", ".join(
        f"{int(counts.get(s, 0))} {s}" for s in _STATUS_ORDER) + ".",
        "Rounding conventions that reproduce every percentage any convention can: "
        + (", ".join(table.loc[table["consistent"], "convention"]) or "none") + "."]
    for r in findings.itertuples():
        link = f" [register: {r.assumptions.replace(';', ', ')}]" if r.assumptions else ""
        lines.append(f"{r.status.upper():<12} {r.check:<15} {r.figure_ids}\n{'':<28}{r.explanation}{link}")
    return "\n".join(lines) + "\n"
