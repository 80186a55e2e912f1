"""The file's rounding: which conventions reproduce its percentages, and which the audit judges it by.

Every row printing a count, a denominator (or a header N over it) and a percentage fixes the rounding a little:
:func:`conventions` counts, for each convention, how many of those it reproduces. :func:`choose_rounding` takes the
conventions that reproduce the most. When they are one kind of rounding (round to nearest, whatever it does with
exact halves; or truncation; or ceiling) the file's rounding is *inferred*, and a value that fits only under
another is inconsistent. When no row tells the kinds apart (there is none, or every kind reproduces as many), the
rounding is *assumed* to be to nearest, the near-universal convention, and the audit says so once (the
``rounding`` finding); a value that fits only under another is still inconsistent, and names the rounding that
would give it. ``--rounding`` names the conventions instead (``any``: all of them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.grim import CONVENTIONS, EVERY, NEAREST
from hmbook.methods.audit import structure, words

__all__ = ["ROUNDING_CHOICES", "Rounding", "conventions", "choose_rounding"]

#: ``--rounding`` choices: the conventions each accepts (``auto``: inferred from the file, see the module).
ROUNDING_CHOICES: dict[str, tuple[str, ...] | None] = {
    "auto": None, "nearest": NEAREST, "half-up": ("half_up",), "half-even": ("half_even",),
    "half-down": ("half_down",), "truncate": ("truncate",), "ceiling": ("ceiling",), "any": EVERY,
}
_KINDS = (set(NEAREST), {"truncate"}, {"ceiling"})  # kinds of rounding a file's rows can tell apart


@dataclass(frozen=True)
class Rounding:
    """The conventions a value is judged by, how they were settled, and why.

    ``basis`` is ``inferred`` (the file's rows fix it), ``assumed`` (they do not: round to nearest) or ``chosen``
    (``--rounding``); ``reason`` says why in a clause.
    """

    accepted: tuple[str, ...]
    basis: str
    reason: str

    @property
    def why(self) -> str:
        """The rounding and its reason in a sentence, for the report's ``Rounding:`` line."""
        how = {"inferred": "inferred", "chosen": "as chosen", "assumed": "round to nearest assumed"
               if self.accepted[0] in NEAREST else "assumed"}[self.basis]
        return f"{', '.join(self.accepted)} ({how}: {self.reason})"

    @property
    def words(self) -> str:
        """The rounding in a clause: 'rounding to nearest, the file's rounding'."""
        kind = "rounding to nearest" if set(self.accepted) >= set(NEAREST) else words.how(self.accepted)
        whose = "the rounding assumed" if self.basis == "assumed" else "the file's rounding"
        return f"{kind}, {whose}"

    def others(self, test: Callable[[tuple[str, ...]], bool]) -> list[str]:
        """The conventions outside :attr:`accepted` under which ``test(conventions)`` holds."""
        return [c for c in EVERY if c not in self.accepted and test((c,))]


def conventions(figs: pd.DataFrame) -> pd.DataFrame:
    """For each rounding convention: how many printed percentages with a count and a denominator (printed, or the
    table's header N) it reproduces.

    ``consistent`` is true for the conventions that reproduce every percentage that any convention reproduces;
    ``halves`` counts the percentages whose fraction falls exactly on a half at the printed precision, the only
    ones on which the round-to-nearest conventions can disagree (the same number on every row).
    """
    structure.require_typed(figs)
    heads = structure.headers(figs)
    printed = [(int(r.count), structure.denominator(r, heads)[0], r.percent_text)
               for r in figs[figs["count"].notna() & (figs["percent_text"] != "")].itertuples()]
    full = [(c, d, p) for c, d, p in printed if d is not None and c <= d and not p.startswith("-")]
    table = pd.DataFrame({c: [grim.fits(k, d, p, None, (c,)) for k, d, p in full] for c in CONVENTIONS},
                         dtype=bool)
    possible = table.any(axis=1)
    return pd.DataFrame({
        "convention": list(CONVENTIONS),
        "percentages": [len(full)] * len(CONVENTIONS),
        "reproduced": [int(table[c].sum()) for c in CONVENTIONS],
        "consistent": [bool(table.loc[possible, c].all()) for c in CONVENTIONS],
        "halves": [sum(grim.on_half(k, d, p) for k, d, p in full)] * len(CONVENTIONS),
    })


def choose_rounding(figs: pd.DataFrame, rounding: str = "auto", table: pd.DataFrame | None = None) -> Rounding:
    """The rounding the audit judges ``figs`` by: ``rounding`` as chosen (a key of :data:`ROUNDING_CHOICES`), or
    (``auto``) inferred from the file as the module says. ``table``: :func:`conventions` of ``figs``, if made.

    >>> from hmbook.data import published
    >>> r = choose_rounding(published.figures())
    >>> r.accepted, r.basis
    (('half_up', 'half_even', 'half_down'), 'inferred')
    """
    if rounding not in ROUNDING_CHOICES:
        raise DataError(f"unknown rounding {rounding!r}; choose from {', '.join(ROUNDING_CHOICES)}")
    chosen = ROUNDING_CHOICES[rounding]
    if chosen is not None:  # every choice but "auto" names its conventions
        return Rounding(chosen, "chosen", f"--rounding {rounding}")
    table = conventions(figs) if table is None else table
    n, most = int(table["percentages"].iloc[0]), int(table["reproduced"].max())
    printed = "percentages printed with count and denominator"
    if not n or not most:
        return Rounding(NEAREST, "assumed", "no percentage is printed with its count and denominator to infer the "
                                            "rounding from" if not n else f"none of the {n} {printed} fits any "
                                                                           "rounding")
    best = tuple(table.loc[table["reproduced"] == most, "convention"])
    if not any(set(best) <= kind for kind in _KINDS):  # the rows do not tell the kinds of rounding apart
        kinds = ["rounding to nearest" if kind == set(NEAREST) else words.how(c for c in best if c in kind)
                 for kind in _KINDS if set(best) & kind]
        reason = (f"every rounding reproduces the {n} {printed}" if len(kinds) == len(_KINDS) and most == n else
                  f"{', '.join(kinds[:-1])} and {kinds[-1]} each reproduce {most} of the {n} {printed}")
        return Rounding(tuple(c for c in best if c in NEAREST) or best, "assumed", reason)
    return Rounding(best, "inferred", f"{'they reproduce' if len(best) > 1 else 'it reproduces'} {most} of the {n} "
                                      f"{printed}, more than any other rounding")
