"""Check helpers for students: call one on your answer, read what (if anything) is wrong.

Each helper compares an answer with a reference it works out itself, and returns a :class:`Feedback`: true when the
answer is right, and a message in plain words. A wrong answer gets a diagnosis (a proportion given as a percentage,
the wrong denominator, the normal-approximation interval instead of Wilson's, raw agreement instead of kappa, which
rows of a table are off and in which direction) but never the value itself.

>>> check_percentage(58, count=43, denominator=74)
Correct: 58 is 43 out of 74 as a whole-number percentage.
>>> check_percentage(0.58, count=43, denominator=74).ok
False
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction
from numbers import Real

import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.methods import audit

__all__ = ["Feedback", "check_percentage", "check_published", "check_table", "check_wilson", "check_kappa"]

#: The paper's rounding, as the checks state it to students: whole numbers, halves upwards.
HALF_UP = ("half_up",)


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``ok`` and a plain-words ``message`` (shown as the object's repr)."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__


def _number(answer: object) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, Real):
        if not hasattr(answer, "item"):
            return None
        try:  # NumPy scalars and one-element Series are numbers too
            answer = answer.item()
        except (AttributeError, ValueError):
            return None
        if isinstance(answer, bool) or not isinstance(answer, Real):
            return None
    answer = float(answer)
    return None if math.isnan(answer) else answer


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


def check_percentage(answer: object, count: int, denominator: int, *,
                     other_denominators: Iterable[int] = ()) -> Feedback:
    """Is ``answer`` the whole-number percentage (halves rounded up) of ``count`` out of ``denominator``?

    ``other_denominators`` are tempting wrong denominators (say the whole group, when only some answered); an
    answer that fits one of them is told so.

    >>> check_percentage(54, count=41, denominator=73, other_denominators=[76])
    Not quite: 54 is the right percentage for a different denominator. Check how many people answered this question.
    >>> check_percentage(42, count=43, denominator=74).message
    'Not quite: this looks like the share of the others (those not counted). Count the people who gave the answer.'
    """
    value = _number(answer)
    if value is None:
        return Feedback(False, f"Your answer should be one number (a percentage), not {type(answer).__name__}.")
    exact = 100 * count / denominator
    right = grim.rounds(count, denominator, 0, "half_up")  # exact: no float error at halves
    shown = f"{value:g}"
    if value == right:
        return Feedback(True, f"Correct: {shown} is {count} out of {denominator} as a whole-number percentage.")
    if _close(value, exact, 0.5) and value != right:
        return Feedback(False, f"Nearly: {shown} is not rounded as the paper rounds. Round to a whole number, "
                               "halves upwards.")
    if value <= 1 and _close(100 * value, exact, 0.6):
        return Feedback(False, f"Not quite: {shown} looks like a proportion between nought and one. Multiply by a "
                               "hundred to make it a percentage.")
    if _close(value, 100 - exact, 0.6):
        return Feedback(False, "Not quite: this looks like the share of the others (those not counted). Count "
                               "the people who gave the answer.")
    for other in other_denominators:
        if other != denominator and _close(value, 100 * count / other, 0.6):
            return Feedback(False, f"Not quite: {shown} is the right percentage for a different denominator. Check "
                                   "how many people answered this question.")
    direction = "too high" if value > exact else "too low"
    return Feedback(False, f"Not quite: {shown} is {direction}. Check both the count and the denominator.")


def check_published(answer: object, figs: pd.DataFrame, figure_id: str) -> Feedback:
    """Is ``answer`` the percentage the paper prints for ``figure_id``, computed from its count?

    For figures printed without a denominator, the reference denominator is the one (nearest the group's size)
    that gives the printed percentage; an answer that uses the whole group instead is told so.

    >>> from hmbook.data import published
    >>> figs = published.figures()
    >>> check_published(59, figs, "train_not_trained").ok
    True
    >>> check_published(58, figs, "train_not_trained").message
    'Not quite: 58 is the right percentage for a different denominator. Check how many people answered this question.'
    """
    fid = figs.set_index("figure_id")
    if figure_id not in fid.index:
        raise DataError(f"no published figure {figure_id!r}")
    row = fid.loc[figure_id]
    if pd.isna(row["reported_percent"]):
        raise DataError(f"figure {figure_id!r} has no printed percentage to check against")
    printed = int(row["reported_percent"])
    if pd.isna(row["count"]):  # a percentage printed on its own: compare with it, say only which way it is off
        return _against_printed(answer, printed)
    count = int(row["count"])
    size = audit.group_sizes(figs)[row["group"]]  # the audit's group sizes and GRIM search, under half-up rounding
    if pd.notna(row["denominator"]) and grim.fits(count, int(row["denominator"]), printed, 0, HALF_UP):
        denominator = int(row["denominator"])
    else:  # no (or an inconsistent) printed denominator: the nearest one up to the group's size that gives it
        fits = grim.implied_denominators(count, printed, 0, HALF_UP, upto=size)
        if not fits:
            raise DataError(f"no denominator gives the printed percentage of {figure_id!r}")
        denominator = fits[-1]  # the fitting denominators run up to the group's size at most: the nearest to it
    verdict = check_percentage(answer, count, denominator, other_denominators=[size])
    return Feedback(True, f"Correct: {_number(answer):g} is the percentage the paper prints.") if verdict else verdict


def _against_printed(answer: object, printed: int) -> Feedback:
    value = _number(answer)
    if value is None:
        return Feedback(False, f"Your answer should be one number (a percentage), not {type(answer).__name__}.")
    shown = f"{value:g}"
    if value == printed:
        return Feedback(True, f"Correct: {shown} is the percentage the paper prints.")
    if value <= 1 and grim.round_fraction(100 * Fraction(str(value))) == printed:  # str(): the value as typed
        return Feedback(False, f"Not quite: {shown} looks like a proportion between nought and one. Multiply by a "
                               "hundred to make it a percentage.")
    if abs(value - printed) < 1:
        return Feedback(False, f"Nearly: {shown} is not rounded as the paper rounds. Round to a whole number, "
                               "halves upwards.")
    direction = "too high" if value > printed else "too low"
    return Feedback(False, f"Not quite: {shown} is {direction}. Check who is in the group and the denominator.")


def _reference(figs: pd.DataFrame, source: str, group: str, variable: str | None, value: str) -> pd.Series:
    rows = figs[(figs["source"] == source) & (figs["group"] == group) & figs["denominator"].notna()]
    if variable is not None:
        rows = rows[rows["variable"] == variable].set_index("level")
    else:
        rows = rows.set_index("variable")
    column = {"count": "count", "percent": "reported_percent"}[value]
    if rows.empty:
        raise DataError(f"no published rows for source={source!r}, group={group!r}, variable={variable!r}")
    return rows[column].astype(float)


def check_table(mine: object, figs: pd.DataFrame, source: str, *, group: str = "all", variable: str | None = None,
                value: str = "count") -> Feedback:
    """Check a rebuilt column of a published table, row by row, against ``figures.csv``.

    ``mine`` is a Series (or a one-column DataFrame) indexed like the table: by level when ``variable`` is given
    (Table 1: levels of ``age_group``), otherwise by variable (Table 2: the ``tech_`` columns). ``value`` says
    whether it holds counts or whole-number percentages. The message names the rows that are off and in which
    direction, not their published values.

    >>> from hmbook.data import published
    >>> figs = published.figures()
    >>> check_table(pd.Series({"Male": 28, "Female": 60, "Gender non-conforming": 2}), figs, "Table 1",
    ...             variable="gender")
    Correct: all 3 rows match the published counts.
    >>> check_table(pd.Series({"Male": 28, "Female": 59}), figs, "Table 1", variable="gender").message
    'Not yet: 1 row is missing (Gender non-conforming). 1 row is too low (Female). The other rows match.'
    """
    if isinstance(mine, pd.DataFrame):
        if mine.shape[1] != 1:
            return Feedback(False, "Give one column of the table at a time (a Series), not a table with "
                                   f"{mine.shape[1]} columns.")
        mine = mine.iloc[:, 0]
    if not isinstance(mine, pd.Series):
        return Feedback(False, f"Your answer should be a pandas Series indexed by the table's rows, not "
                               f"{type(mine).__name__}.")
    ref = _reference(figs, source, group, variable, value)
    what = {"count": "counts", "percent": "percentages"}[value]
    try:
        got = pd.to_numeric(mine, errors="raise").astype(float)
    except (TypeError, ValueError):
        return Feedback(False, f"Your Series should hold numbers ({what}), one per row.")
    got.index = got.index.map(str)
    missing = [r for r in ref.index if r not in got.index]
    extra = [r for r in got.index if r not in ref.index and got[r] != 0]  # empty categories are harmless
    common = [r for r in ref.index if r in got.index]
    if value == "count" and common and (got[common] <= 1).all() and (ref[common] > 1).any():
        return Feedback(False, "These look like proportions; the table counts people. Count them (a sum or "
                               "value_counts), not their share.")
    if value == "percent" and common and (got[common] <= 1).all() and (ref[common] > 1).any():
        return Feedback(False, "These look like proportions between nought and one. Multiply by a hundred and "
                               "round to whole numbers.")
    high = [r for r in common if got[r] > ref[r]]
    low = [r for r in common if got[r] < ref[r]]
    parts = []
    for rows, text in ((missing, "missing"), (extra, "not in the published table"), (high, "too high"),
                       (low, "too low")):
        if rows:
            parts.append(f"{len(rows)} row{'s are' if len(rows) > 1 else ' is'} {text} ({', '.join(rows)}).")
    if not parts:
        return Feedback(True, f"Correct: all {len(ref)} rows match the published {what}.")
    ok_rows = len(common) - len(high) - len(low)
    tail = " The other rows match." if ok_rows else ""
    if value == "percent" and (high or low) and not missing:
        tail += " Check the denominator, and round to whole numbers with halves upwards."
    return Feedback(False, "Not yet: " + " ".join(parts) + tail)


def check_wilson(answer: Iterable[object], count: int, n: int, *, alpha: float = 0.05, tol: float = 0.0051) -> Feedback:
    """Is ``answer`` (lower, upper) the Wilson interval for ``count`` successes out of ``n``, as proportions?

    Uses :func:`statsmodels.stats.proportion.proportion_confint`. ``tol`` allows rounding to two decimals.

    >>> from statsmodels.stats.proportion import proportion_confint
    >>> check_wilson(proportion_confint(55, 76, method="wilson"), 55, 76).ok
    True
    >>> check_wilson(proportion_confint(55, 76, method="normal"), 55, 76).message
    "Not quite: that is the normal-approximation (Wald) interval. Use the Wilson method (method='wilson')."
    """
    from statsmodels.stats.proportion import proportion_confint  # imported here: a heavy import, used here only

    try:
        low, high = (_number(x) for x in answer)
    except (TypeError, ValueError):
        return Feedback(False, "Your answer should be a pair of numbers: (lower, upper).")
    if low is None or high is None:
        return Feedback(False, "Your answer should be a pair of numbers: (lower, upper).")
    if low > high:
        return Feedback(False, "The lower limit is above the upper one: swap them, or check the calculation.")
    if high > 1:
        if high <= 100 and _matches((low / 100, high / 100), proportion_confint(count, n, alpha, "wilson"), tol):
            return Feedback(False, "Right interval, but as percentages. Give it as proportions between nought "
                                   "and one.")
        return Feedback(False, "A proportion cannot exceed one: give the limits as proportions.")

    def fits(method, a=alpha, k=count, m=n):
        return _matches((low, high), proportion_confint(k, m, a, method), tol)

    level = round(100 * (1 - alpha))
    if fits("wilson"):
        return Feedback(True, f"Correct: that is the {level}% Wilson interval for {count} out of {n}.")
    if fits("normal"):
        return Feedback(False, "Not quite: that is the normal-approximation (Wald) interval. Use the Wilson method "
                               "(method='wilson').")
    if any(fits("wilson", a=a) for a in (0.01, 0.1, 0.2, 0.5) if a != alpha):
        return Feedback(False, f"Not quite: that is a Wilson interval at another confidence level. Use {level}% "
                               f"(alpha={alpha:g}).")
    if fits("wilson", k=n - count):
        return Feedback(False, "Not quite: that is the interval for the people not counted. Use the count of those "
                               "who gave the answer.")
    p = count / n
    if not low <= p <= high:
        return Feedback(False, "Not quite: the interval must contain the observed proportion. Check the count and "
                               "the denominator.")
    return Feedback(False, "Not quite: check the count and the denominator you passed, and the method.")


def _matches(mine, ref, tol) -> bool:
    return all(_close(float(a), float(b), tol) for a, b in zip(mine, ref))


def check_kappa(answer: object, coder_a: Collection[object], coder_b: Collection[object], *,
                tol: float = 0.0051) -> Feedback:
    """Is ``answer`` Cohen's kappa for the two coders' labels (same items, same order)?

    Uses :func:`sklearn.metrics.cohen_kappa_score`.

    >>> a = ["x", "x", "y", "y", "x", "y"]
    >>> b = ["x", "y", "y", "y", "x", "x"]
    >>> check_kappa(4 / 6, a, b).message
    'Not quite: that is the raw (percent) agreement. Kappa corrects it for the agreement expected by chance.'
    """
    from sklearn.metrics import cohen_kappa_score  # imported here: a heavy import, used here only

    value = _number(answer)
    if value is None:
        return Feedback(False, "Your answer should be one number.")
    if len(coder_a) != len(coder_b):
        raise DataError("the two coders must have coded the same items (equal lengths)")
    a, b = pd.Series(list(coder_a)).astype(str), pd.Series(list(coder_b)).astype(str)
    kappa = float(cohen_kappa_score(a, b))
    observed = float((a == b).mean())
    share_a, share_b = a.value_counts(normalize=True), b.value_counts(normalize=True)
    chance = float(sum(share_a.get(k, 0) * share_b.get(k, 0) for k in set(share_a.index) | set(share_b.index)))
    if _close(value, kappa, tol):
        return Feedback(True, "Correct: that is Cohen's kappa for these two coders.")
    if value > 1 or value < -1:
        return Feedback(False, "Kappa lies between minus one and one. Give it as a number in that range, not a "
                               "percentage.")
    if _close(value, observed, tol):
        return Feedback(False, "Not quite: that is the raw (percent) agreement. Kappa corrects it for the agreement "
                               "expected by chance.")
    if _close(value, chance, tol):
        return Feedback(False, "Not quite: that is the agreement expected by chance. Kappa compares the observed "
                               "agreement with it.")
    return Feedback(False, "Not quite. Kappa is (observed agreement - chance agreement) / (1 - chance agreement); "
                           "check both agreements.")
