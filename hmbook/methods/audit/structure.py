"""What a figures table says about its own shape, read from its ``source``, ``group``, ``variable`` and ``level``
columns: header Ns, each row's denominator, group sizes, question blocks, the rows that report one quantity, and the
numbers no share or scale allows. Pure functions of the typed table (:func:`hmbook.data.published.figures`); the
checks read them through :class:`~hmbook.methods.audit.context.Context`."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pandas as pd

from hmbook import grim
from hmbook.data import published
from hmbook.errors import DataError

__all__ = ["SPECIAL_LEVELS", "require_typed", "group_sizes", "partition", "headers", "denominator", "counted",
           "Index", "by_quantity", "Block", "blocks", "shortfalls", "out_of_range", "level_sets", "MAX_SUBSET_SUMS"]

#: Levels that are not answers: a table's header N (``answered``) and a range's ends.
SPECIAL_LEVELS = ("answered", "minimum", "maximum")
#: Subset counting stops beyond this many distinct sums (the answer is then "too many to count").
MAX_SUBSET_SUMS = 50_000

Row = Any  # a row of the typed table, as pandas' itertuples gives it


def require_typed(figs: pd.DataFrame) -> pd.DataFrame:
    """``figs`` if it is the typed form (:func:`hmbook.data.published.figures` or ``figures_table``); else a
    one-line :class:`DataError` saying how to make one."""
    missing = [c for c in published.TYPED_COLUMNS if c not in figs.columns]
    if missing:
        raise DataError(f"not a typed figures table (no column {missing[0]!r}): read a file with "
                        "hmbook.data.published.figures, or make one in code with published.figures_table")
    return figs


def group_sizes(figs: pd.DataFrame) -> dict[str, int]:
    """The size of each group: its most often printed denominator (ties: the larger).

    >>> group_sizes(published.figures())
    {'all': 90, 'non_users': 14, 'users': 76}
    """
    sizes = {}
    for group, dens in figs.dropna(subset=["denominator"]).groupby("group")["denominator"]:
        seen = Counter(int(d) for d in dens)
        sizes[group] = max(seen, key=lambda d: (seen[d], d))
    return sizes


def partition(sizes: dict[str, int]) -> list[str]:
    """The groups other than ``all``, when their sizes add up to its size (they split the respondents); else []."""
    others = [g for g in sizes if g != "all"]
    if "all" in sizes and others and sum(sizes[g] for g in others) == sizes["all"]:
        return others
    return []


def headers(figs: pd.DataFrame) -> dict[tuple[str, str, str | None], int]:
    """(source, group, variable or None) -> header N: variable 'respondents' (the whole source), level 'answered'."""
    out: dict[tuple[str, str, str | None], int] = {}
    for r in figs[figs["count"].notna()].itertuples():
        if r.variable == "respondents":
            out[(r.source, r.group, None)] = int(r.count)
        elif r.level == "answered":
            out[(r.source, r.group, r.variable)] = int(r.count)
    return out


def header_for(r: Row, heads: dict) -> int | None:
    """The header N over a row: its question's, else its whole table's (None for the special rows)."""
    if r.level in SPECIAL_LEVELS or r.variable == "respondents":
        return None
    return heads.get((r.source, r.group, r.variable), heads.get((r.source, r.group, None)))


def denominator(r: Row, heads: dict) -> tuple[int | None, str]:
    """The row's denominator and where it comes from in words: printed on the row, else the table's header N."""
    if pd.notna(r.denominator):
        return int(r.denominator), ""
    header = header_for(r, heads)
    if header is not None:
        return header, f" (the header N of {r.source}; no denominator is printed on the row)"
    return None, ""


def counted(figs: pd.DataFrame) -> pd.DataFrame:
    """The rows that count answers: a count, and not a special row."""
    return figs[figs["count"].notna() & ~figs["level"].isin(SPECIAL_LEVELS) & (figs["variable"] != "respondents")]


class Index:
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

    def part_counts(self, group: str, variable: str) -> list[int]:
        return [c for _, c in self.parts.get((group, variable), {}).values()]


def by_quantity(figs: pd.DataFrame) -> dict[tuple[str, str, str], list[Row]]:
    """(group, variable, level) -> the rows reporting it, in file order (more than one: a cross-reference)."""
    keyed: dict[tuple[str, str, str], list[Row]] = {}
    for o in figs.itertuples():
        keyed.setdefault((o.group, o.variable, o.level), []).append(o)
    return keyed


# ---------------------------------------------------------------------------------------------- question blocks
@dataclass(frozen=True)
class Block:
    """A question block (rows of one group and variable with a count, one per level) and what its total is
    compared with. ``kind``: ``chain`` (nested stages), ``loose`` (nothing says the levels add up to anything),
    ``mixed`` (the parts print different denominators), ``nothing`` (no total to compare with) or ``sum``."""

    group: str
    variable: str
    rows: pd.DataFrame
    kind: str
    total: int
    exhaustive: bool  # levels Yes and No, percentages adding up to 100, or counts only under a header N
    dens: tuple[int, ...]  # the denominators the parts print
    header: int | None  # the header N of their one source
    pct_sum: float | None  # the printed percentages' total, when every part prints one
    tolerance: float  # how far from 100 rounding can take that total
    expected: int | None = None  # what the total is compared with ...
    basis: str = ""  # ... in words
    firm: bool = False  # whether that is printed (a denominator, a header N, a count beside it) or only inferred

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.rows["figure_id"])

    @property
    def name(self) -> str:
        return f"{self.group} / {self.variable}"

    @property
    def parts(self) -> str:
        return " + ".join(str(int(c)) for c in self.rows["count"])

    @property
    def pct_whole(self) -> bool:
        return self.pct_sum is not None and abs(self.pct_sum - 100) <= self.tolerance


def _is_chain(rows: pd.DataFrame) -> bool:
    """Whether some level prints, as its denominator, the count of another level of the block (nested stages)."""
    pairs = list(zip(rows["level"], rows["count"].astype(object)))
    return any(pd.notna(den) and any(c == den and lvl != level for lvl, c in pairs)
               for level, den in zip(rows["level"], rows["denominator"].astype(object)))


def _beside(rows: pd.DataFrame, group: str, variable: str, sources: set[str], total: int) -> str | None:
    """The figure id of a count of another question of the same group and sources that equals ``total``."""
    beside = rows[(rows["group"] == group) & rows["source"].isin(sources) & (rows["variable"] != variable)
                  & (rows["count"] == total)]
    return beside["figure_id"].iloc[0] if len(beside) else None


def blocks(figs: pd.DataFrame, sizes: dict[str, int], heads: dict) -> list[Block]:
    """Every question block of two or more levels, in file order, with what its total is compared with."""
    rows_counted = counted(figs)
    full = rows_counted[["denominator", "reported_percent"]].notna().sum(axis=1)
    best = (rows_counted.assign(_full=full).sort_values("_full", ascending=False, kind="stable")
            .drop_duplicates(["group", "variable", "level"]).drop(columns="_full").sort_index())
    grouped = dict(iter(best.groupby(["group", "variable"], sort=False)))
    out = []
    for group, variable in rows_counted[["group", "variable"]].drop_duplicates().itertuples(index=False):
        rows = grouped[(group, variable)]
        if len(rows) >= 2:
            out.append(_block(group, variable, rows, rows_counted, sizes, heads))
    return out


def _block(group: str, variable: str, rows: pd.DataFrame, rows_counted: pd.DataFrame, sizes: dict[str, int],
           heads: dict) -> Block:
    total = int(rows["count"].sum())
    tolerance = 0.5 * len(rows) * 10 ** -int(rows["decimals"].max())
    pct_sum = float(sum(Decimal(t) for t in rows["percent_text"])) if rows["reported_percent"].notna().all() else None
    sources = set(rows["source"])
    header = None
    if len(sources) == 1:
        src = next(iter(sources))
        header = heads.get((src, group, variable), heads.get((src, group, None)))
    counts_only = header is not None and rows["reported_percent"].isna().all() and rows["denominator"].isna().all()
    whole = pct_sum is not None and abs(pct_sum - 100) <= tolerance
    exhaustive = {"Yes", "No"} <= set(rows["level"]) or whole or counts_only
    dens = tuple(sorted({int(d) for d in rows["denominator"].dropna()}))
    block = Block(group, variable, rows, "sum", total, exhaustive, dens, header, pct_sum, tolerance)
    if _is_chain(rows):
        return replace(block, kind="chain")
    if not exhaustive and not dens and header is None:
        return replace(block, kind="loose")  # separate numbers that share a variable name (design facts, say)
    if len(dens) > 1:
        return replace(block, kind="mixed")
    if dens:
        return replace(block, expected=dens[0], basis="the printed denominator", firm=True)
    if header is not None:
        return replace(block, expected=header, basis="the table's header N", firm=True)
    if asked := _beside(rows_counted, group, variable, sources, total):
        return replace(block, expected=total, basis=f"the count of {asked} printed beside it (those asked, it seems)",
                     firm=True)
    if group in sizes:
        return replace(block, expected=sizes[group], basis=f"the size of group {group!r} (no denominator is printed)")
    return replace(block, kind="nothing")


def shortfalls(found: list[Block]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Group -> the largest number a block with a printed denominator or header N leaves unaccounted for, and that
    block's figure ids (the gap check counts them as respondents with a gap)."""
    out: dict[str, tuple[int, tuple[str, ...]]] = {}
    for b in found:
        if b.kind != "sum" or b.expected is None or not (b.dens or b.header is not None):
            continue
        if b.header is not None and b.dens and b.header != b.dens[0]:
            continue  # the header N and the denominator disagree: which is short is not known
        gap = b.expected - b.total
        if gap > out.get(b.group, (0, ()))[0]:
            out[b.group] = (gap, b.ids)
    return out


# ---------------------------------------------------------------------------------------------- out of range
def out_of_range(figs: pd.DataFrame, heads: dict) -> dict[str, list[tuple[str, str]]]:
    """Figure id -> what no share or scale allows, as (``percent`` or ``mean``, explanation): a percentage outside
    0-100, a count above its denominator, a mean outside the scale, an SD larger than the scale allows. A row
    listed under ``percent`` gets no percentage check, one under ``mean`` no mean check."""
    found: dict[str, list[tuple[str, str]]] = {}
    for r in figs.itertuples():
        add = found.setdefault(r.figure_id, []).append
        if r.percent_text:
            value = Decimal(r.percent_text)
            if value > 100 or value < 0:
                add(("percent", f"{r.percent_text}% is {'above 100' if value > 100 else 'below 0'}: no share of a "
                                "group can be."))
        den, basis = denominator(r, heads)
        if pd.notna(r.count) and den is not None and r.count > den:
            add(("percent", f"The count {int(r.count)} is more than its denominator {den}{basis}."))
        if r.mean and pd.notna(r.scale_min) and pd.notna(r.scale_max):
            lo, hi, m = int(r.scale_min), int(r.scale_max), Decimal(r.mean)
            if not lo <= m <= hi:
                add(("mean", f"The mean {r.mean} is outside the scale's {lo} to {hi}."))
            elif r.sd and den is not None and den >= 2:
                top = grim.sd_maximum(r.mean, den, lo, hi)
                if grim.sd_interval(r.sd, grim.EVERY).low ** 2 > top:
                    shown = f"{math.sqrt(top):.{len(r.sd.partition('.')[2]) + 1}f}"
                    add(("mean", f"The SD {r.sd} is larger than any {den} answers between {lo} and {hi} with a mean "
                                 f"of {r.mean} allow (at most {shown})."))
    return {fid: problems for fid, problems in found.items() if problems}


# ---------------------------------------------------------------------------------------------- sets of levels
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


def level_sets(block: dict[str, tuple[str, int]], level: str, counts: range) -> tuple[int, int, tuple] | None:
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
