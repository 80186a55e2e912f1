"""The instructor guide covers every exercise, and its lab and module slots add up."""

import re

import nbformat
import pytest

from hmbook import paths
from hmbook.course import exercise_format, toc

GUIDE = (paths.ROOT / "book" / "instructor_guide.md").read_text(encoding="utf-8")
LABEL = re.compile(r"`(ex-[\w-]+)`")


def _exercises():
    out = {}
    for path in sorted((paths.ROOT / "book").glob("*.ipynb")):
        for ex in exercise_format.exercises(nbformat.read(path, as_version=4), path.name):
            out[ex.label] = (path.stem, ex)
    return out


EXERCISES = _exercises()


def _table(heading: str) -> list[list[str]]:
    """The rows (cells as text) of the first Markdown table under the ``## heading`` section of the guide."""
    section = GUIDE.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


EXERCISE_TABLE = _table("Every exercise: difficulty, kind, points and time")
MINUTES = {LABEL.search(row[1])[1]: int(row[5]) for row in EXERCISE_TABLE}


def test_every_exercise_is_in_the_guide_once_with_its_label_line():
    labels = [LABEL.search(row[1])[1] for row in EXERCISE_TABLE]
    assert len(labels) == len(set(labels)), "an exercise is listed twice"
    assert set(labels) == set(EXERCISES), (f"missing from the guide: {sorted(set(EXERCISES) - set(labels))}; "
                                           f"not in the book: {sorted(set(labels) - set(EXERCISES))}")
    for row in EXERCISE_TABLE:
        _, ex = EXERCISES[LABEL.search(row[1])[1]]
        assert (row[2], row[3], int(row[4])) == (ex.difficulty, ex.kind, ex.points), ex.label


def test_every_chapter_is_assignable():
    chapters = {}
    for stem, ex in EXERCISES.values():
        chapters.setdefault(stem, []).append(ex)
    notebooks = {p.stem for p in (paths.ROOT / "book").glob("*.ipynb")}
    assert set(chapters) == notebooks
    for stem, exercises in chapters.items():
        assert len(exercises) >= 3, stem
        assert any(ex.kind in ("multiple choice", "written answer") for ex in exercises), f"{stem}: no conceptual question"
        assert any(ex.kind == "code" for ex in exercises), stem


def test_every_written_answer_has_a_rubric():
    rubrics = GUIDE.split("## Rubrics for the written answers\n", 1)[1].split("\n## ", 1)[0]
    for label, (_, ex) in EXERCISES.items():
        if ex.kind == "written answer":
            assert re.search(rf"^`{label}`\n: \*\*1 point\*\*", rubrics, re.M), f"no rubric for {label}"


def test_every_chapter_has_objectives_and_prerequisites():
    section = GUIDE.split("## What each chapter teaches\n", 1)[1].split("\n## ", 1)[0]
    for path in (paths.ROOT / "book").glob("*.ipynb"):
        entry = section.split("{doc}`" + path.stem + "`", 1)
        assert len(entry) == 2, f"{path.stem} is not described"
        text = entry[1].split("\n{doc}", 1)[0]
        assert "*Objectives:*" in text and "*Prerequisites:*" in text, path.stem


@pytest.mark.parametrize("heading", ["A two-hour lab", "A nine-week module"])
def test_each_slot_holds_its_exercises(heading):
    rows = _table(heading)
    assert rows
    for row in rows:
        minutes = int(row[-2])
        labels = LABEL.findall(row[-1])
        assert labels, row
        unknown = [label for label in labels if label not in MINUTES]
        assert not unknown, f"{row[0]}: not in the exercise table: {unknown}"
        needed = sum(MINUTES[label] for label in labels)
        assert needed <= minutes, f"{row[0]}: {needed} minutes of exercises in a {minutes}-minute slot"


def test_the_lab_is_two_hours_and_touches_the_methods_chapters():
    rows = _table("A two-hour lab")
    assert sum(int(r[1]) for r in rows) == 120
    for r in rows:  # the guide promises every slot at least five minutes for an introduction or discussion
        needed = sum(MINUTES[label] for label in LABEL.findall(r[2]))
        assert needed <= int(r[1]) - 5, f"{r[0]}: {needed} minutes of exercises leave no time in {r[1]} minutes"
    used = {EXERCISES[label][0] for r in rows for label in LABEL.findall(r[2])}
    assert {"study_design", "sampling_bias", "thematic_analysis", "audit", "limitations"} <= used


def test_the_module_uses_every_exercise_once():
    rows = _table("A nine-week module")
    used = [label for r in rows for label in LABEL.findall(r[-1])]
    assert sorted(used) == sorted(EXERCISES)
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))


def test_the_guide_is_in_the_toc_and_out_of_the_student_edition():
    assert "book/instructor_guide" in toc.files()


def test_the_toc_is_one_numbered_course_in_teaching_order():
    parts = toc.load()["parts"]
    numbered = [p for p in parts if p.get("numbered")]
    assert len(numbered) == 1, "one numbered part, so figure, table and exercise numbers do not restart"
    order = [c["file"].removeprefix("book/") for c in numbered[0]["chapters"]]
    assert set(order) == {p.stem for p in (paths.ROOT / "book").glob("*.ipynb")}
    assert order.index("study_design") < order.index("participant_flow") < order.index("synthetic_dataset")
    assert max(order.index(t) for t in order if t.startswith("table")) < order.index("sampling_bias")
    assert order.index("audit") < order.index("limitations") == len(order) - 1
    assert toc.chapter_numbers() == {name: i for i, name in enumerate(order, start=1)}
