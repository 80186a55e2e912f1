"""The data package: Frictionless validation, fresh hashes, the synthetic label, and the figures file's shape."""

import json
import shutil

import frictionless
import pytest

from hmbook import constants, paths
from hmbook.data import datapackage, published, respondents, schema
from hmbook.errors import DataError


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
                     "questions": False, "who": False, "sentences": False, "weights": False, "group_phrases": False,
                     "other_paper_dost2020": False}
    assert "SYNTHETIC" in descriptor["title"]
    assert all("SYNTHETIC" in r["description"] for r in descriptor["resources"] if r["synthetic"])


def test_every_data_file_is_described():
    """Every CSV under data/ is a resource of the package (with a schema, a hash and its synthetic flag)."""
    descriptor = json.loads(paths.DATAPACKAGE_JSON.read_text())
    described = {r["path"] for r in descriptor["resources"]}
    on_disk = {p.relative_to(paths.DATA).as_posix() for p in paths.DATA.rglob("*.csv")}
    assert on_disk == described, on_disk ^ described


def test_figures_file_shape(figs):
    assert tuple(figs.columns) == published.TYPED_COLUMNS
    assert (figs["decimals"] == 0).all() and (figs["mean"] == "").all(), "this paper prints whole percentages, no means"
    assert figs["figure_id"].is_unique
    assert set(figs["group"]) <= set(constants.GROUPS)
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
    assert (register[["ambiguity", "alternatives", "choice", "effect", "spec"]] != "").all().all()
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


# ---- one contract: every constraint of the data package is enforced by the reader, and the reader's extra
# strictness (ASCII digits) is stated here -----------------------------------------------------------------------
def _respondent_fields():
    resources = {r["name"]: r for r in json.loads(paths.DATAPACKAGE_JSON.read_text())["resources"]}
    return resources["respondents"]["schema"]["fields"]


def _violations():
    """(column, constraint, a cell value that breaks it) for every constraint of the respondents schema."""
    rows = paths.RESPONDENTS_CSV.read_text().splitlines()
    header, second = rows[0].split(","), rows[2].split(",")
    cases = []
    for field in _respondent_fields():
        name, c = field["name"], field.get("constraints", {})
        if field["type"] == "integer":
            cases.append((name, "type", "seven"))
        if field["type"] == "boolean":
            cases += [(name, "type", "TRUE"), (name, "type", "yes"), (name, "type", " true")]
        if c.get("required"):
            cases.append((name, "required", ""))
        if "enum" in c:
            if field["type"] == "boolean":
                cases += [(name, "enum", b) for b in ("true", "false") if {"true": True, "false": False}[b]
                          not in c["enum"]]
            else:
                cases.append((name, "enum", "Astronaut"))
        if "minimum" in c:
            cases.append((name, "minimum", str(c["minimum"] - 1)))
        if "maximum" in c:
            cases.append((name, "maximum", str(c["maximum"] + 1)))
        if c.get("unique"):
            cases.append((name, "unique", second[header.index(name)]))
    return cases


def _with_cell(tmp_path, column, value):
    lines = paths.RESPONDENTS_CSV.read_text().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[3].rstrip("\n").split(",")
    cells[header.index(column)] = value
    lines[3] = ",".join(cells) + "\n"
    path = tmp_path / "respondents.csv"
    path.write_text("".join(lines))
    return path


def test_the_violations_cover_every_constraint():
    kinds = {(column, kind) for column, kind, _ in _violations()}
    for field in _respondent_fields():
        for constraint in field.get("constraints", {}):
            assert (field["name"], constraint) in kinds, (field["name"], constraint)
    assert ("synthetic", "enum") in kinds and ("years_in_role", "maximum") in kinds


@pytest.mark.parametrize("column, constraint, value", _violations())
def test_what_the_data_package_forbids_the_reader_refuses(column, constraint, value, tmp_path):
    path = _with_cell(tmp_path, column, value)
    field_schema = frictionless.Schema.from_descriptor({"fields": _respondent_fields(), "missingValues": [""]})
    report = frictionless.Resource(path=path.name, basepath=str(tmp_path), schema=field_schema).validate()
    assert not report.valid, "the case breaks the data package's contract"
    with pytest.raises(DataError, match=f"{column}"):
        respondents.read_respondents(path)


@pytest.mark.parametrize("value", ["\uff17", "\u0667", "+7", " 7", "7 "])
def test_integers_are_ascii_digits_only(value, tmp_path):
    """Stricter than Frictionless, which reads a full-width or Arabic-Indic seven as 7: the reader refuses them."""
    with pytest.raises(DataError, match="is not a whole number"):
        respondents.read_respondents(_with_cell(tmp_path, "years_in_role", value))


def test_the_respondents_schema_is_generated_from_the_column_contract():
    assert _respondent_fields() == [datapackage._field(c) for c in schema.COLUMNS]
