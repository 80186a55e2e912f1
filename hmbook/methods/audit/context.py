"""What every check reads: the typed figures and everything derived from them, made once and read-only.

A check is a function from a :class:`Context` to findings. It reads the context and nothing else, so no check
depends on another having run (or on what it found): what two checks both need, such as the rows out of range
that the percentage check leaves alone, is derived here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from hmbook.methods.audit import structure
from hmbook.methods.audit.rounding import Rounding, choose_rounding

__all__ = ["Context", "make_context"]


@dataclass(frozen=True, eq=False)
class Context:
    """The figures (typed, not to be changed), the rounding they are judged by, and their shape."""

    figs: pd.DataFrame
    rounding: Rounding

    @cached_property
    def sizes(self) -> dict[str, int]:
        return structure.group_sizes(self.figs)

    @cached_property
    def parts(self) -> list[str]:
        """The groups that split ``all`` (:func:`~hmbook.methods.audit.structure.partition`)."""
        return structure.partition(self.sizes)

    @cached_property
    def headers(self) -> dict:
        return structure.headers(self.figs)

    @cached_property
    def index(self) -> structure.Index:
        return structure.Index(self.figs)

    @cached_property
    def quantities(self) -> dict:
        """(group, variable, level) -> the rows that report it."""
        return structure.by_quantity(self.figs)

    @cached_property
    def twins(self) -> frozenset[str]:
        """Figure ids of rows that report a quantity another row reports too (the cross-reference checks them)."""
        return frozenset(o.figure_id for rows in self.quantities.values() if len(rows) > 1 for o in rows)

    @cached_property
    def covered(self) -> frozenset[str]:
        """Rows with no count whose twin has a count and a denominator: the cross-reference checks their share."""
        return frozenset(o.figure_id for same in self.quantities.values() if len(same) > 1
                         and any(pd.notna(t.count) and self.denominator(t)[0] is not None for t in same)
                         for o in same if pd.isna(o.count))

    @cached_property
    def out_of_range(self) -> dict[str, list[tuple[str, str]]]:
        return structure.out_of_range(self.figs, self.headers)

    @cached_property
    def blocks(self) -> list[structure.Block]:
        return structure.blocks(self.figs, self.sizes, self.headers)

    @cached_property
    def shortfalls(self) -> dict[str, tuple[int, tuple[str, ...]]]:
        return structure.shortfalls(self.blocks)

    def denominator(self, r: structure.Row) -> tuple[int | None, str]:
        return structure.denominator(r, self.headers)

    def out_of_range_as(self, figure_id: str, kind: str) -> bool:
        """Whether a row has a ``percent`` (or ``mean``) value no share (or scale) allows."""
        return any(k == kind for k, _ in self.out_of_range.get(figure_id, ()))


def make_context(figs: pd.DataFrame, rounding: str = "auto", table: pd.DataFrame | None = None) -> Context:
    """The context of a typed figures table judged under ``rounding`` (a ``--rounding`` choice)."""
    structure.require_typed(figs)
    return Context(figs, choose_rounding(figs, rounding, table))
