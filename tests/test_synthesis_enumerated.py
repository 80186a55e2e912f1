"""What the synthesis engine says about all consistent tables, checked against a list of all of them: the chain's
stated distribution (hmbook.synthesis.chain: uniform over the consistent respondent tables) and the exact bounds of
a cross-tabulation (hmbook.synthesis.bounds).

A made-up survey of three (tests/data/synth/tiny.csv: a group, a question asked of that group that its members may
skip, a percentage without its count, a band and a minimum, a multi-answer set with at least one option chosen, and
a pinned respondent) is small enough to list every table: each respondent's possible rows (by the spec's own rules:
who is asked, who may skip, the set's fewest, the pin) crossed three times, and kept when every figure holds. Then
many copies of the chain are drawn and their frequencies compared with the uniform distribution over that list by a
chi-squared test (seeded, so the p-value is the same on every run). A chain that could not reach some tables, or
that favoured some, fails it.
"""

from __future__ import annotations

import copy
import itertools
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import chisquare

from hmbook import paths
from hmbook.data import published
from hmbook.synthesis import bounds, chain, synthesise
from hmbook.synthesis import spec as study_spec

READS_BUILD = False  # support.built_beside: nothing here reads _build

DATA = paths.ROOT / "tests" / "data" / "synth"


def every_table(program) -> np.ndarray:
    """Every table (tables x respondents x variables, codes) that satisfies the program, by brute force."""
    variables = program.variables
    states = [range(-1, len(v.levels)) for v in variables]
    rows = np.array(list(itertools.product(*states)), dtype=np.int16)
    spec = program.spec
    for k, v in enumerate(variables):  # who answers what, straight from the spec
        cond = np.ones(len(rows), dtype=bool)
        for name, level in v.asked:
            col = [u.name for u in variables].index(name)
            cond &= rows[:, col] == variables[col].levels.index(level)
        answered = rows[:, k] >= 0
        rows = rows[(answered <= cond) & (v.may_skip | (answered >= cond))]
    for _, options, fewest, _ in spec.sets:
        cols = [[u.name for u in variables].index(o) for o in options]
        rows = rows[(rows[:, cols] == 0).sum(axis=1) >= fewest]
    n = program.n
    per = [rows] * n
    for respondent, name, level in spec.pins:
        col = [u.name for u in variables].index(name)
        per[respondent - 1] = rows[rows[:, col] == variables[col].levels.index(level)]
    index = np.array(list(itertools.product(*(range(len(p)) for p in per))))
    tables = np.stack([per[i][index[:, i]] for i in range(n)], axis=1)
    keep = np.concatenate([_holds(program, tables[k:k + 100_000]) for k in range(0, len(tables), 100_000)])
    return tables[keep]


def _holds(program, tables: np.ndarray) -> np.ndarray:
    """Which of ``tables`` satisfy every row of the program (the rules hold by construction above)."""
    flat = tables.reshape(-1, tables.shape[2])
    lits = np.stack([np.isin(flat[:, var], list(codes)) for var, codes in program.literals], axis=1)
    per = np.stack([lits[:, list(q)].all(axis=1) for q in program.predicates], axis=1)
    counts = per.reshape(len(tables), -1, len(program.predicates)).sum(axis=1)
    ok = np.ones(len(tables), dtype=bool)
    for terms, low, high, _ in program.rows:
        value = sum(c * counts[:, q] for q, c in terms.items())
        ok &= (low is None or value >= low) & (high is None or value <= high) if terms else True
    return ok


@pytest.fixture(scope="module")
def tiny():
    figs = published.figures(DATA / "tiny.csv")
    spec = study_spec.read_spec(DATA / "tiny_spec.yml")
    built, conventions = synthesise.prepare(figs, spec)
    _, first = synthesise.start(built, 60)
    return figs, spec, built, conventions, first


def test_the_chain_draws_every_consistent_table_equally_often(tiny):
    figs, spec, built, conventions, first = tiny
    tables = every_table(built)
    assert 50 <= len(tables) <= 10_000, len(tables)  # the case is neither trivial nor too large to list
    for t in tables[:: max(1, len(tables) // 40)]:  # the list agrees with counting the figures independently
        synthesise._recount(synthesise.table(built, t), spec, figs, tuple(dict.fromkeys(built.carried)), conventions)
    key = {t.tobytes(): k for k, t in enumerate(tables)}
    draws = chain.draw(built, first, 200 * len(tables), seed=11)
    seen = np.array([key.get(d.tobytes(), -1) for d in draws])
    assert (seen >= 0).all(), "a draw breaks a figure"
    freq = np.bincount(seen, minlength=len(tables))
    assert (freq > 0).all(), f"{(freq == 0).sum()} of {len(tables)} consistent tables never drawn"
    p = chisquare(freq).pvalue
    assert p > 0.001, f"draws are not uniform over the {len(tables)} consistent tables (chi-squared p = {p:.2g})"


def _keeps_the_rules(built, tables: np.ndarray) -> np.ndarray:
    """Which tables keep tiny_rules_spec.yml's two rules, read from their meaning (not the engine's rows)."""
    col = {v.name: k for k, v in enumerate(built.variables)}
    used = tables[:, :, col["used"]] == 0  # Yes is a yes/no item's first level
    years = np.where(tables[:, :, col["years"]] >= 0, tables[:, :, col["years"]] + 1, 0)  # levels 1, 2, 3
    both = (tables[:, :, col["opt_x"]] == 0) & (tables[:, :, col["opt_y"]] == 0)
    answered = (tables[:, :, col["years"]] >= 0) & (tables[:, :, col["used"]] >= 0)
    return (~answered | (years + 2 * used <= 4)).all(axis=1) & ~(both & (tables[:, :, col["used"]] == 1)).any(axis=1)


def test_the_chain_is_uniform_over_the_tables_that_keep_the_rules():
    figs = published.figures(DATA / "tiny.csv")
    spec = study_spec.read_spec(DATA / "tiny_rules_spec.yml")
    built, _ = synthesise.prepare(figs, spec)
    rules = {r.id for r in spec.rules}
    figures_only = copy.copy(built)
    figures_only.rows = [row for row in built.rows if row[3] not in rules]  # the rules are checked below instead
    tables = every_table(figures_only)
    tables = tables[_keeps_the_rules(built, tables)]
    assert 10 <= len(tables) < len(every_table(figures_only)), len(tables)  # the rules remove some, not all
    _, first = synthesise.start(built, 60)
    key = {t.tobytes(): k for k, t in enumerate(tables)}
    draws = chain.draw(built, first, 300 * len(tables), seed=5)
    seen = np.array([key.get(d.tobytes(), -1) for d in draws])
    assert (seen >= 0).all(), "a draw breaks a figure or a rule"
    freq = np.bincount(seen, minlength=len(tables))
    assert (freq > 0).all() and chisquare(freq).pvalue > 0.001, freq


def test_a_chain_that_stops_too_soon_is_caught(tiny):
    """The same test on draws after one sweep of the chain: they stay near the start, so the test must fail."""
    _, _, built, _, first = tiny
    tables = every_table(built)
    key = {t.tobytes(): k for k, t in enumerate(tables)}
    draws = chain.draw(built, first, 200 * len(tables), seed=11, sweeps=1)
    freq = np.bincount([key[d.tobytes()] for d in draws], minlength=len(tables))
    assert chisquare(freq).pvalue < 1e-6


def test_the_same_seed_gives_the_same_tables_and_another_seed_others(tiny):
    _, _, built, _, first = tiny
    a, b, c = (chain.draw(built, first, 50, seed=s) for s in (3, 3, 4))
    assert a.tobytes() == b.tobytes() and a.tobytes() != c.tobytes()


@pytest.mark.parametrize("form", ["auto", "respondents"])
@pytest.mark.parametrize("a, b", [("used", "confident"), ("years", "opt_x"), ("opt_x", "opt_y"), ("years", "used")])
def test_the_bounds_are_those_of_the_listed_tables(tiny, a, b, form):
    """Every cell's fewest and most, and the association's ends, are those found among all consistent tables, in
    both forms of the integer program (classes of like respondents, and one unknown per respondent; opt_x by opt_y,
    two options of one set, takes the second even under "auto")."""
    figs, spec, built, _, _ = tiny
    tables = every_table(built)
    ca, cb = built.column(a), built.column(b)
    result = bounds.cross(figs, spec, a, b, time_limit=60, form=form)
    for row in result.cells.itertuples(index=False):
        i, j = built.variables[ca].levels.index(getattr(row, a)), built.variables[cb].levels.index(getattr(row, b))
        n = ((tables[:, :, ca] == i) & (tables[:, :, cb] == j)).sum(axis=1)
        assert (row.fewest, row.most) == (n.min(), n.max()), row
    answered_b = tables[:, :, cb] >= 0
    cell = [((tables[:, :, ca] == i) & (tables[:, :, cb] == 0)).sum(axis=1) for i in (0, 1)]
    size = [((tables[:, :, ca] == i) & answered_b).sum(axis=1) for i in (0, 1)]
    both = (size[0] > 0) & (size[1] > 0)
    diffs = [Fraction(int(x), int(r)) - Fraction(int(y), int(s))
             for x, r, y, s in zip(cell[0][both], size[0][both], cell[1][both], size[1][both])]
    assert result.difference == ((min(diffs), max(diffs)) if diffs else None)
    defined = both & (cell[0] > 0) & (cell[0] < size[0]) & (cell[1] > 0) & (cell[1] < size[1])
    odds = [Fraction(int(x) * int(s - y), int(r - x) * int(y))
            for x, r, y, s in zip(cell[0][defined], size[0][defined], cell[1][defined], size[1][defined])]
    assert result.odds_ratio == ((min(odds), max(odds)) if odds else None)
    assert result.odds_ratio_undefined == bool((~defined).any())


@pytest.mark.parametrize("form", ["auto", "respondents"])
def test_both_forms_find_a_consistent_table(tiny, form):
    _, _, built, _, _ = tiny
    compiled, first = synthesise.start(built, 60, form)
    assert chain.satisfied(built, first)
    assert (compiled.upper is not None) == (form == "auto")  # the class form is the one taken for this survey
