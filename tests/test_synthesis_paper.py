"""This paper through the general engine (hmbook.synthesis, data/published/spec.yml): every table it draws passes
`verify`, keeps the choices of the assumption register the spec expresses, and agrees in distribution with the
book's vectorised generator (hmbook.replicate.synth) on what both leave to chance in the same way.

Every table here is SYNTHETIC.
"""

import csv
import subprocess
import sys

import numpy as np
import pytest
import yaml
from scipy import stats

from hmbook import paths
from hmbook.data import published, schema
from hmbook.replicate import synth, verify
from hmbook.synthesis import paper
from hmbook.synthesis import spec as spec_
from support.project import env_for

DRAWS, SEED = 400, 11


@pytest.fixture(scope="module")
def drawn():
    """The engine's tables of this paper (as it hands them out: strings, empty = unanswered)."""
    return paper.result(DRAWS, seed=SEED).tables


def test_every_table_the_engine_draws_passes_verify(drawn):
    for k, table in enumerate(drawn[:25]):
        report, ok = verify.report(paper.respondents(table))
        assert ok, f"draw {k + 1}:\n{report}"


def _empty(table, column):
    return set(table.loc[table[column] == "", "respondent_id"])


def test_the_registers_choices_hold_in_every_draw(drawn):
    """Counted here from the tables, not through the engine's program: A01, A03, A04, A06, A12 and A15."""
    top = {"20-29": 29, "30-39": 39, "40-49": 49, "50-59": 59, "60-69": 69}
    for table in drawn:
        users = table["used_hm"] == "true"
        block = _empty(table, "trained")
        assert len(block) == 2 and block <= set(table.loc[users, "respondent_id"])  # A01: 2 users
        for column in ("local_guidelines", "national_guidelines"):
            assert _empty(table, column) == block  # A01, A02
        assert _empty(table[users], "confidence") == block  # A03
        shas = _empty(table, "shas_safe_environment")
        assert shas == _empty(table, "shas_right_to_self_harm") and len(shas) == 4 and block < shas  # A04
        stopped = set(table.loc[table["completed_survey"] == "false", "respondent_id"])
        assert len(stopped) == 1 and stopped <= block  # A06
        years = table["years_in_role"].astype(int)
        assert (years <= table["age_group"].map(top) - 20).all()  # A12
        assert (table.loc[table["occupation"] == "General practitioner", "organisation"] == "NHS").all()  # A15


def test_the_draws_differ_and_the_same_seed_gives_the_same_tables(drawn):
    assert len({tuple(t["occupation"]) for t in drawn[:50]}) == 50
    first, again = paper.result(3, seed=SEED + 1).tables, paper.result(3, seed=SEED + 1).tables
    assert all(a.equals(b) for a, b in zip(first, again))


def _binned(a: np.ndarray, b: np.ndarray, least: int = 10) -> np.ndarray:
    """Two samples' counts of each value, neighbouring values merged until each bin holds ``least`` of both."""
    values = np.union1d(a, b)
    bins, current = [], [0, 0]
    for v in values:
        current = [current[0] + int((a == v).sum()), current[1] + int((b == v).sum())]
        if sum(current) >= least:
            bins.append(current)
            current = [0, 0]
    if sum(current):
        bins[-1] = [bins[-1][0] + current[0], bins[-1][1] + current[1]]
    return np.array(bins).T


def test_the_engine_and_the_vectorised_generator_agree_where_both_leave_things_to_chance(drawn):
    """Gender by country, two techniques among users, and age by gender: neither generator ties these to anything
    but the printed margins and the pins, so each is uniform over the same arrangements; the counts of a cell
    over the draws should then follow one distribution (a chi-squared test of the two samples, both seeded)."""
    ens = synth.ensemble(DRAWS, seed=SEED)

    def code(column, label):
        return schema.column(column).categories.index(label)

    female = ens.codes["gender"] == code("gender", "Female")
    users = ens.codes["used_hm"] == 1
    vectorised = {
        "female in England": (female & (ens.codes["country"] == code("country", "England"))).sum(axis=1),
        "users of ice and rubber bands": (users & (ens.codes["tech_ice"] == 1)
                                          & (ens.codes["tech_rubber_bands"] == 1)).sum(axis=1),
        "female aged 30-39": (female & (ens.codes["age_group"] == code("age_group", "30-39"))).sum(axis=1),
    }
    engine = {
        "female in England": [((t["gender"] == "Female") & (t["country"] == "England")).sum() for t in drawn],
        "users of ice and rubber bands": [((t["used_hm"] == "true") & (t["tech_ice"] == "true")
                                           & (t["tech_rubber_bands"] == "true")).sum() for t in drawn],
        "female aged 30-39": [((t["gender"] == "Female") & (t["age_group"] == "30-39")).sum() for t in drawn],
    }
    for name, ours in engine.items():
        ours = np.array(ours)
        table = _binned(ours, vectorised[name])
        assert table.shape[1] >= 3, (name, table)  # the statistic varies: a test with something to compare
        p = stats.chi2_contingency(table)[1]
        assert p > 0.001, (name, p, ours.mean(), vectorised[name].mean())
    # and against the exact mean where it is known: 60 women and 79 in England, shuffled independently
    assert abs(np.mean(engine["female in England"]) - 60 * 79 / 90) < 0.3


def test_the_register_says_how_the_spec_expresses_each_entry():
    study = spec_.read_spec(paths.SPEC_YML)
    register = published.assumptions()
    ids = set(register["assumption_id"])
    assert all(rule.id.split("-")[0] in ids for rule in study.rules), [r.id for r in study.rules]
    text = dict(zip(register["assumption_id"], register["spec"]))
    for rule in study.rules:  # each rule is named by the entry it expresses
        assert f"rule {rule.id}" in text[rule.id.split("-")[0]] or f"rules {rule.id}" in text[rule.id.split("-")[0]] \
            or f"and {rule.id}" in text[rule.id.split("-")[0]], rule.id
    for fid in study.read:
        assert any(f"read {fid}" in t for t in text.values()) or fid == "flow_analysed", fid
    for fid in study.not_carried:
        assert any(fid in t for t in text.values() if "not_carried" in t), fid
    raw = yaml.safe_load(paths.SPEC_YML.read_text(encoding="utf-8"))
    assert raw["pins_from"] == paths.FACTS_CSV.name and all(
        "pins_from" in text[a] for a in set(published.respondent_facts()["assumption_id"]) - {""})


def test_hmbook_synth_makes_this_papers_table_from_the_command_line(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "hmbook", "synth", str(paths.FIGURES_CSV), "--spec",
                           str(paths.SPEC_YML), "--out", str(out), "--seed", "3"], capture_output=True, text=True,
                          env=env_for(None), timeout=300)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    rows = list(csv.DictReader((out / "synthetic_respondents.csv").open(encoding="utf-8")))
    assert len(rows) == 90 and sum(r["used_hm"] == "true" for r in rows) == 76
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("SYNTHETIC DATA.") and "t2_users_anatomy" in readme
