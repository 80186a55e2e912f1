"""What a course gets after grading, through the command line: a feedback file per submission that a student can
be given (`hmbook grade --feedback`), never showing the hidden tests, and one gradebook joining every chapter's
grades (`hmbook gradebook`).
"""

import ast
import csv
import subprocess
import sys
import zipfile

import pytest

from hmbook.course import content_notes
from support.hostile import HIDDEN_LINE, NAME, POSSIBLE
from support.project import env_for

READS_BUILD = False


@pytest.fixture(scope="module")
def batch(handouts, tmp_path_factory):
    """A class of three graded with --results and --feedback: alice's solutions, carol's untouched hand-out and
    dave's notebook of another assignment."""
    root = tmp_path_factory.mktemp("course")
    subs = root / "submissions"
    for student, source in (("alice", handouts / "instructor" / f"{NAME}.ipynb"),
                            ("carol", handouts / "student" / f"{NAME}.ipynb"),
                            ("dave", handouts / "student" / "audit.ipynb")):
        (subs / student).mkdir(parents=True)
        (subs / student / f"{NAME}.ipynb").write_bytes(source.read_bytes())
    proc = subprocess.run([sys.executable, "-m", "hmbook", "grade", "--jobs", "2", "--autograder",
                           handouts / "autograder" / f"{NAME}.zip", "--out", root / "grades.csv", "--results",
                           root / "results", "--feedback", root / "feedback", subs], capture_output=True, text=True,
                          env=env_for(None), timeout=600)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "a feedback file for each" in proc.stdout
    return root


def test_each_student_gets_feedback_with_their_points_and_the_public_tests(batch):
    files = sorted(p.relative_to(batch / "feedback").as_posix() for p in (batch / "feedback").rglob("*.md"))
    assert files == [f"{s}/{NAME}.md" for s in ("alice", "carol", "dave")]
    note = content_notes.content_note()
    text = {s: (batch / "feedback" / s / f"{NAME}.md").read_text(encoding="utf-8") for s in ("alice", "carol", "dave")}
    assert all(t.startswith(note) for t in text.values())  # the content note and support lines first
    assert f"**Score: {POSSIBLE:g} out of {POSSIBLE:g}**" in text["alice"]
    assert f"**Score: 0 out of {POSSIBLE:g}**" in text["carol"] and "## What the public tests said" in text["carol"]
    assert "| ex-" in text["carol"] and "of " in text["carol"]
    assert "**Not graded.** The wrong notebook" in text["dave"]


def _hidden_words(autograder) -> set[str]:
    """Every string of the assignment's hidden test cases (their assertion messages) that no public case has."""
    hidden, public = set(), set()
    with zipfile.ZipFile(autograder) as zipped:
        for name in (n for n in zipped.namelist() if n.startswith("tests/") and n.endswith(".py")):
            for node in ast.parse(zipped.read(name)).body:
                if isinstance(node, ast.FunctionDef) and node.decorator_list:
                    flags = {k.arg: getattr(k.value, "value", None) for d in node.decorator_list
                             if isinstance(d, ast.Call) for k in d.keywords}
                    words = {c.value for c in ast.walk(node) if isinstance(c, ast.Constant)
                             and isinstance(c.value, str) and len(c.value) > 15}
                    (hidden if flags.get("hidden") else public).update(words)
    return hidden - public


def test_feedback_never_shows_the_hidden_tests(batch, handouts):
    """The hidden tests' failures are in otter's results (the instructor's), and in no student's feedback."""
    words = _hidden_words(handouts / "autograder" / f"{NAME}.zip")
    assert HIDDEN_LINE in words
    results = (batch / "results" / "carol" / NAME / "results.json").read_text(encoding="utf-8")
    assert any(w in results for w in words)  # the check below could fail: a hidden test's words are there to leak
    for path in (batch / "feedback").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not [w for w in words if w in text], path


def test_the_gradebook_joins_every_chapter_with_a_row_per_student(batch, tmp_path):
    other = tmp_path / "audit_grades.csv"
    other.write_text("submission,ex-audit-a,total,possible,note\nalice/audit,2,2,5,\n"
                     "erin/audit,0,0,5,stopped after 600 s: a cell did not end\n", encoding="utf-8")
    out = tmp_path / "gradebook.csv"
    proc = subprocess.run([sys.executable, "-m", "hmbook", "gradebook", batch / "grades.csv", other, "--out", out],
                          capture_output=True, text=True, env=env_for(None), timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    rows = {r["student"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert list(rows) == ["alice", "carol", "dave", "erin"]
    assert list(rows["alice"]) == ["student", NAME, "audit", "total", "possible", "note"]
    assert float(rows["alice"][NAME]) == POSSIBLE and float(rows["alice"]["audit"]) == 2
    assert float(rows["alice"]["total"]) == POSSIBLE + 2 and float(rows["alice"]["possible"]) == POSSIBLE + 5
    assert rows["carol"]["audit"] == "" and "audit: nothing handed in" in rows["carol"]["note"]  # empty, not 0
    assert rows["erin"][NAME] == "" and "audit: stopped after 600 s" in rows["erin"]["note"]
    assert f"{NAME}: the wrong notebook" in rows["dave"]["note"]
    again = subprocess.run([sys.executable, "-m", "hmbook", "gradebook", batch / "grades.csv", "--out", out],
                           capture_output=True, text=True, env=env_for(None), timeout=120)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "--force" in again.stderr
    assert float(next(csv.DictReader(out.open(encoding="utf-8")))["possible"]) == POSSIBLE + 5  # kept
