"""Agreement with the R package scrutiny on its published test cases (``tests/data/audit/scrutiny_conformance.csv``).

Each row is a case from scrutiny's tests, README or documentation (``source`` names the file and object) with the
verdict scrutiny expects. ``hmbook.grim`` must give the same verdict on every case whose ``difference``
is empty, and a different one, for the documented reason, on every case where it is not (the reasons are in
``tests/data/audit/README.md``). R is not needed: the expected verdicts are scrutiny's own, as published.
"""

import csv
from collections import Counter
from fractions import Fraction

import pytest

from hmbook import grim, paths

CASES = list(csv.DictReader((paths.ROOT / "tests" / "data" / "audit" / "scrutiny_conformance.csv").open()))
#: scrutiny's rounding names and hmbook's conventions (for non-negative values, floor is truncation and
#: anti_trunc is ceiling; "up_or_down", scrutiny's default, accepts halves rounded either way: round to nearest).
ROUNDING = {"up_or_down": grim.NEAREST, "up": ("half_up",), "down": ("half_down",), "even": ("half_even",),
            "ceiling_or_floor": ("ceiling", "truncate"), "ceiling": ("ceiling",), "floor": ("truncate",),
            "trunc": ("truncate",), "anti_trunc": ("ceiling",)}
DIFFERENCES = {"above_100", "exact_half_even", "exact_directed"}


def verdict(case) -> bool:
    conv, n, items = ROUNDING[case["rounding"]], int(case["n"]), int(case["items"])
    if case["test"] == "grim":
        return grim.grim(case["x"], n, items, conv)
    if case["test"] == "grim_percent":
        return bool(grim.implied_counts(n, case["x"], None, conv))
    if case["test"] == "grimmer":
        return bool(grim.grimmer(case["x"], case["sd"], n, items, conv)[0])
    if case["test"] == "debit":
        return grim.debit(case["x"], case["sd"], n, conv)
    raise ValueError(case["test"])


def test_the_set_is_what_the_docs_say():
    assert len(CASES) == 626
    assert Counter(c["test"] for c in CASES) == {"grim": 476, "grim_percent": 129, "grimmer": 14, "debit": 7}
    assert {c["difference"] for c in CASES} <= DIFFERENCES | {""}
    assert all(c["source"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_agreement_with_scrutiny(case):
    expected = case["expected"] == "true"
    if not case["difference"]:
        assert verdict(case) == expected, case
    else:  # a documented difference: hmbook differs, and the documented mechanism explains scrutiny's verdict
        assert verdict(case) != expected and expected, case
        assert nudged(case) if case["difference"] != "above_100" else beyond_100(case), case


def test_grimmer_reasons_match_where_scrutiny_states_them():
    named = {"GRIM inconsistent": "grim", "GRIMMER inconsistent (test 3)": "parity", "Passed all": ""}
    stated = [c for c in CASES if c["reason"]]
    assert len(stated) == 12
    for c in stated:
        assert grim.grimmer(c["x"], c["sd"], int(c["n"]))[1] == named[c["reason"]], c


# ------------------------------------------------------------------------------------------------ the mechanisms
def _granules(case):
    x = Fraction(case["x"])
    n, items = int(case["n"]), int(case["items"])
    dec = len(case["x"].partition(".")[2])
    if case["test"] == "grim_percent":
        x, dec = x / 100, dec + 2
    total = x * n * items
    return [Fraction(s, n * items) for s in {total.numerator // total.denominator,
                                             -(-total.numerator // total.denominator)}], x, dec


def nudged(case) -> bool:
    """scrutiny's verdict as scrutiny computes it: each candidate mean (granule) is moved up and down by a tiny
    amount ("dust", 1e-12) before rounding. With exact fractions, a granule exactly on a rounding boundary then
    rounds both ways; that alone makes these cases consistent."""
    granules, x, dec = _granules(case)
    dust = Fraction(1, 10 ** 12)
    conv = ROUNDING[case["rounding"]]
    unit = Fraction(1, 10 ** dec)
    hits = [grim.round_fraction((g + d) / unit, c) * unit == x for g in granules for d in (dust, -dust) for c in conv]
    exact = [grim.round_fraction(g / unit, c) * unit == x for g in granules for c in conv]
    return any(hits) and not any(exact)


def beyond_100(case) -> bool:
    """scrutiny reads a percentage above 100 as a proportion above 1 and finds a count that gives it; hmbook's
    counts run from 0 to n, and the audit reports such a percentage as out of range."""
    whole, _, dec = case["x"].partition(".")
    digits = whole + dec  # the percentage as a proportion, printed to two more decimals: 521 -> 5.21
    proportion = f"{digits[:-len(dec) - 2]}.{digits[-len(dec) - 2:]}"
    return Fraction(case["x"]) > 100 and grim.grim(proportion, int(case["n"]), 1, ROUNDING[case["rounding"]])


def test_agreement_figures():
    """The figures quoted in tests/data/audit/README.md."""
    agree = sum(not c["difference"] for c in CASES)
    by_reason = Counter(c["difference"] for c in CASES if c["difference"])
    assert agree == 592 and by_reason == {"exact_directed": 25, "exact_half_even": 6, "above_100": 3}
    default = [c for c in CASES if c["rounding"] == "up_or_down"]
    assert len(default) == 434 and sum(not c["difference"] for c in default) == 431
