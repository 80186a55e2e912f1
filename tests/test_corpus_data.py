"""The data files the SYNTHETIC corpus is assembled from (data/corpus/, the codebook) and their readers."""

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from hmbook import paths
from hmbook.errors import DataError
from hmbook.qualitative import corpus, corpus_data


@pytest.fixture(scope="module")
def material():
    return corpus_data.load()


@pytest.fixture
def folder(tmp_path):
    """A copy of data/corpus/ and of the codebook that a test may break."""
    copy = tmp_path / "corpus"
    shutil.copytree(paths.CORPUS, copy)
    shutil.copy(paths.CODEBOOK_CSV, tmp_path / "codebook.csv")
    return copy


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_error(folder) -> str:
    with pytest.raises(DataError) as err:
        corpus_data.load(folder, folder.parent / "codebook.csv")
    message = str(err.value)
    assert "\n" not in message
    return message


# ---- the committed files -----------------------------------------------------------------------------------------

def test_every_file_is_read_and_typed(material):
    assert list(material.questions["question"]) == ["other_techniques", "benefits", "concerns", "avoid_why",
                                                    "training_support"]
    assert material.codebook["theme_number"].dtype.kind == "i" and material.questions["held_back"].dtype.kind == "i"
    assert material.questions["answer_rate"].tolist() == [0.85, 0.85, 0.85, 0.95, 0.7]
    assert set(material.sentences["who"]) <= set(material.who["who"])
    assert material.weights["weight"].map(type).eq(float).all()


def test_weights_parse_to_the_same_floats_as_literals(material):
    w = material.weights.set_index(["question", "who", "group", "code"])["weight"]
    assert w[("benefits", "user", "", "none")] == 0.6
    assert w[("concerns", "user", "", "none")] == 0.8
    assert w[("avoid_why", "avoid", "", "none")] == 0.4
    assert w[("benefits", "user", "", "safer_alternative")] == 4.0


def test_the_sentences_keep_their_file_order(material):
    """The order is part of the seeded draw: the corpus is byte-identical only if it is kept."""
    first = pd.read_csv(paths.SENTENCES_CSV, dtype=str, keep_default_na=False)
    assert material.sentences["text"].tolist() == first["text"].tolist()
    assert (material.sentences["alt"] == "").sum() > 0 and not material.sentences["alt"].isna().any()


def test_every_question_has_weights_for_every_kind_of_respondent(material, committed):
    corp, _, _ = corpus.build(committed, material=material)
    assert set(corp["question"]) == set(material.questions["question"])


# ---- who may write what, checked by hand ---------------------------------------------------------------------------

def respondent(**values):
    row = {"used_hm": True, "occupation": "Clinical psychologist", "avoid_any_group": None, "trained": None,
           "training_helpful": None, "confidence": None, "local_guidelines": None}
    return {**row, **values}


@pytest.mark.parametrize("row, fits", [
    (respondent(), {"any", "user"}),
    (respondent(used_hm=False, occupation="General practitioner"), {"any", "non_user", "gp"}),
    (respondent(avoid_any_group=True, trained=True, training_helpful=False), {"any", "user", "avoid", "trained",
                                                                              "unhelpful"}),
    (respondent(avoid_any_group=False, trained=False, local_guidelines=False), {"any", "user", "no_avoid",
                                                                                "untrained", "no_policy"}),
    (respondent(confidence="Unsure", local_guidelines=True), {"any", "user", "unsure", "policy"}),
    (respondent(confidence="Not confident", training_helpful=True), {"any", "user", "unsure", "helpful"}),
    (respondent(confidence="Confident", trained=pd.NA), {"any", "user"}),
])
def test_who_fits_by_hand(material, row, fits):
    assert {w for w, ok in corpus_data.who_fits(material.who, row).items() if ok} == fits


def test_who_is_defined_once():
    """The vocabulary is the file: no module spells out the list of kinds of respondent."""
    kinds = pd.read_csv(paths.WHO_CSV, dtype=str)["who"]
    for module in (paths.ROOT / "hmbook" / "qualitative").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert sum(f'"{k}"' in text for k in kinds if k != "any") <= 1, module.name


# ---- bad files: one line naming the file and the row ---------------------------------------------------------------

@pytest.mark.parametrize("name, old, new, expected", [
    ("sentences.csv", "\nbenefits,safer_alternative,any,", "\nbenefits,safer_alternative,anyone,",
     "sentences.csv: row 1: who 'anyone' is not in who.csv"),
    ("sentences.csv", "\nbenefits,safer_alternative,any,", "\nbenefits,safer_altrnative,any,",
     "sentences.csv: row 1: code 'safer_altrnative' is not in the codebook"),
    ("sentences.csv", "\nbenefits,safer_alternative,any,", "\nbenefit,safer_alternative,any,",
     "sentences.csv: row 1: question 'benefit' is not in questions.csv"),
    ("sentences.csv", "\nbenefits,safer_alternative,any,", "\nbenefits,safer_alternative,,",
     "sentences.csv: row 1: who '' is empty"),
    ("sentences.csv", "question,code,who,text,alt", "question,code,who,text,second",
     "sentences.csv: missing column(s): alt"),
    ("sentences.csv", "\nbenefits,safer_alternative,any,It gives", "\nbenefits,safer_alternative,any,{tehc} gives",
     "sentences.csv: row 1: unknown slot {tehc}"),
    ("sentences.csv", "\nbenefits,safer_alternative,any,It gives", "\nbenefits,safer_alternative,any,It { gives",
     "sentences.csv: row 1: text has a brace that is not a slot"),
    ("sentences.csv", "yet.,\n", "yet.,nothing\n", "sentences.csv: row 1: alt 'nothing' is not in the codebook"),
    ("weights.csv", "benefits,user,,none,0.6", "benefits,user,,nothing,0.6",
     "weights.csv: row 5: code 'nothing' is not in the codebook"),
    ("weights.csv", "benefits,user,,none,0.6", "benefits,user,,none,-1", "weights.csv: row 5: weight '-1' is not a"),
    ("weights.csv", "benefits,user,,none,0.6", "benefits,user,,none,", "weights.csv: row 5: weight '' is not a"),
    ("weights.csv", "benefits,user,,none,0.6", "benefits,user,,none,lots", "weights.csv: row 5: weight 'lots' is not"),
    ("weights.csv", "benefits,user,,none,0.6", "benefits,usr,,none,0.6", "weights.csv: row 5: who 'usr' is not in"),
    ("weights.csv", "benefits,user,,none,0.6", "benefits,user,,person_centred,0.6",
     "weights.csv: row 5: code 'person_centred' appears twice for the same question, who and group"),
    ("weights.csv", "avoid_why,avoid,Young people,", "avoid_why,avoid,Old people,",
     "weights.csv: row 51: group 'Old people' is not in group_phrases.csv"),
    ("who.csv", "user,used_hm,true,", "user,used_hmm,true,",
     "who.csv: row 2: column 'used_hmm' is not in the columns of respondents.csv"),
    ("who.csv", "user,used_hm,true,", "user,used_hm,yes,", "who.csv: row 2: value 'yes' is not a value of column"),
    ("who.csv", "Unsure;Not confident", "Unsure;Not sure", "who.csv: row 11: value 'Not sure' is not a value"),
    ("who.csv", "\nnon_user,", "\nuser,", "who.csv: row 3: who 'user' appears more than once"),
    ("who.csv", "any,,,", "any,,true,", "who.csv: row 1: values given but no column"),
    ("group_phrases.csv", "\nYoung people,", "\nOld people,",
     "group_phrases.csv: row 12: group 'Old people' is not in Table 3's groups"),
    ("questions.csv", "\nbenefits,", "\nother_techniques,",
     "questions.csv: row 2: question 'other_techniques' appears more than once"),
    ("questions.csv", "have used?,0.85,0", "have used?,85%,0", "questions.csv: row 1: answer_rate '85%' is not a"),
    ("questions.csv", "have used?,0.85,0", "have used?,1.5,0", "questions.csv: row 1: answer_rate '1.5' is not a"),
    ("questions.csv", "have used?,0.85,0", "have used?,0.85,-1", "questions.csv: row 1: held_back '-1' is not a"),
    ("questions.csv", "wording,answer_rate,held_back", "wording,rate,held_back",
     "questions.csv: missing column(s): answer_rate"),
    ("../codebook.csv", "\nsafer_alternative,1,", "\nsafer_alternative,one,",
     "codebook.csv: row 1: theme_number 'one' is not a whole number"),
    ("../codebook.csv", "\nsafer_alternative,1,", "\nnone,1,", "codebook.csv: row 1: code 'none' is reserved"),
])
def test_a_bad_file_is_one_line_naming_file_and_row(folder, name, old, new, expected):
    edit(folder / name, old, new)
    message = load_error(folder)
    assert expected in message, message
    assert str(folder.parent) in message, "the message names the file"


def test_columns_may_come_in_any_order(folder, material):
    weights = pd.read_csv(folder / "weights.csv", dtype=str, keep_default_na=False)
    weights[["weight", "code", "group", "who", "question"]].to_csv(folder / "weights.csv", index=False)
    again = corpus_data.load(folder, folder.parent / "codebook.csv")
    assert again.weights[list(material.weights.columns)].equals(material.weights)


def test_a_missing_file_is_one_line(folder):
    (folder / "who.csv").unlink()
    assert load_error(folder).endswith("who.csv: no such file")


def test_a_file_that_is_not_utf8_is_one_line(folder):
    (folder / "sentences.csv").write_bytes(b"question,code,who,text,alt\n" + "caf\xe9".encode("latin-1"))
    assert "sentences.csv: not UTF-8 text" in load_error(folder)


def test_a_respondent_no_weights_fit_is_one_line(folder, committed):
    text = (folder / "weights.csv").read_text(encoding="utf-8")
    (folder / "weights.csv").write_text("".join(line for line in text.splitlines(keepends=True)
                                                if ",no_avoid," not in line), encoding="utf-8")
    material = corpus_data.load(folder, folder.parent / "codebook.csv")
    with pytest.raises(DataError, match=r"^weights.csv: no weights for question 'avoid_why' fit respondent \d+$"):
        corpus.build(committed, material=material)


def test_the_corpus_command_reports_a_bad_file_in_one_line(tmp_path):
    """End to end, on a copy of the package and its data: exit status 2, one line, nothing written."""
    for part in ("hmbook", "data"):
        shutil.copytree(paths.ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    edit(tmp_path / "data" / "corpus" / "sentences.csv", "\nbenefits,safer_alternative,any,",
         "\nbenefits,safer_alternative,anyone,")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "hmbook", "corpus", "--out", str(out)], capture_output=True,
                          text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("hmbook corpus: error: ") and "sentences.csv: row 1: who 'anyone'" in proc.stderr
    assert not out.exists()
