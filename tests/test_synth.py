"""The generator: exact, deterministic, consistent across an ensemble, and plausible where the paper is silent."""

import io
import re

import numpy as np
import pandas as pd
import pytest

from hmbook import paths
from hmbook.data import published, respondents, schema
from hmbook.errors import DataError
from hmbook.replicate import synth, tables


def csv_text(df):
    buf = io.StringIO()
    respondents.write_csv(df, buf)
    return buf.getvalue()


def test_default_seed_regenerates_the_committed_file_byte_for_byte():
    assert csv_text(synth.generate()).encode("utf-8") == paths.RESPONDENTS_CSV.read_bytes()


def test_generate_command_writes_the_committed_bytes(tmp_path, cli):
    status, out, err = cli("generate", "--out", tmp_path)
    assert status == 0, err
    assert (tmp_path / "respondents.csv").read_bytes() == paths.RESPONDENTS_CSV.read_bytes()


def test_same_seed_same_table_other_seed_other_table():
    a, b, c = synth.generate(7), synth.generate(7), synth.generate(8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
def test_any_seed_reproduces_every_published_figure(seed):
    df = synth.generate(seed)
    cmp = tables.compare(df)
    assert (cmp["status"] != "mismatch").all(), cmp.loc[cmp["status"] == "mismatch", ["figure_id", "detail"]]
    assert (tables.check_facts(df)["status"] == "match").all()


def test_every_member_of_an_ensemble_reproduces_the_paper():
    ens = synth.ensemble(25, seed=3)
    for i in range(len(ens)):
        df = ens.frame(i)
        cmp = tables.compare(df)
        assert not (cmp["status"] == "mismatch").any(), i
        assert (tables.check_facts(df)["status"] == "match").all(), i


def test_ensemble_margins_are_constant_and_associations_vary():
    ens = synth.ensemble(500, seed=11)
    used = ens.codes["used_hm"] == 1
    # A published margin: identical in every dataset.
    assert set((used & (ens.codes["tech_ice"] == 1)).sum(axis=1)) == {43}
    # An association the paper never reports: varies between datasets.
    both = ((ens.codes["trained"] == 1) & (ens.codes["confidence"] == 0)).sum(axis=1)
    assert both.min() < both.max()


def test_years_in_role_fit_the_age_band_and_keep_the_published_extremes():
    ens = synth.ensemble(1000, seed=5)
    tops = np.array([int(a.split("-")[1]) for a in schema.column("age_group").categories])
    cap = np.minimum(tops - 20, 40)[ens.codes["age_group"]]
    years = ens.codes["years_in_role"]
    assert (years <= cap).all() and (years >= 0).all()
    assert (years.min(axis=1) == 0).all() and (years.max(axis=1) == 40).all()


def test_gps_work_in_the_nhs_and_other_splits_follow_the_register():
    ens = synth.ensemble(200, seed=9)
    gp = ens.codes["occupation"] == schema.column("occupation").categories.index("General practitioner")
    assert (ens.codes["organisation"][gp] == 0).all()  # A15
    register = published.assumptions().set_index("assumption_id")["choice"]
    for key, aid in (("occupation_other", "A13"), ("organisation_other", "A14")):
        cats = schema.column(key).categories
        for label, count in synth.ILLUSTRATIVE_SPLITS[key].items():
            assert f"{label.lower()} {count}" in register[aid].lower()
            assert set((ens.codes[key] == cats.index(label)).sum(axis=1)) == {count}


def test_missing_answers_are_nested_as_the_register_says(committed):
    users = committed[committed["used_hm"].astype(bool)]
    gaps_training = set(users.loc[users["trained"].isna(), "respondent_id"])
    gaps_conf = set(users.loc[users["confidence"].isna(), "respondent_id"])
    gaps_shas = set(users.loc[users["shas_safe_environment"].isna(), "respondent_id"])
    dropout = set(committed.loc[~committed["completed_survey"].astype(bool), "respondent_id"])
    assert len(gaps_training) == 2 and gaps_training == gaps_conf  # A01, A03
    assert len(gaps_shas) == 4 and gaps_training < gaps_shas  # A04
    assert len(dropout) == 1 and dropout < gaps_training  # A06


@pytest.mark.parametrize("k", [0, -1, 2.5, "10"])
def test_ensemble_rejects_a_bad_size(k):
    with pytest.raises(DataError, match="k must be a positive whole number"):
        synth.ensemble(k)


def test_every_assumption_cited_in_code_is_in_the_register():
    register = set(published.assumptions()["assumption_id"])
    cited = set()
    for path in (paths.ROOT / "hmbook").rglob("*.py"):
        cited |= set(re.findall(r"\bA\d\d\b", path.read_text()))
    cited |= set(published.respondent_facts()["assumption_id"]) - {""}
    assert cited <= register, cited - register
    # ... and every entry is used somewhere: in code, in the facts, or attached to a figure.
    attached = {a for a, ids in published.assumptions()[["assumption_id", "figure_ids"]].itertuples(index=False) if ids}
    assert register <= cited | attached, register - cited - attached
