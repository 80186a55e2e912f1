"""The checks, in the order the report lists findings of one status, and :func:`audit`, which runs them all."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from hmbook.methods.audit import convention, crossrefs, gaps, means, percentages, ranges, sums
from hmbook.methods.audit.context import Context, make_context
from hmbook.methods.audit.findings import Finding, to_frame

__all__ = ["CHECKS", "findings", "checked", "audit"]

#: name -> check. Each is a function from a read-only :class:`Context` to its findings; none reads another's.
CHECKS: dict[str, Callable[[Context], list[Finding]]] = {
    "rounding": convention.check,
    "range": ranges.check,
    "percentage": percentages.check,
    "sum": sums.check,  # and "chain"
    "cross-reference": crossrefs.check,
    "denominator": gaps.check,
    "mean": means.check,  # and "sd", "binary"
}


def findings(ctx: Context) -> list[Finding]:
    """Every check's findings on ``ctx``, check by check in :data:`CHECKS` order."""
    return [f for run in CHECKS.values() for f in run(ctx)]


def checked(figs: pd.DataFrame, rounding: str = "auto", table: pd.DataFrame | None = None) -> list[Finding]:
    """Every check's findings on a typed figures table, as :class:`Finding` objects (with the numbers each states
    in its ``values``): what a chapter quotes from (:func:`~hmbook.methods.audit.findings.pick`)."""
    return findings(make_context(figs, rounding, table))


def audit(figs: pd.DataFrame, register: pd.DataFrame | None = None, rounding: str = "auto",
          table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every check on a typed figures table (:func:`hmbook.data.published.figures`), as a findings table
    (:func:`~hmbook.methods.audit.findings.to_frame`: worst first); ``register`` links the assumptions.

    ``rounding`` is a key of :data:`~hmbook.methods.audit.rounding.ROUNDING_CHOICES`; ``table`` the
    :func:`~hmbook.methods.audit.rounding.conventions` of ``figs``, if already made.
    """
    return to_frame(checked(figs, rounding, table), register)
