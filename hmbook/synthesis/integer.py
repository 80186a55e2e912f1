"""The form an integer program takes for :mod:`hmbook.synthesis.solve`: its unknowns, rows and labels, and how
each predicate's count is read off a solution (the sum of some unknowns). Two formulations fill it in: one unknown
per respondent and level (:mod:`.solve`), or counts of respondents per class of like respondents
(:mod:`.aggregate`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_array, csr_array

from hmbook.synthesis.program import Program

__all__ = ["Compiled", "Rows"]


@dataclass(frozen=True)
class Compiled:
    """The integer program: unknowns, the rows' matrix and ends, each row's figure id ('' for the structure)."""

    program: Program
    size: int
    offsets: np.ndarray  # per variable, where its levels start within a respondent's block of unknowns
    width: int  # unknowns per respondent
    matrix: csr_array
    low: np.ndarray
    high: np.ndarray
    tags: np.ndarray
    predicate_columns: tuple[np.ndarray, ...]  # per predicate, the unknowns whose sum is its count (or None)
    impossible: frozenset[str]  # figure ids with a row of no unknowns that cannot hold
    upper: np.ndarray | None = None  # each unknown's largest value (None: every unknown is 0 or 1)
    decode: Callable[[np.ndarray], np.ndarray] | None = None  # a solution -> codes (None: one unknown per level)


class Rows:
    def __init__(self) -> None:
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.low: list[np.ndarray] = []
        self.high: list[np.ndarray] = []
        self.tags: list[np.ndarray] = []
        self.count = 0

    def block(self, cols: np.ndarray, vals: np.ndarray, low: float | np.ndarray, high: float | np.ndarray,
              tag: str) -> None:
        """Rows ``low <= vals . x[cols] <= high``, one per row of ``cols`` (shape rows x terms)."""
        rows, terms = cols.shape
        self.r.append(np.repeat(np.arange(self.count, self.count + rows), terms))
        self.c.append(cols.ravel())
        self.v.append(np.broadcast_to(vals, cols.shape).ravel().astype(float))
        self.low.append(np.broadcast_to(np.asarray(low, dtype=float), (rows,)))
        self.high.append(np.broadcast_to(np.asarray(high, dtype=float), (rows,)))
        self.tags.append(np.full(rows, tag, dtype=object))
        self.count += rows

    def figures(self, program: Program, columns: Sequence[np.ndarray]) -> frozenset[str]:
        """A row for each of the program's figure rows, ``columns[p]`` being the unknowns whose sum is predicate
        p's count (the empty predicate, everyone, is the constant n); the figure ids of rows with no unknowns that
        cannot hold are returned instead (a table cannot carry them)."""
        impossible = set()
        for terms, low, high, tag in program.rows:
            constant = sum(c * program.n for p, c in terms.items() if not program.predicates[p])
            parts = [(columns[p], c) for p, c in terms.items() if program.predicates[p]]
            lo = -np.inf if low is None else low - constant
            hi = np.inf if high is None else high - constant
            if all(len(cols) == 0 for cols, _ in parts):
                if lo > 0 or hi < 0:
                    impossible.add(tag)
                continue
            self.block(np.concatenate([cols for cols, _ in parts])[None, :],
                       np.concatenate([np.full(len(cols), float(c)) for cols, c in parts]), lo, hi, tag)
        return frozenset(impossible)

    def matrix(self, size: int) -> tuple[csr_array, np.ndarray, np.ndarray, np.ndarray]:
        """The rows so far: their matrix over ``size`` unknowns, their two ends and their figure ids."""
        r, c, v = (np.concatenate(a) if a else np.zeros(0) for a in (self.r, self.c, self.v))
        matrix = coo_array((v, (r.astype(np.int64), c.astype(np.int64))), shape=(self.count, size)).tocsr()
        matrix.sum_duplicates()
        return (matrix, np.concatenate(self.low) if self.low else np.zeros(0),
                np.concatenate(self.high) if self.high else np.zeros(0),
                np.concatenate(self.tags) if self.tags else np.zeros(0, dtype=object))


