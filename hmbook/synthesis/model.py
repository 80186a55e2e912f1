"""The figures and a spec as one integer program: a 0/1 unknown for each respondent and level of each variable,
and the constraints every printed number puts on them, each labelled with its figure id.

What each figures-file row asks of the table (rows are read as :mod:`hmbook.methods.audit` reads them):

* ``variable`` ``respondents`` (a table's N): the group has that many respondents.
* ``level`` ``answered``: that many of the group answered the variable.
* ``level`` ``minimum`` / ``maximum`` of a whole number: no one in the group is below (above) the count, and
  someone is at it.
* any other level (a band such as ``3-5``, ``2 or less`` or ``21 or more`` for a whole number): the count of the
  group at that level is the printed count; those of the group who answered the variable are the printed
  denominator; the printed percentage is the count over its denominator rounded under the file's rounding (the
  audit's inferred convention), the denominator being the printed one, else the table's header N (the audit's
  rule), else those of the group who answered.

A group's membership, and "in the group and at this level", are products of 0/1 unknowns; each product is a 0/1
unknown of its own with the three usual linear constraints (z <= a, z <= b, z >= a + b - 1), made once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.methods.audit import structure
from hmbook.synthesis.spec import Spec, Variable

__all__ = ["Model", "build", "level_set"]

Expr = dict[int, Fraction]  # unknown -> coefficient


@dataclass
class Model:
    """An integer program in the form scipy's ``milp`` takes, its rows labelled (``""``: the table's structure)."""

    n: int  # respondents
    x: dict[tuple[int, str, str], int] = field(default_factory=dict)  # (respondent, variable, level) -> unknown
    size: int = 0
    rows: list[tuple[Expr, Fraction | None, Fraction | None, str]] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # figure ids with at least one constraint
    _ands: dict[tuple[int, ...], int] = field(default_factory=dict)

    def unknown(self) -> int:
        self.size += 1
        return self.size - 1

    def add(self, expr: Expr, low: Fraction | int | None, high: Fraction | int | None, tag: str = "") -> None:
        self.rows.append((expr, None if low is None else Fraction(low), None if high is None else Fraction(high),
                          tag))

    def both(self, a: int, b: int) -> int:
        """The unknown that is 1 exactly when unknowns ``a`` and ``b`` both are."""
        key = (min(a, b), max(a, b))
        if a == b:
            return a
        if key not in self._ands:
            z = self.unknown()
            self.add({z: Fraction(1), a: Fraction(-1)}, None, 0)
            self.add({z: Fraction(1), b: Fraction(-1)}, None, 0)
            self.add({z: Fraction(1), a: Fraction(-1), b: Fraction(-1)}, -1, None)
            self._ands[key] = z
        return self._ands[key]


def _plus(*exprs: Expr) -> Expr:
    out: Expr = {}
    for e in exprs:
        for k, c in e.items():
            out[k] = out.get(k, Fraction(0)) + c
    return {k: c for k, c in out.items() if c}


def _scaled(e: Expr, by: Fraction | int) -> Expr:
    return {k: c * by for k, c in e.items()}


def level_set(var: Variable, level: str) -> tuple[str, ...] | None:
    """The levels of ``var`` a figures file's ``level`` counts: itself, or for a whole number a band (``3-5``,
    ``2 or less``, ``21 or more``). None when it names no level.

    >>> v = Variable("years", "whole", tuple(str(k) for k in range(0, 41)))
    >>> level_set(v, "3-5"), level_set(v, "2 or less"), level_set(v, "39 or more"), level_set(v, "x")
    (('3', '4', '5'), ('0', '1', '2'), ('39', '40'), None)
    """
    if level in var.levels:
        return (level,)
    if var.kind != "whole":
        return None
    values = [int(v) for v in var.levels]
    if m := re.fullmatch(r"([0-9]+)-([0-9]+)", level):
        lo, hi = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"([0-9]+) or less", level):
        lo, hi = values[0], int(m[1])
    elif m := re.fullmatch(r"([0-9]+) or more", level):
        lo, hi = int(m[1]), values[-1]
    else:
        return None
    chosen = tuple(str(v) for v in values if lo <= v <= hi)
    return chosen or None


def build(spec: Spec, figs: pd.DataFrame, conventions: tuple[str, ...]) -> Model:
    """The integer program of ``spec`` and the typed figures ``figs`` (:func:`hmbook.data.published.figures`),
    percentages read under ``conventions``. Refuses, in one line, a group or level the spec does not declare."""
    n = _respondents(spec, figs)
    model = Model(n)
    for i in range(n):
        for var in spec.variables:
            for level in var.levels:
                model.x[(i, var.name, level)] = model.unknown()
    members = {g: [_member(model, spec, i, cond) for i in range(n)] for g, cond in spec.groups.items()}
    members["all"] = [None] * n
    for var in spec.variables:  # each respondent: one level, or none if not asked or skipped
        for i in range(n):
            answered = {model.x[(i, var.name, lv)]: Fraction(1) for lv in var.levels}
            asked = _member(model, spec, i, var.asked)
            if asked is None:
                model.add(answered, 0 if var.may_skip else 1, 1)
            else:
                model.add(_plus(answered, {asked: Fraction(-1)}), None if var.may_skip else 0, 0)
    for name, options, fewest, most in spec.sets:
        for i in range(n):
            chosen = {model.x[(i, o, "Yes")]: Fraction(1) for o in options}
            model.add(chosen, fewest or None, most, f"set {name}")
    for respondent, pinned, level in spec.pins:
        if respondent > n:
            raise DataError(f"{spec.path}: a pin names respondent {respondent}, but there are {n}")
        model.add({model.x[(respondent - 1, pinned, level)]: Fraction(1)}, 1, 1, f"pin {respondent} {pinned}")
    heads = structure.headers(figs)
    for r in figs.itertuples():
        if r.figure_id in spec.not_carried:
            continue
        if r.group not in members:
            raise DataError(f"{spec.path}: figure {r.figure_id} is printed for group {r.group!r}, which the spec "
                            "does not define (add it under groups)")
        if r.variable == "respondents":
            if pd.notna(r.count):
                size = {m: Fraction(1) for m in members[r.group] if m is not None} if r.group != "all" else {}
                if r.group == "all":
                    if int(r.count) != n:
                        model.add({}, int(r.count) - n, int(r.count) - n, r.figure_id)  # cannot hold
                else:
                    model.add(size, int(r.count), int(r.count), r.figure_id)
                model.carried.append(r.figure_id)
            continue
        if r.variable not in spec.names:
            continue  # a figure about something the spec does not declare: not carried
        _figure(model, spec, r, members[r.group], heads, conventions)
    return model


def _respondents(spec: Spec, figs: pd.DataFrame) -> int:
    if isinstance(spec.respondents, int):
        return spec.respondents
    hit = figs.loc[figs["figure_id"] == spec.respondents, "count"]
    if len(hit) != 1 or pd.isna(hit.iloc[0]):
        raise DataError(f"{spec.path}: respondents: the figures file has no count for figure {spec.respondents!r}")
    n = int(hit.iloc[0])
    if not 1 <= n <= 100_000:
        raise DataError(f"{spec.path}: respondents: figure {spec.respondents} prints {n}; a spec takes 1 to 100000")
    return n


def _member(model: Model, spec: Spec, i: int, cond: tuple[tuple[str, str], ...]) -> int | None:
    """The unknown that is 1 when respondent ``i`` matches ``cond`` (None: everyone matches)."""
    member = None
    for var, level in cond:
        literal = model.x[(i, var, level)]
        member = literal if member is None else model.both(member, literal)
    return member


def _in_group(model: Model, member: int | None, unknown: int) -> int:
    return unknown if member is None else model.both(member, unknown)


def _at(model: Model, members: list[int | None], var: Variable, levels: Sequence[str]) -> Expr:
    """How many of the group (``members``, one unknown or None per respondent) answered ``var`` with one of
    ``levels``, as a sum of 0/1 unknowns (each respondent and level its own unknown, so no term repeats)."""
    return {_in_group(model, members[i], model.x[(i, var.name, lv)]): Fraction(1) for i in range(model.n)
            for lv in levels}


def _figure(model: Model, spec: Spec, r, members: list[int | None], heads: dict, conventions: tuple[str, ...]):
    var = spec.variable(r.variable)
    fid = r.figure_id
    answered = _at(model, members, var, var.levels)
    if r.level == "answered":
        if pd.notna(r.count):
            model.add(answered, int(r.count), int(r.count), fid)
            model.carried.append(fid)
        return
    if r.level in ("minimum", "maximum") and var.kind == "whole":
        if pd.isna(r.count):
            return
        edge = str(int(r.count))
        if edge not in var.levels:
            raise DataError(f"{spec.path}: figure {fid} prints a {r.level} of {edge}, outside {var.name}'s "
                            f"{var.levels[0]} to {var.levels[-1]}")
        beyond = [lv for lv in var.levels if (int(lv) < int(edge) if r.level == "minimum" else int(lv) > int(edge))]
        out = _at(model, members, var, beyond)
        model.add(_at(model, members, var, (edge,)), 1, None, fid)
        if out:
            model.add(out, 0, 0, fid)
        model.carried.append(fid)
        return
    levels = level_set(var, r.level)
    if levels is None:
        raise DataError(f"{spec.path}: figure {fid} counts {var.name} = {r.level!r}, which is not a level the spec "
                        f"declares ({', '.join(var.levels[:6])}{', ...' if len(var.levels) > 6 else ''})")
    count = _at(model, members, var, levels)
    if pd.notna(r.count):
        model.add(count, int(r.count), int(r.count), fid)
    if pd.notna(r.denominator):
        model.add(answered, int(r.denominator), int(r.denominator), fid)
    if r.percent_text:
        den, _ = structure.denominator(r, heads)
        value, dec = grim.scaled(r.percent_text)
        span = grim.interval(abs(value), conventions).scaled(Fraction(1, 10 ** dec))
        if value < 0:
            raise DataError(f"{spec.path}: figure {fid} prints a negative percentage ({r.percent_text}%)")
        if den is not None:  # a known denominator: the counts that round to the percentage
            counts = grim.implied_counts(den, r.percent_text, None, conventions)
            if counts:
                model.add(count, counts[0], counts[-1], fid)
            else:
                model.add({}, 1, 0, fid)  # no count gives it: cannot hold
        else:  # count / answered, both unknown: 100 count - L answered >= 0, or >= 1/q when the end L = p/q is
            # left out (both are whole numbers, so nothing lies between), and the same at the top
            model.add(answered, 1, None, fid)
            low_row = _plus(_scaled(count, 100), _scaled(answered, -span.low))
            high_row = _plus(_scaled(count, 100), _scaled(answered, -span.high))
            model.add(low_row, 0 if span[2] else Fraction(1, span.low.denominator), None, fid)
            model.add(high_row, None, 0 if span[3] else -Fraction(1, span.high.denominator), fid)
    model.carried.append(fid)
