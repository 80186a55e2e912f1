"""The count program as an integer program for scipy's HiGHS (:func:`scipy.optimize.milp`): finding one table,
the smallest and largest value of a count (or of a linear sum of counts), and, when no table exists, a minimal set
of figures that cannot hold together.

Where the program's shape allows, the integer program counts classes of like respondents (:mod:`.aggregate`: a few
hundred unknowns however many respondents there are). Otherwise it has a 0/1 unknown for each respondent and level
of each variable (1: the respondent gave that
level). A literal of one respondent is the sum of its levels' unknowns (0 or 1, since a respondent gives at most
one level); a predicate of one literal is that sum; a predicate of several literals is a 0/1 unknown of its own,
per respondent, with the usual rows (it is at most each literal, and at least their sum less one less than their
number). The rules of the spec are rows per respondent.

One table is found with no objective (any table that satisfies every row), so it is quick; what is random about the
table handed to the user is the chain's (:mod:`.chain`), which starts here.

The minimal set is found by deletion (Chinneck's filter): start from every figure; drop one at a time, keeping it
out when the rest still admit no table. What is left admits no table, and every figure of it is needed for that.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from hmbook.errors import DataError
from hmbook.synthesis import aggregate
from hmbook.synthesis.integer import Compiled, Rows
from hmbook.synthesis.program import Program

__all__ = ["SolveTimeout", "Compiled", "compile_program", "find_table", "counts_of", "extreme", "span", "conflict"]


class SolveTimeout(DataError):
    """The solver reached the time limit without an answer."""


def compile_program(program: Program, also: tuple[int, ...] = (), form: str = "auto") -> Compiled:
    """The integer program of ``program``: the class form (:mod:`.aggregate`) where the program's shape allows it
    (``form`` "auto"), else one unknown per respondent and level (see the module; ``form`` "respondents" asks for
    it). ``also``: predicates to compile beyond those the rows and rules use (counts to optimise)."""
    if form == "auto" and (classes := aggregate.compile_classes(program, also)) is not None:
        return classes
    return _per_respondent(program, also)


def _per_respondent(program: Program, also: tuple[int, ...]) -> Compiled:
    n, variables = program.n, program.variables
    levels = np.array([len(v.levels) for v in variables])
    offsets = np.concatenate([[0], np.cumsum(levels)[:-1]]).astype(np.int64)
    width = int(levels.sum())
    base = (np.arange(n, dtype=np.int64) * width)[:, None]  # first unknown of each respondent
    size = n * width
    rows = Rows()
    literal_cols = [base + offsets[var] + np.array(sorted(codes), dtype=np.int64)[None, :]
                    if codes else np.zeros((n, 0), dtype=np.int64) for var, codes in program.literals]
    asked = program.rules_asked()
    wanted = {p for terms, *_ in program.rows for p in terms} | {p for p in asked if p is not None} | set(also)
    predicate_columns: list[np.ndarray] = []
    for q, lits in enumerate(program.predicates):
        if len(lits) == 0:
            predicate_columns.append(np.zeros((n, 0), dtype=np.int64))  # everyone: a constant, handled below
        elif len(lits) == 1:
            predicate_columns.append(literal_cols[lits[0]])
        elif q in wanted:
            z = (size + np.arange(n, dtype=np.int64))[:, None]
            size += n
            for lit in lits:  # z <= literal
                cols = literal_cols[lit]
                rows.block(np.hstack([z, cols]), np.concatenate([[1.0], -np.ones(cols.shape[1])]), -np.inf, 0, "")
            every = np.hstack([literal_cols[lit] for lit in lits])  # z >= sum of literals - (k - 1)
            rows.block(np.hstack([z, every]), np.concatenate([[1.0], -np.ones(every.shape[1])]),
                       1 - len(lits), np.inf, "")
            predicate_columns.append(z)
        else:
            predicate_columns.append(np.zeros((n, 0), dtype=np.int64))
    for k, var in enumerate(variables):  # one level at most; answered by those asked (all of them, unless may_skip)
        own = base + offsets[k] + np.arange(levels[k])[None, :]
        if (a := asked[k]) is None:
            rows.block(own, np.ones(levels[k]), 0 if var.may_skip else 1, 1, "")
        else:
            who = predicate_columns[a]
            rows.block(np.hstack([own, who]), np.concatenate([np.ones(levels[k]), -np.ones(who.shape[1])]),
                       -1 if var.may_skip else 0, 0, "")
    for name, options, fewest, most in program.sets():
        yes = np.hstack([base + offsets[o] for o in options])  # the Yes level is a yes/no item's first
        rows.block(yes, np.ones(len(options)), fewest, np.inf if most is None else most, f"set {name}")
    for respondent, col, code in program.pins():
        rows.block(np.array([[respondent * width + offsets[col] + code]]), np.ones(1), 1, 1,
                   f"pin {respondent + 1} {variables[col].name}")
    columns = tuple(pc.ravel() for pc in predicate_columns)
    impossible = rows.figures(program, columns)
    return Compiled(program, size, offsets, width, *rows.matrix(size), columns, impossible)


def _milp(compiled: Compiled, cost: np.ndarray, time_limit: float, keep: set[str] | None = None,
          extra: tuple[LinearConstraint, ...] = ()) -> np.ndarray | None:
    if keep is None:
        if compiled.impossible:
            return None
        matrix, low, high = compiled.matrix, compiled.low, compiled.high
    else:
        if compiled.impossible & keep:
            return None
        mask = np.array([not t or t in keep for t in compiled.tags], dtype=bool)
        matrix, low, high = compiled.matrix[mask], compiled.low[mask], compiled.high[mask]
    constraints = [LinearConstraint(matrix, low, high)] if matrix.shape[0] else []
    started = time.monotonic()
    res = milp(cost, integrality=np.ones(compiled.size),
               bounds=Bounds(0, 1 if compiled.upper is None else compiled.upper), constraints=[*constraints, *extra],
               options={"time_limit": time_limit, "presolve": True, "disp": False})
    if res.status == 0 and res.x is not None:
        return np.rint(res.x).astype(np.int64)
    if res.status == 2:
        return None
    if time.monotonic() - started >= time_limit * 0.95 or res.status == 1:
        raise SolveTimeout(f"no answer within the time limit of {time_limit:g} s (raise it with --time-limit)")
    raise DataError(f"the solver stopped without an answer: {res.message}")


def codes(compiled: Compiled, values: np.ndarray) -> np.ndarray:
    """The table a solution describes, as codes (respondents x variables; -1: unanswered)."""
    if compiled.decode is not None:
        return compiled.decode(values)
    n, width = compiled.program.n, compiled.width
    block = values[: n * width].reshape(n, width)
    out = np.full((n, len(compiled.offsets)), -1, dtype=np.int16)
    for k, var in enumerate(compiled.program.variables):
        own = block[:, compiled.offsets[k]: compiled.offsets[k] + len(var.levels)]
        out[:, k] = np.where(own.any(axis=1), own.argmax(axis=1), -1)
    return out


def find_table(compiled: Compiled, time_limit: float, keep: set[str] | None = None) -> np.ndarray | None:
    """Codes of one table for the rows (only those labelled in ``keep``, and the structure, if given); None if
    there is none."""
    values = _milp(compiled, np.zeros(compiled.size), time_limit, keep)
    return None if values is None else codes(compiled, values)


def _objective(compiled: Compiled, terms: dict[int, float]) -> tuple[np.ndarray, float]:
    cost = np.zeros(compiled.size)
    constant = 0.0
    for p, c in terms.items():
        cols = compiled.predicate_columns[p]
        if not compiled.program.predicates[p]:
            constant += c * compiled.program.n
        else:  # no unknowns: a count that is 0 in every table (say, answers to a question the group is not asked)
            np.add.at(cost, cols, c)
    return cost, constant


def counts_of(compiled: Compiled, values: np.ndarray, predicates: list[int]) -> list[int]:
    """The counts of ``predicates`` in the solution ``values``."""
    return [compiled.program.n if not compiled.program.predicates[p] else
            int(values[compiled.predicate_columns[p]].sum()) for p in predicates]


def extreme(compiled: Compiled, terms: dict[int, float], sense: int, time_limit: float,
            limits: dict[int, tuple[int, int]] | None = None) -> np.ndarray | None:
    """A solution that makes ``sum(c * count)`` smallest (``sense`` 1) or largest (-1), with the count of each
    predicate in ``limits`` held between its two ends; None if no table has those counts. The predicates must be
    compiled (named in a row or a rule, or passed to :func:`compile_program` as ``also``)."""
    cost, _ = _objective(compiled, terms)
    extra = []
    for p, (low, high) in (limits or {}).items():
        row, k = _objective(compiled, {p: 1.0})
        extra.append(LinearConstraint(row[None, :], low - k, high - k))
    return _milp(compiled, sense * cost, time_limit, extra=tuple(extra))


def span(compiled: Compiled, predicate: int, time_limit: float,
         limits: dict[int, tuple[int, int]] | None = None) -> tuple[int, int] | None:
    """The fewest and most respondents any table (within ``limits``) puts in ``predicate``; None if none."""
    ends = []
    for sense in (1, -1):
        values = extreme(compiled, {predicate: 1.0}, sense, time_limit, limits)
        if values is None:
            return None
        ends.append(counts_of(compiled, values, [predicate])[0])
    return ends[0], ends[1]


def conflict(compiled: Compiled, time_limit: float) -> list[str]:
    """A minimal set of figure ids whose rows admit no table together (see the module), in file order."""
    tags = list(dict.fromkeys(t for t in compiled.tags if t)) + sorted(compiled.impossible - set(compiled.tags))
    order = {t: k for k, t in enumerate(compiled.program.carried)}
    tags.sort(key=lambda t: order.get(t, -1))
    needed = list(tags)
    for tag in tags:
        trial = [t for t in needed if t != tag]
        if find_table(compiled, time_limit, set(trial)) is None:
            needed = trial
    return needed
