"""Grading without Docker: three simulated submissions of every assignment, each graded in its bubblewrap sandbox
with the assignment's otter tests (hmbook.course.grade; the hostile ones are in tests/test_grade_sandbox.py).

For each chapter: the instructor's solutions (full marks), the untouched hand-out (zero, and no crash) and a
plausible wrong answer to one question (partial marks, with the feedback a student would see). The wrong answers
are in tests/data/grading/wrong_answers.yml.
"""

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from hmbook.course import exercise_format, grade
from support.book import BOOK, NOTEBOOKS
from support.grading import WRONG, submissions
from support.project import env_for

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)

# Every test grades its own submission (and the timed test its own two), so make test spreads them one by one
# (tests/support/parallel.py): a chapter's three submissions are graded side by side, also in make check.
XDIST_SPLIT = True
# The hand-outs are made from the book's sources: nothing here reads _build (make check starts these before its
# build has ended: support.built_beside).
READS_BUILD = False


def _graded(handouts: Path, root: Path, nb: Path, kind: str) -> tuple[int, dict | None, str]:
    """(0, results.json, score summary) for one simulated submission of one chapter, graded as `hmbook grade`
    grades it (its two sandboxed steps), or (2, None, why) if it could not be graded."""
    target = submissions(handouts, nb.stem, root, kinds=(kind,))[kind]
    autograder, assignment = grade.assignment_of(handouts / "autograder" / f"{nb.stem}.zip")
    graded = grade.grade_one(autograder, assignment, target)
    return (0, graded.results, graded.log) if graded.results is not None else (2, None, graded.note)


@pytest.fixture
def graded(handouts, tmp_path):
    """graded(nb, kind): that submission of a chapter, graded."""
    return lambda nb, kind: _graded(handouts, tmp_path, nb, kind)


def _possible(nb):
    return sum(ex.points for ex in exercise_format.exercises(nbformat.read(nb, as_version=4), nb.name) if ex.graded_by_tests)


def test_every_chapter_has_a_wrong_answer_to_grade():
    assert set(WRONG) == {nb.stem for nb in NOTEBOOKS}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_solutions_get_full_marks(graded, nb):
    rc, results, log = graded(nb, "full")
    assert rc == 0 and results, log
    scores = grade.scores(results)
    assert sum(scores.values()) == _possible(nb) > 0, scores
    assert f"Total Score: {float(_possible(nb)):.3f} / {float(_possible(nb)):.3f}" in log


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_untouched_hand_out_gets_zero_without_crashing(graded, nb):
    rc, results, log = graded(nb, "zero")
    assert rc == 0 and results, log
    scores = grade.scores(results)
    assert set(scores) == {ex.label for ex in exercise_format.exercises(nbformat.read(nb, as_version=4), nb.name)
                           if ex.graded_by_tests}
    assert sum(scores.values()) == 0, scores


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_wrong_answer_gets_partial_marks_and_useful_feedback(graded, nb):
    rc, results, log = graded(nb, "partial")
    assert rc == 0 and results, log
    spec = WRONG[nb.stem]
    exercises = {ex.label: ex for ex in exercise_format.exercises(nbformat.read(nb, as_version=4), nb.name)}
    scores = grade.scores(results)
    assert 0 < sum(scores.values()) < _possible(nb), scores
    assert scores[spec["question"]] < exercises[spec["question"]].points
    assert all(s == exercises[q].points for q, s in scores.items() if q != spec["question"]), scores
    public = next(t for t in results["tests"] if t["name"] == "Public Tests")  # what grader.check shows a student
    assert spec["feedback"] in public["output"], public["output"]


@pytest.mark.timed
def test_a_submission_that_never_ends_is_stopped_and_the_others_are_graded(handouts, tmp_path):
    """`hmbook grade --timeout`, run as an instructor runs it: one submission has a cell that loops for ever. It is
    stopped, its row scores nothing and says why, the other submission gets its marks, and no kernel is left."""
    name = "table1_demographics.ipynb"
    subs = tmp_path / "submissions"
    for student in ("bob", "carol"):
        (subs / student).mkdir(parents=True)
    (subs / "bob" / name).write_bytes((handouts / "instructor" / name).read_bytes())
    looping = nbformat.read(handouts / "student" / name, as_version=4)
    looping.cells.append(nbformat.v4.new_code_cell("while True:\n    pass"))
    nbformat.write(looping, subs / "carol" / name)
    mark = f"hmbook-grading-test-{os.getpid()}-{time.monotonic_ns()}"  # every process the command starts has it
    proc = subprocess.run([sys.executable, "-m", "hmbook", "grade", "--timeout", "20", "--autograder",
                           handouts / "autograder" / "table1_demographics.zip", "--out", tmp_path / "grades.csv",
                           subs], capture_output=True, text=True, env=env_for(None, HMBOOK_TEST_MARK=mark),
                          timeout=300)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    rows = {r["submission"]: r for r in csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8"))}
    bob, carol = rows["bob/table1_demographics"], rows["carol/table1_demographics"]
    assert float(bob["total"]) == float(bob["possible"]) == _possible(BOOK / name) > 0
    assert bob["note"] == "" and carol["note"] == "stopped after 20 s: a cell did not end"
    assert float(carol["total"]) == 0 and carol["possible"] == bob["possible"]
    assert all(carol[q] == "" for q in rows["bob/table1_demographics"] if q.startswith("ex-"))
    deadline = time.monotonic() + 10  # the stopped kernel ends itself within a second or two
    while (left := _processes_with(mark)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, f"processes left running: {left}"


def _processes_with(mark: str) -> list[int]:
    """Ids of the processes whose environment holds ``HMBOOK_TEST_MARK=mark``."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"HMBOOK_TEST_MARK={mark}".encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:  # ended meanwhile, or not ours to read
            pass
    return found
