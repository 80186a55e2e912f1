"""hmbook synth: a SYNTHETIC respondent table for any figures file and study spec, solved exactly (HiGHS).

Run as a user runs it (``hmbook synth`` in a child process, tests/support/cli.py) on two made-up surveys: the
audit's clean file (groups, a question asked of one group, percentages with and without their counts) and a file
of bands, a range and a multi-answer set. Every figure is counted again here, independently of the solver; the
bad cases are one line, exit 2, nothing written.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hmbook import paths
from hmbook.data import published
from hmbook.errors import DataError
from hmbook.synthesis import spec as study_spec
from hmbook.synthesis import synthesise
from support.cli import run_cli

READS_BUILD = False  # support.built_beside: nothing here reads _build

DATA = paths.ROOT / "tests" / "data"
CLEAN, CLEAN_SPEC = DATA / "audit" / "clean.csv", DATA / "synth" / "clean_spec.yml"
BANDS, BANDS_SPEC = DATA / "synth" / "bands.csv", DATA / "synth" / "bands_spec.yml"


def synth(tmp_path, figures=CLEAN, spec=CLEAN_SPEC, *extra, name="out"):
    status, out, err = run_cli("synth", figures, "--spec", spec, "--out", tmp_path / name, *extra)
    return status, out, err, tmp_path / name


def test_the_clean_survey_is_rebuilt_and_every_figure_holds(tmp_path):
    status, out, err, folder = synth(tmp_path)
    assert status == 0 and not err and "50 SYNTHETIC respondents" in out and "16 figures held" in out
    t = pd.read_csv(folder / "synthetic_respondents.csv", dtype=str, keep_default_na=False)
    users, others = t[t["used"] == "true"], t[t["used"] == "false"]
    assert len(t) == 50 and len(users) == 30 and (t["sex"] == "Female").sum() == 33 and (t["role"] == "Doctor").sum() == 10
    assert (users["item"] == "true").sum() == 12 and (others["item"] == "true").sum() == 5
    assert (users["confident"] == "true").sum() == 21 and (users["confident"] == "false").sum() == 9
    assert (others["confident"] == "").all()  # asked of users only
    readme = (folder / "README.txt").read_text()
    assert readme.startswith("SYNTHETIC DATA.") and "half_up, half_even, half_down" in readme


def test_bands_ranges_and_a_multi_answer_set(tmp_path):
    status, out, err, folder = synth(tmp_path, BANDS, BANDS_SPEC)
    assert status == 0 and not err, err
    t = pd.read_csv(folder / "synthetic_respondents.csv")
    years = t["years"]
    assert (years.min(), years.max()) == (1, 30)
    assert [(years <= 5).sum(), years.between(6, 15).sum(), (years >= 16).sum()] == [12, 18, 10]
    assert (t["opt_ice"].sum(), t["opt_bands"].sum(), t["opt_other"].sum()) == (25, 15, 8)  # 62.5% of 40 is 25
    assert (t[["opt_ice", "opt_bands", "opt_other"]].sum(axis=1) >= 1).all()  # min_chosen: 1
    assert bool(t.loc[0, "opt_other"])  # the pin


def test_a_seed_gives_the_same_bytes_and_another_seed_another_table(tmp_path):
    outputs = []
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        status, _, err, folder = synth(tmp_path, CLEAN, CLEAN_SPEC, "--seed", seed, name=name)
        assert status == 0, err
        outputs.append((folder / "synthetic_respondents.csv").read_bytes())
    assert outputs[0] == outputs[1] and outputs[0] != outputs[2]


def test_figures_that_cannot_hold_together_are_named(tmp_path):
    """Two slips planted in the clean file: each run names the smallest set of figures that cannot all hold."""
    text = CLEAN.read_text()
    planted = {"t1_sex_f, text_sex_f": text.replace("Female,33,50,66", "Female,34,50,68"),
               "text_sex_f": text.replace("Female,,,66", "Female,,,67")}  # 67% of 50 is no whole count
    for named, figures in planted.items():
        path = tmp_path / "figures.csv"
        path.write_text(figures)
        status, out, err, folder = synth(tmp_path, path)
        assert status == 2 and not out and err.count("\n") == 1, err
        assert f"satisfies these figures together: {named} (read them beside `hmbook audit`" in err
        assert not folder.exists()


def test_not_carried_figures_are_left_out_and_said(tmp_path):
    figures = tmp_path / "figures.csv"
    figures.write_text(CLEAN.read_text() + "design_items,Methods,all,design,items,12,,\n"
                       + "slip,Results,all,sex,Female,,,67\n")
    spec = tmp_path / "spec.yml"
    spec.write_text(CLEAN_SPEC.read_text() + "not_carried:\n  slip: no count out of 50 gives 67% (the audit's "
                                              "finding)\n")
    status, out, err, folder = synth(tmp_path, figures, spec)
    assert status == 0, err
    assert "2 not carried" in out and "design_items, slip" in (folder / "README.txt").read_text()


BAD_SPECS = {
    "not YAML": ("spec: [", "not YAML at line"),
    "a figures file given as a spec": (CLEAN.read_text(), "not a study spec"),
    "an unknown kind": ("spec: hmbook-study-spec/1\nrespondents: 50\nvariables:\n  - {name: used, kind: colour}",
                        "variables[0].kind: 'colour' is not one of"),
    "a huge N": ("spec: hmbook-study-spec/1\nrespondents: 1000000\nvariables:\n  - {name: used, kind: yesno}",
                 "respondents: 1000000 is greater than the maximum of 100000"),
    "a duplicate variable": ("spec: hmbook-study-spec/1\nrespondents: 50\nvariables:\n  - {name: used, kind: yesno}\n"
                             "  - {name: used, kind: yesno}", "the variable 'used' is declared twice"),
    "a condition on an unknown variable": (
        "spec: hmbook-study-spec/1\nrespondents: 50\nvariables:\n  - {name: used, kind: yesno}\ngroups:\n"
        "  a: {colour: red}", "groups.a: no variable 'colour' in the spec"),
    "a condition on an unknown level": (
        "spec: hmbook-study-spec/1\nrespondents: 50\nvariables:\n  - {name: sex, kind: category, levels: [F, M]}\n"
        "groups:\n  a: {sex: X}", "groups.a: 'X' is not a value of sex"),
    "a YAML alias bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                          "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nspec: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
                          "not a study spec: it uses a YAML alias"),
    "nested too deeply": ("spec: " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "a category without levels": ("spec: hmbook-study-spec/1\nrespondents: 50\nvariables:\n  - {name: sex, kind: "
                                  "category}", "a category variable needs levels"),
}


@pytest.mark.parametrize("case", BAD_SPECS)
def test_a_bad_spec_is_one_line(tmp_path, case):
    text, message = BAD_SPECS[case]
    spec = tmp_path / "spec.yml"
    spec.write_text(text)
    status, out, err, folder = synth(tmp_path, CLEAN, spec)
    assert status == 2 and not out and err.count("\n") == 1 and message in err, err
    assert not folder.exists()


BAD_AGAINST_FIGURES = {
    "a group the spec does not define": ("groups:\n  a: {used: true}\n  b: {used: false}\n", "groups:\n  a: {used: true}\n",
                                         "printed for group 'b', which the spec does not define"),
    "a level the figures print but the spec lacks": ("levels: [Nurse, Doctor]", "levels: [Nurse, Surgeon]",
                                                     "counts role = 'Doctor', which is not a level the spec declares"),
    "a level no figure prints": ("levels: [Nurse, Doctor]", "levels: [Nurse, Doctor, Surgeon]",
                                 "role's level 'Surgeon' is in no figure"),
    "a variable no figure names": ("  - name: item\n", "  - name: itme\n", "variable 'itme' is in no figure"),
    "N from a figure that is not there": ("respondents: abs_n", "respondents: abs_nn",
                                          "the figures file has no count for figure 'abs_nn'"),
}


@pytest.mark.parametrize("case", BAD_AGAINST_FIGURES)
def test_a_spec_that_does_not_fit_its_figures_is_one_line(tmp_path, case):
    old, new, message = BAD_AGAINST_FIGURES[case]
    assert old in CLEAN_SPEC.read_text()
    spec = tmp_path / "spec.yml"
    spec.write_text(CLEAN_SPEC.read_text().replace(old, new))
    status, out, err, folder = synth(tmp_path, CLEAN, spec)
    assert status == 2 and not out and err.count("\n") == 1 and message in err, err
    assert not folder.exists()


@pytest.mark.parametrize("limit, message", [("0", "not a number of seconds above 0"), ("1e9", "at most 86400")])
def test_a_bad_time_limit_is_refused_before_any_work(tmp_path, limit, message):
    status, _, err, folder = synth(tmp_path, CLEAN, CLEAN_SPEC, "--time-limit", limit)
    assert status == 2 and message in err and not folder.exists()


def test_the_template_is_written_once_and_says_what_to_fill_in(tmp_path):
    target = tmp_path / "spec.yml"
    status, out, err = run_cli("synth", "--template", target)
    assert status == 0 and not err and target.read_text() == study_spec.template()
    before = target.read_bytes()
    status, _, err = run_cli("synth", "--template", target)
    assert status == 2 and "already exists" in err and target.read_bytes() == before
    with pytest.raises(DataError, match="variables: \\[\\] should be non-empty"):
        study_spec.read_spec(target)  # the template's variables are still to be filled in


def test_an_existing_different_table_is_kept_without_force(tmp_path):
    status, _, err, folder = synth(tmp_path, CLEAN, CLEAN_SPEC, "--seed", "1")
    before = (folder / "synthetic_respondents.csv").read_bytes()
    status, _, err, _ = synth(tmp_path, CLEAN, CLEAN_SPEC, "--seed", "2")
    assert status == 2 and (folder / "synthetic_respondents.csv").read_bytes() == before
    status, _, err, _ = synth(tmp_path, CLEAN, CLEAN_SPEC, "--seed", "2", "--force")
    assert status == 0 and (folder / "synthetic_respondents.csv").read_bytes() != before


def test_the_engine_checks_its_own_table():
    """synthesise counts every carried figure again in the table it returns (an independent recount)."""
    figs, spec = published.figures(CLEAN), study_spec.read_spec(CLEAN_SPEC)
    result = synthesise.synthesise(figs, spec, seed=5, time_limit=60)
    assert len(result.carried) == 16 and result.not_carried == ()
    broken = result.table.copy()
    broken.loc[broken["sex"] == "Male", "sex"] = "Female"
    with pytest.raises(DataError, match="breaks figure t1_sex_f"):
        synthesise._recount(broken, spec, figs, result.carried, result.conventions)


def test_an_ensemble_is_seeded_and_every_draw_holds_every_figure(tmp_path):
    outputs = []
    for name in ("a", "b"):
        status, out, err, folder = synth(tmp_path, CLEAN, CLEAN_SPEC, "--ensemble", "30", "--seed", "5", name=name)
        assert status == 0 and not err and "30 SYNTHETIC tables of 50 respondents" in out, (out, err)
        outputs.append((folder / "synthetic_ensemble.csv").read_bytes())
    assert outputs[0] == outputs[1]
    both = pd.read_csv(tmp_path / "a" / "synthetic_ensemble.csv", dtype=str, keep_default_na=False)
    assert list(both["draw"].unique()) == [str(k) for k in range(1, 31)] and len(both) == 30 * 50
    figs, spec = published.figures(CLEAN), study_spec.read_spec(CLEAN_SPEC)
    built, conventions = synthesise.prepare(figs, spec)
    tables = [t.drop(columns="draw").reset_index(drop=True) for _, t in both.groupby("draw", sort=False)]
    for t in tables:  # counted independently of the engine
        synthesise._recount(t, spec, figs, tuple(dict.fromkeys(built.carried)), conventions)
    assert len({t.to_csv() for t in tables}) > 25  # the draws differ
    readme = (tmp_path / "a" / "README.txt").read_text()
    assert readme.startswith("SYNTHETIC DATA.") and "uniform over every table that holds the figures" in readme


def test_bounds_of_a_cross_the_survey_never_printed(tmp_path):
    """sex by role: 33 women and 17 men, 40 nurses and 10 doctors, nothing printed about the two together, so the
    bounds are Frechet's: at least 33 - 10 = 23 women nurses, at most 33."""
    status, out, err = run_cli("bounds", CLEAN, "--spec", CLEAN_SPEC, "--cross", "sex", "role")
    assert status == 0 and not err, err
    lines = [line.split() for line in out.splitlines()]
    assert ["Female", "Nurse", "23", "33"] in lines and ["Male", "Doctor", "0", "10"] in lines
    assert "difference in proportions: from -0.303 (-10/33) to 0.588 (10/17)" in out
    assert "SYNTHETIC" in out
    status, out, err = run_cli("bounds", CLEAN, "--spec", CLEAN_SPEC, "--cross", "used", "item")
    assert status == 0 and ["Yes", "Yes", "12", "12"] in [line.split() for line in out.splitlines()]
    assert "odds ratio: from 2.000 to 2.000" in out  # both groups' counts are printed: one table only


@pytest.mark.parametrize("a, b", [("role", "confident"), ("used", "confident"), ("age", "years")])
def test_bounds_on_one_block_are_those_of_the_whole_program(a, b):
    """tests/data/synth/blocks_spec.yml has two blocks no row joins. Bounds leave the other block out and count the
    two respondents pinned alike as one class of two (Program.focused); every cell's ends must still be those of
    the whole program in its plainest form, one 0/1 unknown per respondent and level, solved here directly."""
    from hmbook.synthesis import aggregate, bounds, solve

    figs = published.figures(DATA / "synth" / "blocks.csv")
    spec = study_spec.read_spec(DATA / "synth" / "blocks_spec.yml")
    result = bounds.cross(figs, spec, a, b, time_limit=60)
    built, _ = synthesise.prepare(figs, spec)
    ca, cb = built.column(a), built.column(b)
    cells = {(lv_a, lv_b): built.predicate([(ca, [i]), (cb, [j])])
             for i, lv_a in enumerate(spec.variable(a).levels) for j, lv_b in enumerate(spec.variable(b).levels)}
    focused = built.focused(cells.values())
    names = {built.variables[k].name for k in focused.relevant}
    assert names == ({"age", "years"} if a == "age" else {"used", "confident", "role"})  # the other block is out
    assert aggregate.compile_classes(focused, tuple(cells.values())) is not None  # counted in classes
    whole = solve.compile_program(built, also=tuple(cells.values()), form="respondents")
    for row in result.cells.itertuples(index=False):
        assert (row.fewest, row.most) == solve.span(whole, cells[(getattr(row, a), getattr(row, b))], 60), row


def test_a_linear_rule_is_the_combinations_that_break_it(tmp_path):
    """years - (top of the age band) <= -20: each band forbids exactly the years above its top minus 20."""
    path = tmp_path / "spec.yml"
    path.write_text("""spec: hmbook-study-spec/1
respondents: 10
variables:
  - {name: age, kind: category, levels: ["20-29", "30-39"]}
  - {name: years, kind: whole, low: 0, high: 15}
rules:
  - {id: fit, linear: {years: 1, age: -1}, at_most: -20, values: {age: {"20-29": 29, "30-39": 39}}}
""", encoding="utf-8")
    (rule,) = study_spec.read_spec(path).rules
    assert rule.kind == "never" and rule.forbidden == (
        (("age", ("20-29",)), ("years", tuple(str(y) for y in range(10, 16)))),)  # 30-39 allows all 0 to 15


def test_the_template_shows_every_kind_of_rule_and_reading(tmp_path):
    text = study_spec.template()
    for key in ("never:", "skip_together:", "if_skipped:", "also_skipped:", "linear:", "at_most:", "pins_from:",
                "read:"):
        assert key in text, key
