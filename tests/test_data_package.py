"""The data package: Frictionless validation, fresh hashes, the synthetic label, and the figures file's shape."""

import json
import shutil

import frictionless
import pytest

from hmbook import paths
from hmbook.data import datapackage, published, schema


def validate(descriptor_path):
    return frictionless.validate(str(descriptor_path))


def test_the_committed_package_is_valid():
    report = validate(paths.DATAPACKAGE_JSON)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_committed_descriptor_is_current():
    """Regenerate with `python -m hmbook package` after changing a data file or the schema."""
    assert paths.DATAPACKAGE_JSON.read_text(encoding="utf-8") == datapackage.render()


def test_a_changed_data_file_fails_validation(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy)
    target = copy / "synthetic" / "respondents.csv"
    target.write_text(target.read_text().replace(",Wales,", ",Scotland,", 1))
    report = validate(copy / "datapackage.json")
    assert not report.valid
    assert "hash" in json.dumps(report.to_dict()).lower()


@pytest.mark.parametrize("relative, old, new", [
    ("synthetic/respondents.csv", ",Psychiatrist,", ",Astronaut,"),
    ("corpus/sentences.csv", "\nbenefits,safer_alternative,any,", "\nbenefits,safer_alternative,anyone,"),
    ("corpus/weights.csv", "\nbenefits,user,,none,", "\nbenefits,user,,nothing,"),
    ("corpus/group_phrases.csv", "\nYoung people,", "\nOld people,"),
])
def test_an_unknown_label_fails_validation(tmp_path, relative, old, new):
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy)
    target = copy / relative
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, new, 1))
    descriptor = json.loads((copy / "datapackage.json").read_text())
    for res in descriptor["resources"]:
        res.pop("hash"), res.pop("bytes")
    (copy / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate(copy / "datapackage.json")
    assert not report.valid
    assert "constraint" in json.dumps(report.to_dict()).lower()


def test_the_package_says_which_data_are_synthetic():
    descriptor = json.loads(paths.DATAPACKAGE_JSON.read_text())
    flags = {r["name"]: r["synthetic"] for r in descriptor["resources"]}
    assert flags == {"figures": False, "assumptions": False, "respondent_facts": False, "cherries": False,
                     "respondents": True,
                     "free_text": True, "coding_reference": True, "coding_second": True, "codebook": False,
                     "questions": False, "who": False, "sentences": False, "weights": False, "group_phrases": False}
    assert "SYNTHETIC" in descriptor["title"]
    assert all("SYNTHETIC" in r["description"] for r in descriptor["resources"] if r["synthetic"])


def test_figures_file_shape(figs):
    assert tuple(figs.columns) == published.FIGURE_COLUMNS
    assert figs["figure_id"].is_unique
    assert set(figs["group"]) <= set(published.GROUPS)
    assert figs[["count", "reported_percent"]].notna().any(axis=1).all(), "every row reports a number"


def test_every_level_in_figures_is_a_known_label(figs):
    special = {"respondents", "flow", "design", "thematic", "setting_community_adults", "setting_community_children"}
    for row in figs.itertuples():
        if row.variable in special or row.level in ("answered", "minimum", "maximum"):
            continue
        col = schema.column(row.variable)
        if col.kind == "bool":
            assert row.level in ("Yes", "No"), row.figure_id
        elif col.kind == "category":
            assert row.level in col.categories or (row.variable, row.level) in {
                ("occupation", "Psychology/mental health")}, row.figure_id


def test_register_entries_are_complete():
    register = published.assumptions()
    assert register["assumption_id"].is_unique
    assert (register[["ambiguity", "alternatives", "choice", "effect"]] != "").all().all()
    figure_ids = set(published.figures()["figure_id"])
    for ids in register["figure_ids"]:
        assert set(filter(None, ids.split(";"))) <= figure_ids


def test_schema_round_trip(committed):
    again = schema.from_strings(schema.to_strings(committed))
    assert again.equals(committed.reset_index(drop=True))


@pytest.mark.parametrize("name", [c.name for c in schema.COLUMNS])
def test_every_column_is_documented(name):
    readme = (paths.DATA / "README.md").read_text()
    assert f"`{name}`" in readme


def test_the_contract_constants_agree_with_the_published_figures(figs):
    assert schema.N_RESPONDENTS == published.value(figs, "t1_n")
    resources = {r["name"]: r for r in datapackage.descriptor()["resources"]}
    field = {f["name"]: f for f in resources["respondents"]["schema"]["fields"]}
    assert field["years_in_role"]["constraints"]["maximum"] == published.value(figs, "t1_years_max")
