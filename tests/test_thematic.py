"""The free-text corpus, the codebook, the codings and the agreement functions of hmbook.qualitative.thematic."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from hmbook import paths
from hmbook.data import published, schema
from hmbook.errors import DataError
from hmbook.qualitative import corpus, corpus_data, refi, thematic
from hmbook.viz import plotting


def coding(codes):
    return pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(codes))], "code": codes})


# ---- agreement against hand-computed cases -------------------------------------------------------------------

def test_perfect_agreement():
    a = coding(["x", "y", "z", "none", "x"])
    got = thematic.agreement(a, a, codes=["x", "y", "z"])
    assert (got["percent"] == 100).all() and (got["kappa"] == 1).all() and np.allclose(got["alpha"], 1)


def test_chance_agreement():
    # Each coder uses x and y half the time, independently: observed = expected = 1/2, so kappa = 0.
    # Alpha (nominal, 2 coders, 8 values): 1 - (n - 1) * disagreeing pairs / (n_x * n_y * 2) = 1 - 7*4/32 = 1/8.
    got = thematic.agreement(coding(["x", "x", "y", "y"]), coding(["x", "y", "x", "y"]), codes=["x", "y"])
    assert got.loc["overall", "percent"] == 50
    assert got.loc["overall", "kappa"] == pytest.approx(0)
    assert got.loc["overall", "alpha"] == pytest.approx(0.125)


def test_a_two_by_two_table_by_hand():
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15 (n = 50): p_o = .7, p_e = .5*.6 + .5*.4 = .5, kappa = .4;
    # alpha = 1 - 99 * 30 / (2 * 55 * 45) = .4
    a = coding(["x"] * 25 + ["none"] * 25)
    b = coding(["x"] * 20 + ["none"] * 5 + ["x"] * 10 + ["none"] * 15)
    got = thematic.agreement(a, b, codes=["x"]).loc["x"]
    assert (got["n_a"], got["n_b"], got["both"]) == (25, 30, 20)
    assert got["percent"] == pytest.approx(70)
    assert got["kappa"] == pytest.approx(0.4)
    assert got["alpha"] == pytest.approx(0.4)


def test_undefined_agreement_is_nan_not_an_error():
    got = thematic.agreement(coding(["none"] * 3), coding(["none"] * 3), codes=["x"])
    assert np.isnan(got.loc["x", "kappa"]) and np.isnan(got.loc["x", "alpha"]) and got.loc["x", "percent"] == 100


def test_codings_of_different_segments_are_refused():
    with pytest.raises(DataError, match="same segments"):
        thematic.agreement(coding(["x", "y"]), coding(["x"]))


def test_confusion_counts_every_segment_once(ref, second, codebook):
    table = thematic.confusion(ref, second, codebook["code"])
    assert table.to_numpy().sum() == len(ref)
    assert np.trace(table.to_numpy()) == (ref["code"].to_numpy() == second["code"].to_numpy()).sum()


def test_the_second_coder_disagrees_realistically(ref, second, codebook):
    got = thematic.agreement(ref, second, codebook["code"])
    assert 0.6 < got.loc["overall", "kappa"] < 0.95, "neither perfect nor poor"
    assert (ref["code"] != second["code"]).sum() >= 20


# ---- the files -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corp():
    return thematic.read_corpus()


@pytest.fixture(scope="module")
def ref():
    return thematic.read_coding(paths.CODING_REFERENCE_CSV)


@pytest.fixture(scope="module")
def second():
    return thematic.read_coding(paths.CODING_SECOND_CSV)


@pytest.fixture(scope="module")
def codebook():
    return thematic.read_codebook()


@pytest.fixture(scope="module")
def material():
    return corpus_data.load()


def test_the_default_seed_regenerates_the_committed_files(committed):
    for table, path in zip(corpus.build(committed),
                           (paths.FREE_TEXT_CSV, paths.CODING_REFERENCE_CSV, paths.CODING_SECOND_CSV)):
        assert corpus.to_csv_text(table) == path.read_text(encoding="utf-8"), path.name


def test_every_row_is_labelled_synthetic(corp, ref, second):
    assert corp["synthetic"].all()
    assert (ref["synthetic"] == "true").all() and (second["synthetic"] == "true").all()


def test_one_row_per_writer_and_question(corp, committed, material):
    assert len(corp) == len(committed) * len(material.questions)
    assert not corp.duplicated(["writer_id", "question"]).any()
    assert set(corp["writer_id"]) == set(corpus.writers(committed))


def _resp_by_writer(committed):
    """The respondent rows, indexed by the writer their answers were assembled for (the link no file holds)."""
    resp = committed.assign(respondent_id=committed["respondent_id"].astype(int))
    return resp.assign(writer_id=resp["respondent_id"].map(corpus.writers(committed)))


def _rows(corp, committed):
    return corp.drop(columns="used_hm").merge(_resp_by_writer(committed), on="writer_id")


@pytest.fixture(scope="module")
def quoted_ids():
    return set(published.respondent_facts()["respondent_id"].astype(int))


def test_no_answer_is_attributed_to_a_respondent_id(corp, ref, second, codebook, quoted_ids):
    """The paper quotes real participants by ID (24 of them): no invented answer may sit under any respondent ID,
    in any file (A28). Writers have numbers of their own, outside 1-90, and the files hold no respondent column."""
    assert quoted_ids and max(quoted_ids) < schema.WRITER_BASE
    for table in (corp, ref, second):
        assert "respondent_id" not in table.columns
        assert table["response_id"].str.fullmatch(r"S\d{3}-\w+").all()
    assert corp["writer_id"].between(schema.WRITER_BASE, schema.WRITER_BASE + schema.N_RESPONDENTS - 1).all()
    assert codebook["example_segment_id"].str.fullmatch(r"S\d{3}-\w+\.\d+").all()
    for path in (paths.FREE_TEXT_CSV, paths.CODING_REFERENCE_CSV, paths.CODING_SECOND_CSV, paths.CODEBOOK_CSV):
        assert not re.search(r"\bR\d{2}-", path.read_text(encoding="utf-8")), path.name


def test_each_answer_set_keeps_its_writers_use(corp, committed):
    """The one attribute an answer set carries, whether its writer recommended harm minimisation, is that of
    the row its answers were assembled from."""
    m = corp.merge(_resp_by_writer(committed)[["writer_id", "used_hm"]], on="writer_id", suffixes=("", "_row"))
    assert (m["used_hm"] == m["used_hm_row"].astype(bool)).all()


VIEW = re.compile(r"describ|clinicians'|accounts?\b|reports?\b|\bsay|\bsaid|\bviews?\b|\btold|I suspect|I think|"
                  r"seen as|in my experience", re.I)


def test_relief_is_a_view_not_a_statement_of_fact(codebook, material):
    """Safe messaging: wherever the codebook or a sentence says self-harm brings relief or release, it is reported
    as what someone says or thinks, not stated as a fact."""
    texts = [*material.sentences["text"]]
    for field in ("definition", "include", "exclude", "example"):
        texts += list(codebook[field])
    claims = [t for t in texts if re.search(r"\b(?:relief|release)\b", t, re.I)]
    assert claims, "the check looks at something"
    assert [t for t in claims if not VIEW.search(t)] == []


def test_answers_follow_the_respondents_row(corp, committed, material):
    m = _rows(corp, committed)
    given = m["text"] != ""
    other = m["question"] == "other_techniques"
    assert not (other & given & ~m["tech_other"].astype(bool)).any(), "other techniques only from those who ticked it"
    avoid = m["question"] == "avoid_why"
    assert not (avoid & given & m["avoid_any_group"].isna()).any(), "empty avoid_any_group, empty answer"
    phrase = dict(zip(material.group_phrases["group"], material.group_phrases["phrase"]))
    for r in m[avoid & given].itertuples():
        named = [p for p in phrase.values() if p.lower() in r.text.lower()]
        if r.avoid_any_group:
            assert phrase[r.avoid_groups].lower() in r.text.lower(), r.response_id
        else:
            assert not named, f"{r.response_id} named no group but writes about one"
    dropout = m[~m["completed_survey"].astype(bool)]
    assert len(dropout) == len(material.questions)
    assert (dropout.loc[dropout["question"] == "training_support", "text"] == "").all(), "the drop-out left early"


def _template(text):
    body = re.escape(text)
    for slot in ("tech", "place", "group"):
        body = body.replace(re.escape("{" + slot + "}"), ".+")
    hedge = r"(?:(?:I think|I suppose|In my limited experience,|I'm not sure, but) )?"
    return re.compile(rf"^{hedge}{body.rstrip(re.escape('.'))}\.?$", re.IGNORECASE)


def test_every_segment_is_a_sentence_its_writer_could_write(corp, ref, committed, material):
    """A non-user writes as a non-user, a GP as a GP, the untrained do not describe their training, and so on
    (who may write what: data/corpus/who.csv, whose reading tests/test_corpus_data.py checks by hand)."""
    frags = material.sentences.copy()
    frags["pattern"] = frags["text"].map(_template)
    resp = _resp_by_writer(committed).set_index("writer_id")
    resp = resp.astype(object).where(resp.notna(), None)
    for s in thematic.segments(corp, ref).itertuples():
        r = resp.loc[s.writer_id]
        cands = frags[(frags["question"] == s.question) & (frags["code"] == s.code)]
        fits = [f.who for f in cands.itertuples() if f.pattern.match(s.segment)]
        assert fits, f"{s.segment_id}: {s.segment!r} matches no sentence written for {s.code}"
        allowed = corpus_data.who_fits(material.who, r)
        assert any(allowed[w] for w in fits), f"{s.segment_id}: {s.segment!r} does not fit respondent {r.name}"


def test_the_corpus_has_realistic_variety(corp, ref):
    words = corp["text"].str.split().str.len()
    per_answer = ref.groupby("response_id").size()
    assert (corp["text"] == "").sum() >= 50, "blank answers"
    assert (words.between(1, 3)).sum() >= 10 and (words >= 30).sum() >= 5, "short and long answers"
    assert (per_answer >= 3).sum() >= 5, "multi-theme answers"
    assert (ref["code"] == thematic.NONE).sum() >= 30, "off-topic or uncoded sentences"
    assert corp["text"].str.match(r"[a-z]").sum() >= 5, "some written bluntly, without capitals"


def test_the_held_back_set_is_answered(corp):
    held = corp[corp["held_back"]]
    assert len(held) == 12 and (held["text"] != "").all()


def test_segments_tile_their_answers(corp, ref):
    segs = thematic.segments(corp, ref)
    joined = segs.groupby("response_id")["segment"].agg(" ".join)
    texts = corp.set_index("response_id")["text"]
    assert (joined == texts[joined.index]).all()
    assert set(texts[texts != ""].index) == set(joined.index)


# ---- the codebook -------------------------------------------------------------------------------------------

def test_the_codebook_is_complete(codebook, figs):
    assert len(codebook) == published.value(figs, "fig1_subthemes")
    assert codebook["theme"].nunique() == published.value(figs, "fig1_themes")
    assert (codebook != "").all().all(), "every field filled in"
    assert codebook["code"].is_unique and codebook["subtheme"].is_unique


def test_every_coded_segment_uses_a_codebook_entry(codebook, ref, second):
    known = set(codebook["code"]) | {thematic.NONE}
    assert set(ref["code"]) <= known and set(second["code"]) <= known
    assert set(codebook["code"]) <= set(ref["code"]), "every subtheme is used"


def test_codebook_examples_come_from_the_corpus(codebook, corp, ref):
    segs = thematic.segments(corp, ref).set_index("segment_id")
    for row in codebook.itertuples():
        assert segs.loc[row.example_segment_id, "segment"] == row.example, row.code
        assert segs.loc[row.example_segment_id, "code"] == row.code, row.code


# ---- the REFI-QDA codebook ----------------------------------------------------------------------------------

GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def test_refi_codebook_structure(codebook):
    root = ET.fromstring(refi.refi_codebook(codebook, plotting.OKABE_ITO).encode("utf-8"))
    q = f"{{{refi.NAMESPACE}}}"
    assert root.tag == q + "CodeBook" and root.get("origin")
    assert [child.tag for child in root] == [q + "Codes"]
    themes = root.findall(f"{q}Codes/{q}Code")
    assert [t.get("name") for t in themes] == list(dict.fromkeys(codebook["theme"]))
    guids = []
    for theme in themes:
        assert theme.get("isCodable") == "false"
        assert [c.tag for c in theme][0] == q + "Description", "Description comes first (the XSD's order)"
        subs = theme.findall(q + "Code")
        assert [s.get("name") for s in subs] == list(codebook.loc[codebook["theme"] == theme.get("name"),
                                                                    "subtheme"])
        for code in [theme, *subs]:
            guids.append(code.get("guid"))
            assert GUID.match(code.get("guid")) and re.fullmatch(r"#[0-9A-F]{6}", code.get("color"))
        assert all(s.get("isCodable") == "true" and s.find(q + "Description").text for s in subs)
    assert len(set(guids)) == len(guids) == len(codebook) + codebook["theme"].nunique()
    assert refi.refi_codebook(codebook, plotting.OKABE_ITO) == refi.refi_codebook(codebook, plotting.OKABE_ITO), "deterministic GUIDs"


# ---- the command line ----------------------------------------------------------------------------------------

def test_corpus_cli_rewrites_identical_files(cli, tmp_path):
    status, out, err = cli("corpus", "--out", tmp_path)
    assert status == 0 and not err
    assert (tmp_path / "free_text.csv").read_bytes() == paths.FREE_TEXT_CSV.read_bytes()


def test_corpus_cli_bad_input(cli, tmp_path):
    status, out, err = cli("corpus", "--respondents", tmp_path / "missing.csv", "--out", tmp_path)
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err
    (tmp_path / "file").write_text("x")
    status, _, err = cli("corpus", "--out", tmp_path / "file")
    assert status == 2 and "not a directory" in err
    (tmp_path / "free_text.csv").write_text("keep me")
    status, _, err = cli("corpus", "--out", tmp_path)
    assert status == 2 and "--force" in err and (tmp_path / "free_text.csv").read_text() == "keep me"
    status, _, err = cli("corpus", "--seed", "-3", "--out", tmp_path)
    assert status == 2 and err.count("\n") == 1
