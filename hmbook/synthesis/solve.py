"""Solving the integer program (scipy's HiGHS, :func:`scipy.optimize.milp`), and what is made of the answer: the
respondent table, checked again against every figure it carries, or, when no table exists, a minimal set of
figures that cannot hold together.

A seed makes the table reproducible and different seeds different tables: the solver finds the table that minimises
a random linear objective drawn from the seed (HiGHS is deterministic, so one seed gives the same bytes). The tables
so drawn are not uniform over the consistent tables: a table is drawn with the probability that a random objective
is minimised there. (Ensembles with a stated distribution are the next step of this engine.)

The minimal set is found by deletion (Chinneck's filter): start from every figure; drop one at a time, keeping it
out when the rest still admit no table. What is left admits no table, and every figure of it is needed for that.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from hmbook.errors import DataError
from hmbook.synthesis.model import Model
from hmbook.synthesis.spec import NO, YES, Spec

__all__ = ["SolveTimeout", "Outcome", "solve", "table", "conflict"]


class SolveTimeout(DataError):
    """The solver reached the time limit without an answer."""


@dataclass(frozen=True)
class Outcome:
    """A solve's answer: the 0/1 values of the unknowns, or None when no table satisfies the rows."""

    values: np.ndarray | None


def _arrays(model: Model, keep: set[str] | None):
    rows, cols, data, low, high = [], [], [], [], []
    k = 0
    for expr, lo, hi, tag in model.rows:
        if keep is not None and tag and tag not in keep:
            continue
        if not expr:  # a row with no unknowns: 0 must lie in [lo, hi]
            if (lo is not None and lo > 0) or (hi is not None and hi < 0):
                return None
            continue
        for j, c in expr.items():
            rows.append(k)
            cols.append(j)
            data.append(float(c))
        low.append(-np.inf if lo is None else float(lo))
        high.append(np.inf if hi is None else float(hi))
        k += 1
    matrix = coo_array((data, (rows, cols)), shape=(k, model.size)).tocsr()
    return matrix, np.array(low), np.array(high)


def solve(model: Model, seed: int, time_limit: float, keep: set[str] | None = None) -> Outcome:
    """Find a table for ``model`` (only the rows labelled in ``keep``, and the structure, if given)."""
    arrays = _arrays(model, keep)
    if arrays is None:
        return Outcome(None)
    matrix, low, high = arrays
    cost = np.random.default_rng(seed).uniform(-1, 1, model.size)
    started = time.monotonic()
    res = milp(cost, integrality=np.ones(model.size), bounds=Bounds(0, 1),
               constraints=[LinearConstraint(matrix, low, high)] if matrix.shape[0] else [],
               options={"time_limit": time_limit, "presolve": True, "disp": False})
    if res.x is not None:
        return Outcome(np.rint(res.x).astype(int))
    if res.status == 2:
        return Outcome(None)
    if time.monotonic() - started >= time_limit * 0.95 or res.status == 1:
        raise SolveTimeout(f"no answer within the time limit of {time_limit:g} s (raise it with --time-limit)")
    raise DataError(f"the solver stopped without an answer: {res.message}")


def table(spec: Spec, model: Model, values: np.ndarray) -> pd.DataFrame:
    """The respondent table a solution describes: ``respondent_id`` 1 to n, then one column per variable (a
    category's level, ``true``/``false`` for a yes/no item, the number for a whole number; empty: unanswered)."""
    out: dict[str, list] = {"respondent_id": list(range(1, model.n + 1))}
    for var in spec.variables:
        column = []
        for i in range(model.n):
            chosen = [lv for lv in var.levels if values[model.x[(i, var.name, lv)]]]
            level = chosen[0] if chosen else ""
            column.append({YES: "true", NO: "false"}.get(level, level) if var.kind == "yesno" else level)
        out[var.name] = column
    return pd.DataFrame(out)


def conflict(model: Model, seed: int, time_limit: float) -> list[str]:
    """A minimal set of figure ids whose constraints admit no table together (see the module), in file order."""
    tags = list(dict.fromkeys(tag for *_, tag in model.rows if tag))
    needed = list(tags)
    for tag in tags:
        trial = [t for t in needed if t != tag]
        if solve(model, seed, time_limit, set(trial)).values is None:
            needed = trial
    return needed
