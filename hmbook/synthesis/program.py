"""The figures and a spec as a count program: what every printed number asks of a respondent table, written as
linear rows over the counts of respondents who match simple conditions, each row labelled with its figure id.

A respondent table has one *code* per respondent and variable: the index of the level the respondent gave in the
variable's ``levels``, or -1 for unanswered. A **literal** is "answered variable v with one of these levels"; a
**predicate** is a conjunction of literals (the empty conjunction: everyone); a **count** is how many respondents
match a predicate. Every figure becomes rows ``low <= sum(coefficient * count) <= high`` with whole-number
coefficients and ends, so both backends read the same program exactly: the solver (:mod:`.solve`, which gives each
respondent and level a 0/1 unknown) and the chain (:mod:`.chain`, which counts codes).

What each figures-file row asks (rows are read as :mod:`hmbook.methods.audit` reads them):

* ``variable`` ``respondents`` (a table's N): the group has that many respondents.
* ``level`` ``answered``: that many of the group answered the variable.
* ``level`` ``minimum`` / ``maximum`` of a whole number: no one in the group is below (above) the count, and
  someone is at it.
* any other level (a band such as ``3-5``, ``2 or less`` or ``21 or more`` for a whole number): the count of the
  group at that level is the printed count; those of the group who answered the variable are the printed
  denominator; the printed percentage is the count over its denominator rounded under the file's rounding (the
  audit's inferred convention), the denominator being the printed one, else the table's header N (the audit's
  rule), else those of the group who answered.

A spec's ``read`` entry changes this for one figure: the variable and level it counts, whether its printed
denominator is the group's size rather than those who answered, and what its percentage is of.

The spec's ``rules`` are rows too, labelled with the rule's id: a combination no one has is a count held at 0 (a
linear rule is the combinations that break it); a block skipped together, or a skip that implies others, says that
those asked two of its questions who answered one answered the other (two counts held equal).

What a spec asks of each respondent on their own (kept apart from the rows because they hold respondent by
respondent): a variable is answered exactly by those its ``asked`` condition names (or at most by them, if they
``may_skip``); a multi-answer set has between ``min_chosen`` and ``max_chosen`` options chosen; a pin fixes one
respondent's answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.methods.audit import structure
from hmbook.synthesis.spec import Spec, Variable

__all__ = ["Literal", "Row", "Program", "as_read", "build", "level_set"]

Literal = tuple[int, frozenset[int]]  # (variable index, level codes): answered it with one of these levels
Row = tuple[dict[int, int], int | None, int | None, str]  # ({predicate: coefficient}, low, high, figure id)


@dataclass
class Program:
    """Literals, predicates (tuples of literal indices, sorted) and rows over their counts; see the module."""

    spec: Spec
    n: int
    literals: list[Literal] = field(default_factory=list)
    predicates: list[tuple[int, ...]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # figure ids with at least one row
    _literal_ids: dict[Literal, int] = field(default_factory=dict)
    _predicate_ids: dict[tuple[int, ...], int] = field(default_factory=dict)
    #: The variables the integer program must hold (None: all); see :meth:`focused`.
    relevant: frozenset[int] | None = None

    @property
    def variables(self) -> tuple[Variable, ...]:
        return self.spec.variables

    def column(self, name: str) -> int:
        return next(k for k, v in enumerate(self.spec.variables) if v.name == name)

    def literal(self, var: int, codes: Iterable[int]) -> int:
        key = (var, frozenset(codes))
        if key not in self._literal_ids:
            self._literal_ids[key] = len(self.literals)
            self.literals.append(key)
        return self._literal_ids[key]

    def predicate(self, condition: Iterable[tuple[int, Iterable[int]]]) -> int:
        """The predicate "matches every (variable, codes) of ``condition``"; two literals on one variable are
        merged into one (an empty set of codes: no one matches)."""
        merged: dict[int, frozenset[int]] = {}
        for var, codes in condition:
            merged[var] = merged[var] & frozenset(codes) if var in merged else frozenset(codes)
        key = tuple(sorted(self.literal(var, codes) for var, codes in merged.items()))
        if key not in self._predicate_ids:
            self._predicate_ids[key] = len(self.predicates)
            self.predicates.append(key)
        return self._predicate_ids[key]

    def add(self, terms: dict[int, Fraction | int], low: Fraction | int | None, high: Fraction | int | None,
            tag: str = "") -> None:
        """The row ``low <= sum(c * count) <= high``, scaled to whole numbers (so nothing is rounded)."""
        values = [Fraction(c) for c in terms.values()] + [Fraction(e) for e in (low, high) if e is not None]
        scale = lcm(*(v.denominator for v in values)) if values else 1
        whole = {p: int(Fraction(c) * scale) for p, c in terms.items() if c}
        self.rows.append((whole, None if low is None else int(Fraction(low) * scale),
                          None if high is None else int(Fraction(high) * scale), tag))

    def condition(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[int, frozenset[int]]]:
        """A spec condition ((variable, level), ...) as (variable index, codes)."""
        return [(self.column(var), frozenset((self.variables[self.column(var)].levels.index(level),)))
                for var, level in pairs]

    def rules_asked(self) -> list[int | None]:
        """Per variable, the predicate of who is asked it (None: everyone)."""
        return [self.predicate(self.condition(v.asked)) if v.asked else None for v in self.variables]

    def pins(self) -> list[tuple[int, int, int]]:
        """(respondent index, variable index, code) for every pin of the spec."""
        out = []
        for respondent, name, level in self.spec.pins:
            if respondent > self.n:
                raise DataError(f"{self.spec.path}: a pin names respondent {respondent}, but there are {self.n}")
            col = self.column(name)
            out.append((respondent - 1, col, self.variables[col].levels.index(level)))
        return out

    def linked(self) -> list[int]:
        """Per variable, a label of its *block*: variables share a block when a row, an ``asked`` condition or a
        multi-answer set joins them, directly or through others (a union-find over the variables)."""
        parent = list(range(len(self.variables)))

        def root(k: int) -> int:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def join(ks: Iterable[int]) -> None:
            ks = [root(k) for k in ks]
            for k in ks[1:]:
                parent[k] = ks[0]

        for terms, *_ in self.rows:
            join({self.literals[lit][0] for p in terms for lit in self.predicates[p]})
        for k, v in enumerate(self.variables):
            join([k, *(self.column(var) for var, _ in v.asked)])
        for _, options, _, _ in self.sets():
            join(options)
        return [root(k) for k in range(len(self.variables))]

    def focused(self, predicates: Iterable[int]) -> Program:
        """The program cut down to the blocks (:meth:`linked`) of the variables ``predicates`` name: only the rows
        on those variables, and :attr:`relevant` naming them.

        No row joins two blocks, so a respondent table is any table of each block side by side (respondent ``i``
        of one beside respondent ``i`` of the others; a pin is on one variable, so in one block). When the whole
        program has a table, the counts these predicates can take are therefore exactly those the cut-down program
        allows: what is left out (say, age and years in role, joined by a rule to each other only) cannot change
        them. Smaller programs solve faster; :func:`hmbook.synthesis.bounds.cross` asks for one only once a table
        of the whole program has been found."""
        label = self.linked()
        keep = {label[self.literals[lit][0]] for p in predicates for lit in self.predicates[p]}
        relevant = frozenset(k for k, lab in enumerate(label) if lab in keep)
        rows = [row for row in self.rows
                if {self.literals[lit][0] for p in row[0] for lit in self.predicates[p]} <= relevant]
        return Program(self.spec, self.n, list(self.literals), list(self.predicates), rows, list(self.carried),
                       dict(self._literal_ids), dict(self._predicate_ids), relevant)

    def sets(self) -> list[tuple[str, tuple[int, ...], int, int | None]]:
        """(name, option variable indices, fewest, most chosen) for every multi-answer set."""
        return [(name, tuple(self.column(o) for o in options), fewest, most)
                for name, options, fewest, most in self.spec.sets]


def level_set(var: Variable, level: str) -> tuple[str, ...] | None:
    """The levels of ``var`` a figures file's ``level`` counts: itself, or for a whole number a band (``3-5``,
    ``2 or less``, ``21 or more``). None when it names no level.

    >>> v = Variable("years", "whole", tuple(str(k) for k in range(0, 41)))
    >>> level_set(v, "3-5"), level_set(v, "2 or less"), level_set(v, "39 or more"), level_set(v, "x")
    (('3', '4', '5'), ('0', '1', '2'), ('39', '40'), None)
    >>> level_set(v, "Over 38"), level_set(v, "under 2")
    (('39', '40'), ('0', '1'))
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
    elif m := re.fullmatch(r"[Oo]ver ([0-9]+)", level):
        lo, hi = int(m[1]) + 1, values[-1]
    elif m := re.fullmatch(r"[Uu]nder ([0-9]+)", level):
        lo, hi = values[0], int(m[1]) - 1
    else:
        return None
    chosen = tuple(str(v) for v in values if lo <= v <= hi)
    return chosen or None


def respondents(spec: Spec, figs: pd.DataFrame) -> int:
    """The number of respondents the spec gives, or the count of the figure it names."""
    if isinstance(spec.respondents, int):
        return spec.respondents
    hit = figs.loc[figs["figure_id"] == spec.respondents, "count"]
    if len(hit) != 1 or pd.isna(hit.iloc[0]):
        raise DataError(f"{spec.path}: respondents: the figures file has no count for figure {spec.respondents!r}")
    n = int(hit.iloc[0])
    if not 1 <= n <= 100_000:
        raise DataError(f"{spec.path}: respondents: figure {spec.respondents} prints {n}; a spec takes 1 to 100000")
    return n


def as_read(figs: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """``figs`` with the variable and level of every figure the spec's ``read`` moves (a new frame)."""
    out = figs.copy()
    for fid, how in spec.read.items():
        at = out["figure_id"] == fid
        if how.variable:
            out.loc[at, "variable"] = how.variable
        if how.level:
            out.loc[at, "level"] = how.level
    return out


def build(spec: Spec, figs: pd.DataFrame, conventions: tuple[str, ...]) -> Program:
    """The count program of ``spec`` and the typed figures ``figs`` (:func:`hmbook.data.published.figures`),
    percentages read under ``conventions``. Refuses, in one line, a group or level the spec does not declare."""
    program = Program(spec, respondents(spec, figs))
    groups = {g: program.condition(cond) for g, cond in spec.groups.items()} | {"all": []}
    figs = as_read(figs, spec)
    heads = structure.headers(figs)
    for r in figs.itertuples():
        if r.figure_id in spec.not_carried:
            continue
        if r.group not in groups:
            raise DataError(f"{spec.path}: figure {r.figure_id} is printed for group {r.group!r}, which the spec "
                            "does not define (add it under groups)")
        if r.variable == "respondents":
            if pd.notna(r.count):
                program.add({program.predicate(groups[r.group]): 1}, int(r.count), int(r.count), r.figure_id)
                program.carried.append(r.figure_id)
            continue
        if r.variable not in spec.names:
            continue  # a figure about something the spec does not declare: not carried
        _figure(program, r, groups[r.group], heads, conventions)
    for rule in spec.rules:
        _rule(program, rule)
    program.pins()  # refuses a pin beyond the respondents now
    return program


def _rule(program: Program, rule) -> None:
    """A rule of the spec as rows (see the module)."""
    if rule.kind == "never":
        for combo in rule.forbidden:
            levels = [(program.column(var), [program.variables[program.column(var)].levels.index(lv) for lv in lvs])
                      for var, lvs in combo]
            program.add({program.predicate(levels): 1}, 0, 0, rule.id)
        return
    cols = [program.column(var) for var in rule.variables]
    pairs = [(cols[0], c) for c in cols[1:]]
    if rule.kind == "skip_together":  # every pair, through the first: A with B, A with C, ...
        pairs += [(c, cols[0]) for c in cols[1:]]
    for skipped, other in pairs:  # whoever is asked both and answered ``other`` answered ``skipped``
        asked = [*program.condition(program.variables[skipped].asked), *program.condition(
            program.variables[other].asked)]
        everything = [(k, range(len(program.variables[k].levels))) for k in (skipped, other)]
        answered_other = program.predicate([*asked, everything[1]])
        both = program.predicate([*asked, *everything])
        program.add({answered_other: 1, both: -1}, 0, 0, rule.id)


def _figure(program: Program, r, group: list, heads: dict, conventions: tuple[str, ...]) -> None:
    spec = program.spec
    col = program.column(r.variable)
    var = program.variables[col]
    fid = r.figure_id

    def count_of(levels: Sequence[str]) -> int:
        return program.predicate([*group, (col, [var.levels.index(lv) for lv in levels])])

    how = spec.read.get(fid)
    answered = count_of(var.levels)
    size = program.predicate(group)  # the whole group
    if r.level == "answered":
        if pd.notna(r.count):
            program.add({answered: 1}, int(r.count), int(r.count), fid)
            program.carried.append(fid)
        return
    if r.level in ("minimum", "maximum") and var.kind == "whole":
        if pd.isna(r.count):
            return
        edge = str(int(r.count))
        if edge not in var.levels:
            raise DataError(f"{spec.path}: figure {fid} prints a {r.level} of {edge}, outside {var.name}'s "
                            f"{var.levels[0]} to {var.levels[-1]}")
        beyond = [lv for lv in var.levels if (int(lv) < int(edge) if r.level == "minimum" else int(lv) > int(edge))]
        program.add({count_of((edge,)): 1}, 1, None, fid)
        if beyond:
            program.add({count_of(beyond): 1}, 0, 0, fid)
        program.carried.append(fid)
        return
    levels = level_set(var, r.level)
    if levels is None:
        raise DataError(f"{spec.path}: figure {fid} counts {var.name} = {r.level!r}, which is not a level the spec "
                        f"declares ({', '.join(var.levels[:6])}{', ...' if len(var.levels) > 6 else ''})")
    count = count_of(levels)
    if pd.notna(r.count):
        program.add({count: 1}, int(r.count), int(r.count), fid)
    if pd.notna(r.denominator):
        printed = size if how is not None and how.denominator == "group" else answered
        program.add({printed: 1}, int(r.denominator), int(r.denominator), fid)
    if r.percent_text and not (how is not None and how.percent == "not_carried"):
        of = how.percent if how is not None else "printed"
        den, _ = structure.denominator(r, heads) if of == "printed" else (None, "")
        base = size if of == "group" else answered
        value, dec = grim.scaled(r.percent_text)
        if value < 0:
            raise DataError(f"{spec.path}: figure {fid} prints a negative percentage ({r.percent_text}%)")
        span = grim.interval(abs(value), conventions).scaled(Fraction(1, 10 ** dec))
        if den is not None:  # a known denominator: the counts that round to the percentage
            counts = grim.implied_counts(den, r.percent_text, None, conventions)
            if counts:
                program.add({count: 1}, counts[0], counts[-1], fid)
            else:
                program.add({}, 1, 0, fid)  # no count gives it: cannot hold
        else:  # count / answered, both unknown: 100 count - L answered >= 0, or >= 1/q when the end L = p/q is
            # left out (both are whole numbers, so nothing lies between), and the same at the top
            program.add({base: 1}, 1, None, fid)
            low = Fraction(0) if span[2] else Fraction(1, span.low.denominator)
            high = Fraction(0) if span[3] else -Fraction(1, span.high.denominator)
            program.add(_terms((count, 100), (base, -span.low)), low, None, fid)
            program.add(_terms((count, 100), (base, -span.high)), None, high, fid)
    program.carried.append(fid)


def _terms(*pairs: tuple[int, Fraction | int]) -> dict[int, Fraction | int]:
    out: dict[int, Fraction | int] = {}
    for p, c in pairs:
        out[p] = out.get(p, 0) + c
    return out
