"""``hmbook.grim`` against brute force: every closed-form answer equals a search over small numbers.

The functions never enumerate (so that a printed number of any size costs the same); these tests do, on numbers
small enough to enumerate, with a seeded generator. GRIMMER is a necessary condition, so it is tested on data that
exist: it must accept every mean and SD computed from real whole-number answers.
"""

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from hmbook import grim
from hmbook.errors import DataError

CONVENTION_SETS = [grim.NEAREST, ("half_up",), ("half_even",), ("half_down",), ("truncate",), ("ceiling",),
                   (grim.DOUBLE,), grim.EVERY, ("truncate", "ceiling")]


def rounded(value: Fraction, conventions, decimals: int) -> set[int]:
    return {grim.round_fraction(value * 10 ** decimals, c) for c in conventions}


def text(target: int, decimals: int) -> str:
    """target units of the last decimal place, printed: text(5830, 2) == "58.30"."""
    return str(Decimal(target).scaleb(-decimals)) if decimals else str(target)


@pytest.fixture
def rng():
    return random.Random(20240601)


def test_counts_and_denominators_equal_a_search(rng):
    for _ in range(300):
        den, dec, conv = rng.randint(1, 250), rng.choice([0, 0, 1, 2]), rng.choice(CONVENTION_SETS)
        target = rng.randint(0, 100 * 10 ** dec + 2)
        pct = text(target, dec)
        want = [c for c in range(den + 1) if target in rounded(Fraction(100 * c, den), conv, dec)]
        assert list(grim.implied_counts(den, pct, None, conv)) == want, (den, pct, conv)
        count = rng.randint(0, 150)
        want = [d for d in range(max(count, 1), 801) if target in rounded(Fraction(100 * count, d), conv, dec)]
        assert list(grim.implied_denominators(count, pct, None, conv, upto=800)) == want, (count, pct, conv)


def test_smallest_denominator_equals_a_search(rng):
    def fits_some_count(d, target, dec, conv):  # only counts within two of the exact value can round to target
        near = target * d // (100 * 10 ** dec)
        return any(target in rounded(Fraction(100 * c, d), conv, dec)
                   for c in range(max(near - 2, 0), min(near + 3, d + 1)))

    for _ in range(200):
        dec, conv = rng.choice([0, 1, 1, 2]), rng.choice(CONVENTION_SETS)
        target = rng.randint(0, 100 * 10 ** dec + 1)
        want = next((d for d in range(1, 100 * 10 ** dec + 2) if fits_some_count(d, target, dec, conv)), None)
        assert grim.smallest_denominator(text(target, dec), None, conv) == want, (target, dec, conv)


def test_grim_sums_equal_a_search(rng):
    for _ in range(400):
        n, items, dec = rng.randint(1, 40), rng.choice([1, 2, 3]), rng.choice([1, 2])
        conv = rng.choice(CONVENTION_SETS)
        sign = rng.choice([1, 1, -1])
        target = rng.randint(0, 7 * 10 ** dec)
        mean = ("-" if sign < 0 and target else "") + text(target, dec)
        cells = n * items
        want = [s for s in range(-8 * cells, 8 * cells + 1)  # a negative mean is rounded as its mirror image
                if target in rounded(abs(Fraction(s, cells)), conv, dec) and (not target or (s > 0) == (sign > 0))]
        got = list(grim.grim_sums(mean, n, items, conv))
        assert got == want, (mean, n, items, conv)


def test_debit_equals_a_search(rng):
    for _ in range(800):
        n, dx, ds = rng.randint(2, 60), rng.choice([1, 2, 3]), rng.choice([1, 2, 3])
        conv = rng.choice([grim.NEAREST, ("half_up",), ("truncate",), grim.EVERY])
        x, s = rng.randint(0, 10 ** dx), rng.randint(0, 6 * 10 ** (ds - 1))
        sd_span = grim.sd_interval(text(s, ds), conv)
        squared = grim.Interval(sd_span.low ** 2, sd_span.high ** 2, sd_span[2], sd_span[3])
        want = any(x in rounded(Fraction(c, n), conv, dx) and squared.contains(Fraction(c * (n - c), n * (n - 1)))
                   for c in range(n + 1))
        assert grim.debit(text(x, dx), text(s, ds), n, conv) == want, (x, s, n, conv)


def test_grimmer_accepts_every_real_dataset(rng):
    for _ in range(800):
        n, items, low, high = rng.randint(2, 12), rng.choice([1, 1, 2, 3]), 1, 5
        scores = [Fraction(sum(rng.randint(low, high) for _ in range(items)), items) for _ in range(n)]
        mean = sum(scores) / n
        var = sum((v - mean) ** 2 for v in scores) / (n - 1)
        dm, ds, conv = rng.choice([1, 2]), rng.choice([1, 2]), rng.choice([grim.NEAREST, ("half_up",), ("truncate",)])
        mean_text = text(min(rounded(mean, conv, dm)), dm)
        sd_target = next(t for t in range(0, 10 ** (ds + 2))
                         if grim.Interval(*(v ** 2 if i < 2 else v for i, v in enumerate(
                             grim.sd_interval(text(t, ds), conv[:1])))).contains(var))
        sd_text = text(sd_target, ds)
        assert grim.grim(mean_text, n, items, conv)
        assert grim.grimmer(mean_text, sd_text, n, items, conv)[0], (scores, mean_text, sd_text, conv)
        assert grim.grimmer(mean_text, sd_text, n, items, conv, low, high)[0], (scores, mean_text, sd_text)
        assert grim.sd_interval(sd_text, grim.EVERY).low ** 2 <= grim.sd_maximum(mean_text, n, low, high)


def test_large_numbers_take_no_more_work(rng):
    big = 10 ** 15
    assert grim.implied_counts(big, "33.333333333333") == range(333333333333325, 333333333333336)
    assert grim.smallest_denominator("33.333333333333") == 3
    assert grim.debit("0.50", "0.50", big)
    assert grim.grimmer("3.00", "1.00", big)[0]
    assert len(grim.grim_sums("3.1", big)) == big // 10 + 1


def test_bad_arguments():
    with pytest.raises(DataError, match="not a number"):
        grim.scaled("3,1")
    with pytest.raises(DataError, match="cannot be negative"):
        grim.grimmer("3.1", "-1", 10)
    with pytest.raises(DataError, match="at least 2"):
        grim.debit("0.5", "0.5", 1)
    with pytest.raises(DataError, match="unknown rounding"):
        grim.interval(3, ("sideways",))
    assert math.isclose(float(grim.sd_maximum("3", 10, 1, 5)), 40 / 9)
