"""Granularity tests in exact arithmetic: rounding conventions, GRIM (percentages and means), GRIMMER and DEBIT.

A printed number stands for an interval of true values: 58% (no decimals) is anything that rounds to 58 under the
authors' rounding. Every test here asks whether whole numbers (a count, a sum of answers, a sum of squares) can
land in that interval, and answers it with integers and :class:`fractions.Fraction` from the standard library
rather than floating point, so nothing depends on how 0.1 is stored in binary, and no amount of work grows with
the size of a printed number: the whole numbers that fit form one unbroken run (rounding never decreases as the
value grows), so the answer is a :class:`range` found from its two ends, never a list built one by one.

The tests follow the published definitions: GRIM (Brown & Heathers 2017) for means of whole-number answers and,
as the R package scrutiny does, for percentages; GRIMMER (Anaya 2016, in the analytic form of Allard used by
scrutiny) for standard deviations; DEBIT (Heathers & Brown 2019) for means and standard deviations of 0/1 data.
``tests/data/audit/scrutiny_conformance.csv`` holds scrutiny's own test cases, and ``tests/test_conformance.py``
checks these functions against them; ``tests/data/audit/README.md`` lists where and why the two differ.

>>> rounds(9, 72), rounds(9, 72, convention="half_even")
(13.0, 12.0)
>>> list(implied_counts(184, 98)), list(implied_denominators(140, 98))
([180, 181], [143])
>>> grim("5.19", 28), grim("5.19", 32)
(False, True)
>>> grimmer("5.21", "1.6", 28), grimmer("3.44", "2.47", 18)
((True, ''), (False, 'parity'))
>>> debit("0.19", "0.35", 1683), debit("0.53", "0.50", 1683)
(False, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from hmbook.errors import DataError

__all__ = [
    "CONVENTIONS", "NEAREST", "DOUBLE", "EVERY", "Printed", "Conventions", "Interval", "interval", "round_fraction",
    "rounds", "percent", "fits", "implied_counts", "implied_denominators", "smallest_denominator", "grim_sums", "grim",
    "grimmer", "debit", "sd_maximum", "sd_interval", "scaled", "size",
    "on_half", "printable", "unprintable",
]

#: Rounding conventions, each to the number of decimals printed: halves up, to even, down; truncation (always
#: down); ceiling (always up).
CONVENTIONS = ("half_up", "half_even", "half_down", "truncate", "ceiling")
#: The round-to-nearest conventions (they differ only at exact halves); scrutiny's default "up_or_down".
NEAREST = CONVENTIONS[:3]
#: Double rounding: halves up to one more decimal than printed, then halves up again (0.445 -> 0.45 -> 0.5).
DOUBLE = "double"
#: Every convention the audit knows, double rounding included.
EVERY = CONVENTIONS + (DOUBLE,)
_HALF = Fraction(1, 2)
#: A number as printed: best given as the text on the page ("5.20" keeps its trailing zero), or a number.
Printed = str | int | float | Decimal | Fraction
#: Rounding conventions to allow, names from :data:`EVERY`.
Conventions = Sequence[str]
#: Beyond this many candidate sums, GRIMMER gives up rather than loop (see :func:`grimmer`).
MAX_SUMS = 100_000


# ---------------------------------------------------------------------------------------------------- intervals
class Interval(tuple):
    """``(low, high, low_closed, high_closed)``: the real values that round to one printed value."""

    __slots__ = ()

    def __new__(cls, low: Fraction | int, high: Fraction | int | None, low_closed: bool,
                high_closed: bool) -> Interval:
        return super().__new__(cls, (Fraction(low), None if high is None else Fraction(high), low_closed,
                                     high_closed))

    low = property(lambda self: self[0])
    high = property(lambda self: self[1])

    def scaled(self, factor: Fraction | int) -> Interval:
        """The interval times a positive ``factor``."""
        return Interval(self[0] * factor, None if self[1] is None else self[1] * factor, self[2], self[3])

    def clip(self, low: Fraction | int, high: Fraction | int | None) -> Interval:
        """The part of the interval within ``[low, high]`` (``high`` may be None: no upper end)."""
        lo, lc = (self[0], self[2]) if self[0] > low else (Fraction(low), self[2] or self[0] < low)
        if high is None or (self[1] is not None and self[1] < high):
            hi, hc = self[1], self[3]
        else:
            hi, hc = Fraction(high), self[3] or self[1] is None or self[1] > high
        return Interval(lo, hi, lc, hc)

    def integers(self) -> range:
        """The whole numbers in the interval, as a range (empty when there are none)."""
        lo, hi, lc, hc = self
        first = math.ceil(lo) if lc else math.floor(lo) + 1
        if hi is None:
            raise DataError("an interval with no upper end has no finite range of whole numbers")
        last = math.floor(hi) if hc else math.ceil(hi) - 1
        return range(first, max(last + 1, first))

    def contains(self, x: Fraction | int) -> bool:
        lo, hi, lc, hc = self
        return (x > lo or (lc and x == lo)) and (hi is None or x < hi or (hc and x == hi))


def size(run: range) -> int:
    """How many whole numbers a run holds; unlike ``len``, fine beyond 2**63 (a mean over 10**30 answers).

    >>> size(range(3, 10)), size(range(0, 10 ** 30))
    (7, 1000000000000000000000000000000)
    """
    return max(run.stop - run.start, 0)


def interval(target: int, conventions: Conventions = NEAREST) -> Interval:
    """The real values that round to the whole number ``target`` under any of ``conventions``, as an
    :class:`Interval`. (The interval of each convention contains ``target``, so their union is one interval.)

    >>> interval(58)
    (Fraction(115, 2), Fraction(117, 2), True, True)
    >>> interval(58, ("truncate",))[:2], interval(58, ("double",))[:2]
    ((Fraction(58, 1), Fraction(59, 1)), (Fraction(1149, 20), Fraction(1169, 20)))
    """
    t = Fraction(target)
    parts = []
    for c in conventions:
        if c == "half_up":
            parts.append((t - _HALF, t + _HALF, True, False))
        elif c == "half_down":
            parts.append((t - _HALF, t + _HALF, False, True))
        elif c == "half_even":
            even = target % 2 == 0
            parts.append((t - _HALF, t + _HALF, even, even))
        elif c == "truncate":
            parts.append((t, t + 1, True, False))
        elif c == "ceiling":
            parts.append((t - 1, t, False, True))
        elif c == DOUBLE:  # round(10v) half up lands in 10t-5 .. 10t+4 exactly when v is in [t-0.55, t+0.45)
            parts.append((t - Fraction(11, 20), t + Fraction(9, 20), True, False))
        else:
            raise DataError(f"unknown rounding convention {c!r}; choose from {EVERY}")
    low = min(p[0] for p in parts)
    high = max(p[1] for p in parts)
    return Interval(low, high, any(p[2] for p in parts if p[0] == low), any(p[3] for p in parts if p[1] == high))


def round_fraction(x: Fraction, convention: str = "half_up") -> int:
    """``x`` (a non-negative fraction) rounded to a whole number under ``convention``, exactly.

    >>> [round_fraction(Fraction(25, 2), c) for c in ("half_up", "half_even", "half_down", "truncate", "ceiling")]
    [13, 12, 12, 12, 13]
    >>> round_fraction(Fraction(445, 1000) * 10, "double"), round_fraction(Fraction(445, 1000) * 10, "half_up")
    (5, 4)
    """
    x = Fraction(x)
    q, r = divmod(x.numerator, x.denominator)
    if convention == "truncate":
        return q
    if convention == "ceiling":
        return q + (r > 0)
    if convention == DOUBLE:
        return round_fraction(Fraction(round_fraction(10 * x, "half_up"), 10), "half_up")
    twice, den = 2 * r, x.denominator
    if convention == "half_up":
        return q + (twice >= den)
    if convention == "half_down":
        return q + (twice > den)
    if convention == "half_even":
        return q + (twice > den or (twice == den and q % 2 == 1))
    raise DataError(f"unknown rounding convention {convention!r}; choose from {EVERY}")


def scaled(text: Printed) -> tuple[int, int]:
    """A printed number as (whole number of its last decimal place, decimals): ``"58.30"`` -> ``(5830, 2)``.

    Takes the printed text (a trailing zero counts: it is a decimal that was printed), or an int, float or
    Decimal (a float's decimals are those of its shortest repr).

    >>> scaled("58.30"), scaled(58), scaled("-0.5")
    ((5830, 2), (58, 0), (-5, 1))
    """
    try:
        d = Decimal(str(text).strip())
    except InvalidOperation:
        raise DataError(f"{text!r} is not a number") from None
    if not d.is_finite():
        raise DataError(f"{text!r} is not a finite number")
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite Decimal's exponent is an int ('n', 'N', 'F' mark NaN and infinity)
    decimals = max(-exponent, 0)
    return int(d.scaleb(decimals)), decimals


def _target(percent, decimals: int | None) -> tuple[int, int]:
    """(target, decimals) of a printed percentage: text carries its own decimals; a number is read to
    ``decimals`` places."""
    if isinstance(percent, str) or decimals is None:
        return scaled(percent)
    return round(Decimal(str(percent)).scaleb(decimals)), decimals


# ---------------------------------------------------------------------------------------------------- percentages
def percent(count: int, den: int, convention: str = "half_up") -> int:
    """count / den as a whole-number percentage under ``convention`` (halves up by default), exactly.

    The rounding every rebuilt ``n (%)`` cell of the book uses: no floating point, so 1 of 8 is 12.5% and rounds
    to 13 however 0.125 is stored.

    >>> percent(1, 8), percent(1, 8, "half_even"), percent(55, 76), percent(0, 14)
    (13, 12, 72, 0)
    """
    return round_fraction(Fraction(100 * int(count), int(den)), convention)


def rounds(count: int, den: int, decimals: int = 0, convention: str = "half_up") -> float:
    """count / den as a percentage rounded to ``decimals`` places under ``convention`` (exact arithmetic).

    >>> rounds(9, 72), rounds(9, 72, convention="half_even"), rounds(140, 184), rounds(1, 3, 1)
    (13.0, 12.0, 76.0, 33.3)
    """
    return round_fraction(Fraction(100 * 10 ** decimals * count, den), convention) / 10 ** decimals


def printable(den: int, decimals: int = 0, convention: str = "half_up") -> list[float]:
    """Every percentage a group of ``den`` people can print at ``decimals`` places: one for each count from 0 to
    ``den``, repeats dropped, ascending.

    >>> printable(4), len(printable(14)), len(printable(90))
    ([0.0, 25.0, 50.0, 75.0, 100.0], 15, 91)
    """
    return sorted({rounds(count, den, decimals, convention) for count in range(den + 1)})


def unprintable(den: int, decimals: int = 0, convention: str = "half_up") -> list[float]:
    """The percentages from 0 to 100 at ``decimals`` places that no count out of ``den`` gives: the ones a table
    of ``den`` people can never print.

    >>> unprintable(4)[:3], len(unprintable(90))
    ([1.0, 2.0, 3.0], 10)
    """
    scale = 10 ** decimals
    can = set(printable(den, decimals, convention))
    return [value for value in (i / scale for i in range(100 * scale + 1)) if value not in can]


def on_half(count: int, den: int, percent: Printed) -> bool:
    """True when ``count`` / ``den`` as a percentage, at the printed precision of ``percent``, lies exactly halfway
    between two printable values: the only case in which rounding halves up, to even and down disagree.

    >>> on_half(1, 8, "13"), on_half(1, 8, "12.5"), on_half(1, 3, "33")
    (True, False, False)
    """
    _, decimals = scaled(percent)
    return Fraction(100 * 10 ** decimals * int(count), int(den)) % 1 == Fraction(1, 2)


def fits(count: int, den: int, percent: Printed, decimals: int | None = 0, conventions: Conventions = NEAREST) -> bool:
    """Whether count / den rounds to the printed ``percent`` under any of ``conventions``.

    >>> fits(43, 76, 58), fits(43, 74, 58), fits(1, 3, "33.3"), fits(1, 3, 33.4, 1)
    (False, True, True, False)
    """
    target, dec = _target(percent, decimals)
    return interval(target, conventions).contains(Fraction(100 * 10 ** dec * count, den))


def implied_counts(den: int, percent: Printed, decimals: int | None = 0, conventions: Conventions = NEAREST) -> range:
    """Every count out of ``den`` (0 to ``den``) that gives the printed percentage: GRIM for percentages.

    >>> list(implied_counts(184, 98)), list(implied_counts(90, 32)), list(implied_counts(14, 53))
    ([180, 181], [29], [])
    >>> implied_counts(10**15, 50)
    range(495000000000000, 505000000000001)
    """
    target, dec = _target(percent, decimals)
    scale = 100 * 10 ** dec
    return interval(target, conventions).scaled(Fraction(den, scale)).clip(0, den).integers()


def implied_denominators(count: int, percent: Printed, decimals: int | None = 0,
                         conventions: Conventions = NEAREST, upto: int | None = None) -> range:
    """Every denominator (from ``count``, at least 1, up to ``upto``) with which ``count`` gives the printed
    percentage: the GRIM search for a missing denominator. ``upto`` (default: 1000 or 20 times the count, the
    larger) only matters when the range has no upper end (a count of 0).

    >>> list(implied_denominators(44, 59)), list(implied_denominators(30, 41)), list(implied_denominators(140, 98))
    ([74, 75], [73, 74], [143])
    >>> list(implied_denominators(9, 12)), implied_denominators(9, 12, conventions=("half_up",))[0]
    ([72, 73, 74, 75, 76, 77, 78], 73)
    """
    target, dec = _target(percent, decimals)
    scale = 100 * 10 ** dec
    upto = upto or max(1000, 20 * count)
    if count == 0:
        return range(1, upto + 1) if interval(target, conventions).contains(0) else range(0)
    lo, hi, lc, hc = interval(target, conventions)
    if hi <= 0:  # only a count of 0 can give 0% when rounding up
        return range(0)
    # 100 * count / d lies in (lo, hi) / scale  <=>  d lies in (scale * count / hi, scale * count / lo)
    d_low = Fraction(scale * count) / hi
    d_high = Fraction(scale * count) / lo if lo > 0 else None
    found = Interval(d_low, d_high, hc, lc).clip(max(count, 1), upto)
    return found.integers()


def smallest_denominator(percent: Printed, decimals: int | None = 0,
                         conventions: Conventions = NEAREST) -> int | None:
    """The smallest denominator with which some count gives the printed percentage (None if none can: above 100).

    Found as the fraction with the smallest denominator in the rounding interval (a walk down the Stern-Brocot
    tree), so it takes a few steps however many decimals are printed.

    >>> smallest_denominator(53), smallest_denominator(46), smallest_denominator(33.3, 1), smallest_denominator(140)
    (15, 13, 3, None)
    """
    target, dec = _target(percent, decimals)
    span = interval(target, conventions).scaled(Fraction(1, 100 * 10 ** dec)).clip(0, 1)
    found = _simplest(*span)
    return None if found is None else found.denominator


def _simplest(lo: Fraction, hi: Fraction | None, lc: bool, hc: bool) -> Fraction | None:
    """The fraction with the smallest denominator in an interval of non-negative numbers (None if it is empty)."""
    if hi is not None and (lo > hi or (lo == hi and not (lc and hc))):
        return None
    whole = math.floor(lo)
    if lo == whole and lc:
        return Fraction(whole)
    if hi is None or whole + 1 < hi or (whole + 1 == hi and hc):
        return Fraction(whole + 1)
    # lo and hi both lie in (whole, whole + 1): x = whole + 1/y, with y in (1/(hi - whole), 1/(lo - whole))
    inner = _simplest(1 / (hi - whole), 1 / (lo - whole) if lo > whole else None, hc, lc)
    return None if inner is None else whole + 1 / inner


# ---------------------------------------------------------------------------------------------------- means
def grim_sums(mean: Printed, n: int, items: int = 1, conventions: Conventions = NEAREST, low: int | None = None,
              high: int | None = None) -> range:
    """Every whole-number total of the answers (n people, ``items`` whole-number items each) whose mean rounds to
    the printed ``mean``; ``low``/``high`` are the lowest and highest possible answer to one item, if known.

    A negative mean is rounded as its mirror image (halves away from zero, truncation towards zero).

    >>> grim_sums("5.19", 28), grim_sums("5.19", 32), grim_sums("2.5", 4, low=1, high=5)
    (range(146, 146), range(166, 167), range(10, 11))
    """
    m, dec = scaled(mean)
    cells = n * items
    found = interval(abs(m), conventions).scaled(Fraction(cells, 10 ** dec))
    if m < 0:  # mirror: totals -s with s in the interval of |mean|
        mirrored = Interval(-found[1], -found[0], found[3], found[2])
        found = mirrored
    lo = None if low is None else low * cells
    hi = None if high is None else high * cells
    if lo is not None or hi is not None:
        found = found.clip(lo if lo is not None else found[0], hi)
    return found.integers()


def grim(mean: Printed, n: int, items: int = 1, conventions: Conventions = NEAREST) -> bool:
    """Whether a mean of ``items`` whole-number items over ``n`` people can round to the printed ``mean`` (GRIM).

    >>> grim("5.19", 28), grim("5.19", 32), grim("2.84", 16, items=2)
    (False, True, True)
    """
    return bool(grim_sums(mean, n, items, conventions))


def sd_interval(sd: Printed, conventions: Conventions = NEAREST) -> Interval:
    """The true SDs that round to the printed ``sd`` (never below 0).

    >>> sd_interval("2.5")
    (Fraction(49, 20), Fraction(51, 20), True, True)
    """
    s, dec = scaled(sd)
    if s < 0:
        raise DataError(f"a standard deviation cannot be negative, not {sd!r}")
    return interval(s, conventions).scaled(Fraction(1, 10 ** dec)).clip(0, None)


def _squared(span: Interval) -> Interval:
    return Interval(span[0] ** 2, span[1] ** 2, span[2], span[3])


def grimmer(mean: Printed, sd: Printed, n: int, items: int = 1, conventions: Conventions = NEAREST,
            low: int | None = None, high: int | None = None) -> tuple[bool | None, str]:
    """Whether a printed mean and SD can come from ``n`` people answering ``items`` whole-number items: GRIMMER.

    Returns ``(consistent, reason)``; the reason of an inconsistency is ``"grim"`` (no total gives the mean),
    ``"sd"`` (no whole-number sum of squares gives the SD: Allard's tests 1 and 2) or ``"parity"`` (only sums of
    squares of the wrong parity do: test 3; a sum of squares of whole numbers is odd exactly when their sum is).
    ``consistent`` is None, with reason ``"too many"``, when more than :data:`MAX_SUMS` totals would need checking.

    For each total s that gives the mean, the sample variance is (Q - s**2 / n) / (items**2 * (n - 1)) for a
    whole-number sum of squares Q, so the printed SD's interval becomes an interval for Q, exactly.

    >>> grimmer("5.21", "1.6", 28), grimmer("5.23", "2.55", 35)
    ((True, ''), (False, 'parity'))
    """
    if n < 2:
        raise DataError(f"a standard deviation needs at least 2 people, not n={n}")
    sums = grim_sums(mean, n, items, conventions, low, high)
    if not sums:
        return False, "grim"
    var = _squared(sd_interval(sd, conventions)).scaled(items ** 2 * (n - 1))
    if var[1] - var[0] >= 2 and (low is None or high is None):
        return True, ""  # an interval this wide holds whole numbers of both parities, whatever the total is
    if size(sums) > MAX_SUMS:
        return None, "too many"
    any_q = False
    for s in sums:
        q = Interval(var[0] + Fraction(s * s, n), var[1] + Fraction(s * s, n), var[2], var[3])
        if low is not None and high is not None:  # the sum of squares cannot exceed what the scale's ends allow
            m = Fraction(s, n * items)
            q = q.clip(q[0], Fraction(s * s, n) + items ** 2 * n * (high - m) * (m - low))
        qs = q.integers()
        if not qs:
            continue
        any_q = True
        if size(qs) > 1 or qs[0] % 2 == s % 2:
            return True, ""
    return False, ("parity" if any_q else "sd")


def sd_maximum(mean: Printed, n: int, low: int, high: int, conventions: Conventions = EVERY) -> Fraction:
    """The largest sample variance that ``n`` answers between ``low`` and ``high`` can have when their mean rounds
    to the printed ``mean``: n / (n - 1) * (high - m) * (m - low) at the true mean m (within the printed mean's
    interval) nearest the middle of the scale. Compare it with an SD squared.

    >>> float(sd_maximum("3", 10, 1, 5)), float(sd_maximum("5.0", 10, 1, 5))
    (4.444444444444445, 0.43333333333333335)
    """
    m, dec = scaled(mean)
    span = interval(abs(m), conventions).scaled(Fraction(1, 10 ** dec))
    lo, hi = (span.low, span.high) if m >= 0 else (-span.high, -span.low)
    middle = Fraction(low + high, 2)
    best = min(max(middle, lo), hi)
    return Fraction(n, n - 1) * max(Fraction(0), (high - best) * (best - low))


def debit(mean: Printed, sd: Printed, n: int, conventions: Conventions = NEAREST) -> bool:
    """Whether a printed mean (a proportion) and SD can come from ``n`` answers of 0 or 1: DEBIT.

    The data are c ones and n - c zeros for some whole c; the mean is c / n and the sample SD is
    sqrt(c (n - c) / (n (n - 1))). Both must round to the printed values. c (n - c) rises up to n / 2 and falls
    after it, so each half is searched by bisection: a few dozen steps, whatever n is.

    >>> [debit(x, s, 1683) for x, s in [("0.53", "0.50"), ("0.44", "0.50"), ("0.19", "0.35")]]
    [True, True, False]
    """
    if n < 2:
        raise DataError(f"a standard deviation needs at least 2 people, not n={n}")
    counts = grim_sums(mean, n, 1, conventions, 0, 1)
    if not counts:
        return False
    lo, hi, lc, hc = _squared(sd_interval(sd, conventions)).scaled(n * (n - 1))

    def at_least_low(c: int) -> bool:  # c (n - c) is at or above the low end of the interval
        g = c * (n - c)
        return g > lo or (lc and g == lo)

    def within_high(c: int) -> bool:
        g = c * (n - c)
        return g < hi or (hc and g == hi)

    half = n // 2
    rising = range(counts.start, min(counts.stop, half + 1))
    falling = range(max(counts.start, half), counts.stop)
    if rising:  # the first c whose value reaches the low end has the smallest such value
        first = _bisect(rising, at_least_low)
        if first is not None and within_high(first):
            return True
    if falling:  # the last c whose value reaches the low end
        last = _bisect(falling[::-1], at_least_low)
        if last is not None and within_high(last):
            return True
    return False


def _bisect(values: range, pred) -> int | None:
    """The first value of ``values`` for which ``pred`` holds, given that it holds from some point on."""
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(values[mid]):
            hi = mid
        else:
            lo = mid + 1
    return values[lo] if lo < len(values) else None
