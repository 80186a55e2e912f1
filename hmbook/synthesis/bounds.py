"""Exact bounds on what a paper's tables leave open: for a cross-tabulation the paper never printed, the fewest and
most respondents any consistent table puts in each cell, and the range this allows for a simple association.

Every bound is the optimum of an integer program (:mod:`.solve`: HiGHS, minimising and then maximising the cell's
count subject to every figure the spec carries), so it is attained by some consistent table and no consistent table
goes beyond it: the Fréchet bounds of a two-way table from its margins, generalised to everything the paper prints.
Once one table of the whole program is found, the program is cut down to the variables that rows, conditions and
sets join to A and B (:meth:`hmbook.synthesis.program.Program.focused`): the rest cannot move the bounds, and
leaving it out is what makes this paper's bounds take seconds rather than minutes.

The association compares the first two levels of A (for a yes/no item: Yes, then No) on the first level of B
(among those who answered B):

* the **difference in proportions** p1 - p2, with p1 = a / r1 and p2 = c / r2 (a, c: those at B's first level; r1,
  r2: those who answered B, at A's first and second level);
* the **odds ratio** a (r2 - c) / ((r1 - a) c), over the tables where it is defined (no cell of the 2x2 table
  zero).

With r1 and r2 fixed, p1 - p2 is linear in the counts, so two solves bound it; the odds ratio grows with a and falls
with c, so its ends lie among, for each possible a, the fewest and most c (:func:`_odds_ends`). Where r1 or r2 can
vary, every pair of their values is taken in turn (at most :data:`MAX_PAIRS` pairs). All ends are exact fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from hmbook.errors import DataError
from hmbook.synthesis import solve
from hmbook.synthesis.program import Program
from hmbook.synthesis.spec import Spec
from hmbook.synthesis.synthesise import prepare

__all__ = ["MAX_PAIRS", "Bounds", "cross", "render"]

#: The most pairs (r1, r2) of group sizes the association's bounds take in turn.
MAX_PAIRS = 400


@dataclass(frozen=True)
class Bounds:
    a: str
    b: str
    cells: pd.DataFrame  # a_level, b_level, fewest, most
    levels: tuple[str, str, str]  # A's first two levels and B's first, compared by the association
    difference: tuple[Fraction, Fraction] | None  # p1 - p2
    odds_ratio: tuple[Fraction, Fraction] | None  # where defined
    odds_ratio_undefined: bool  # some consistent table has a zero cell


def _variable(spec: Spec, name: str, flag: str):
    if name not in spec.names:
        raise DataError(f"{spec.path}: --cross names {name!r}, which is not a variable of the spec "
                        f"({', '.join(sorted(spec.names)[:8])}{', ...' if len(spec.names) > 8 else ''})")
    return spec.variable(name)


def cross(figs: pd.DataFrame, spec: Spec, a: str, b: str, time_limit: float, rounding: str = "auto",
          form: str = "auto") -> Bounds:
    """The exact bounds of the cross-tabulation of ``a`` by ``b`` (see the module); ``form``: that of the integer
    program (:func:`hmbook.synthesis.solve.compile_program`)."""
    va, vb = _variable(spec, a, "A"), _variable(spec, b, "B")
    if a == b:
        raise DataError(f"--cross needs two different variables, not {a} twice")
    built, _ = prepare(figs, spec, rounding)
    ca, cb = built.column(a), built.column(b)
    every_b = range(len(vb.levels))
    cell = {(i, j): built.predicate([(ca, [i]), (cb, [j])]) for i in range(len(va.levels)) for j in every_b}
    answered = {i: built.predicate([(ca, [i]), (cb, every_b)]) for i in range(len(va.levels))}
    counted = (*cell.values(), *answered.values())
    whole = solve.compile_program(built, form=form)
    if solve.find_table(whole, time_limit) is None:
        needed = solve.conflict(whole, time_limit)
        raise DataError(f"no respondent table satisfies these figures together: {', '.join(needed)}")
    # a table exists, so the variables no row joins to A and B can be left out exactly (Program.focused)
    compiled = solve.compile_program(built.focused(counted), also=counted, form=form)
    rows = []
    for (i, j), p in cell.items():
        low, high = solve.span(compiled, p, time_limit)  # type: ignore[misc]  # a table exists
        rows.append({a: va.levels[i], b: vb.levels[j], "fewest": low, "most": high})
    difference, odds, undefined = _association(compiled, built, cell[(0, 0)], answered[0], cell[(1, 0)],
                                               answered[1], time_limit)
    return Bounds(a, b, pd.DataFrame(rows), (va.levels[0], va.levels[1], vb.levels[0]), difference, odds, undefined)


def _association(compiled: solve.Compiled, built: Program, a: int, r1: int, c: int, r2: int, time_limit: float):
    span1, span2 = solve.span(compiled, r1, time_limit), solve.span(compiled, r2, time_limit)
    assert span1 is not None and span2 is not None  # a table exists
    pairs = [(v1, v2) for v1 in range(span1[0], span1[1] + 1) for v2 in range(span2[0], span2[1] + 1)
             if v1 > 0 and v2 > 0]
    if len(pairs) > MAX_PAIRS:
        raise DataError(f"the two groups' sizes can take {len(pairs)} pairs of values, more than the "
                        f"{MAX_PAIRS} the association's exact bounds take in turn (the cells' bounds need no such "
                        "limit: print them with fewer figures left open)")
    diffs: list[Fraction] = []
    odds: list[Fraction] = []
    undefined = False
    for v1, v2 in pairs:
        fixed = {r1: (v1, v1), r2: (v2, v2)}
        for sense in (1, -1):
            values = solve.extreme(compiled, {a: 1 / v1, c: -1 / v2}, sense, time_limit, fixed)
            if values is None:
                break
            ka, kc = solve.counts_of(compiled, values, [a, c])
            diffs.append(Fraction(ka, v1) - Fraction(kc, v2))
        else:
            a_span, c_span = solve.span(compiled, a, time_limit, fixed), solve.span(compiled, c, time_limit, fixed)
            assert a_span is not None and c_span is not None
            # some table with these group sizes has a zero cell of the 2x2 table
            undefined |= a_span[0] == 0 or a_span[1] == v1 or c_span[0] == 0 or c_span[1] == v2
            odds += _odds_ends(compiled, a, c, v1, v2, fixed, a_span, time_limit)
    return ((min(diffs), max(diffs)) if diffs else None, (min(odds), max(odds)) if odds else None,
            undefined or not pairs)


def _odds_ends(compiled: solve.Compiled, a: int, c: int, v1: int, v2: int, fixed: dict, a_span: tuple[int, int],
               time_limit: float) -> list[Fraction]:
    """The largest and smallest odds ratio a (v2 - c) / ((v1 - a) c) over the tables with group sizes ``fixed`` and
    no zero cell (none: an empty list).

    The ratio grows with a and falls with c, so for each possible a the largest is at the fewest c and the smallest
    at the most c: one solve per a and end. The a are taken from the most promising end, and an a is skipped once
    even its best case (c = 1, or c = v2 - 1) cannot beat the end found so far, so only a few a need a solve."""
    ratio = lambda ka, kc: Fraction(ka * (v2 - kc), (v1 - ka) * kc)  # noqa: E731
    possible = range(max(a_span[0], 1), min(a_span[1], v1 - 1) + 1)
    ends: list[Fraction] = []
    for sense, order, best_case in ((1, reversed(possible), 1), (-1, iter(possible), v2 - 1)):
        found: Fraction | None = None
        for ka in order:
            if found is not None and (ratio(ka, best_case) <= found if sense == 1 else ratio(ka, best_case) >= found):
                break  # the ratio's best case only gets worse from here on (a moves away from the good end)
            values = solve.extreme(compiled, {c: 1.0}, sense, time_limit, {**fixed, a: (ka, ka), c: (1, v2 - 1)})
            if values is None:
                continue
            kc = solve.counts_of(compiled, values, [c])[0]
            found = ratio(ka, kc) if found is None else (max if sense == 1 else min)(found, ratio(ka, kc))
        if found is not None:
            ends.append(found)
    return ends


def _number(x: Fraction) -> str:
    return f"{float(x):.3f}" + ("" if x.denominator == 1 else f" ({x.numerator}/{x.denominator})")


def render(result: Bounds, figures: str) -> str:
    """The bounds as text: the cells, then the association's range."""
    head = (f"Exact bounds from {figures}: the fewest and most respondents any table that holds every figure puts "
            f"in each cell of {result.a} by {result.b}\n(each end is reached by some such table; the tables are "
            "SYNTHETIC, the paper's own respondents are one of them only if the spec is right)\n\n")
    cells = result.cells.to_string(index=False)
    a1, a2, b1 = result.levels
    lines = [f"\nAssociation: the share with {result.b} = {b1} among those who answered it, {result.a} = {a1} "
             f"against {result.a} = {a2}"]
    if result.difference is None:
        lines.append("  difference in proportions: undefined (no table has someone in both groups)")
    else:
        low, high = result.difference
        lines.append(f"  difference in proportions: from {_number(low)} to {_number(high)}")
    if result.odds_ratio is None:
        lines.append("  odds ratio: undefined in every table (a cell of the 2x2 table is always zero)")
    else:
        low, high = result.odds_ratio
        note = " (where defined: some tables have a zero cell)" if result.odds_ratio_undefined else ""
        lines.append(f"  odds ratio: from {_number(low)} to {_number(high)}{note}")
    return head + cells + "\n" + "\n".join(lines) + "\n"
