"""What a check finds: a :class:`Finding` with a :class:`Status`, and the findings as one table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from hmbook.errors import DataError

__all__ = ["Status", "Finding", "FINDING_COLUMNS", "REGISTER_KINDS", "to_frame", "pick"]

#: The columns of the findings table (:func:`to_frame`).
FINDING_COLUMNS = ("check", "figure_ids", "status", "explanation", "assumptions")
#: Register kinds that speak about the paper's numbers (the others are about the synthetic rows).
REGISTER_KINDS = ("contradiction", "ambiguity", "gap", "derivation")


class Status(StrEnum):
    """A finding's verdict, worst first: the order in which the report lists them."""

    INCONSISTENT = "inconsistent"  # the printed numbers cannot all be right under the file's rounding
    AMBIGUOUS = "ambiguous"  # more than one reading fits, and the file does not say which
    NOTE = "note"  # fine, but worth a word (or: the file's rounding was assumed, not inferred)
    OK = "ok"

    @property
    def rank(self) -> int:
        return list(Status).index(self)


@dataclass(frozen=True)
class Finding:
    """One check's verdict on some figures: which check, on which figure ids, the status, and why in words.

    ``values`` holds the numbers the explanation states, by name (``denominators``, ``counts``, ``rounded``, ...),
    so that a chapter quotes the finding rather than working them out again.
    """

    check: str
    figure_ids: tuple[str, ...]
    status: Status
    explanation: str
    values: Mapping[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, check: str, ids: str | Iterable[str], status: Status, explanation: str,
           **values: object) -> Finding:
        """A finding on one figure id (a string) or several (any iterable of them, in order)."""
        return cls(check, (ids,) if isinstance(ids, str) else tuple(ids), Status(status), explanation, dict(values))

    def __getitem__(self, name: str) -> object:
        """One of the finding's :attr:`values`; a one-line :class:`DataError` naming those it has if not."""
        if name not in self.values:
            raise DataError(f"the {self.check} finding on {';'.join(self.figure_ids)} states no {name!r} (it states "
                            f"{', '.join(self.values) or 'no numbers'})")
        return self.values[name]


def pick(findings: Iterable[Finding], check: str, figure_id: str = "") -> Finding:
    """The one finding of ``check`` whose figure ids include ``figure_id`` (the file-level one when empty)."""
    hits = [f for f in findings if f.check == check and (figure_id in f.figure_ids if figure_id else not f.figure_ids)]
    if len(hits) != 1:
        raise DataError(f"{len(hits)} {check} findings on {figure_id or 'the whole file'}; expected one")
    return hits[0]


def to_frame(findings: Iterable[Finding], register: pd.DataFrame | None = None) -> pd.DataFrame:
    """The findings as a table (:data:`FINDING_COLUMNS`; figure ids and register ids ``;``-separated), worst first
    (stable within a status). ``register`` links each finding to the entries whose ``figure_ids`` overlap it, of
    the kinds in :data:`REGISTER_KINDS`."""
    found = sorted(findings, key=lambda f: f.status.rank)
    bearing = {} if register is None or register.empty else {
        r.assumption_id: set(filter(None, r.figure_ids.split(";"))) for r in register.itertuples()
        if r.kind in REGISTER_KINDS}
    return pd.DataFrame({
        "check": [f.check for f in found],
        "figure_ids": [";".join(f.figure_ids) for f in found],
        "status": [str(f.status) for f in found],
        "explanation": [f.explanation for f in found],
        "assumptions": [";".join(a for a, ids in bearing.items() if ids & set(f.figure_ids)) for f in found],
    }, columns=list(FINDING_COLUMNS))
