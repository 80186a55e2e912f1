"""The student edition holds no solution anywhere: HTML, _sources downloads, jupyter_execute, the stripped tree.

`make test` builds both editions (from a clean state) before pytest runs; these tests fail if either is missing.
The same snippets must be found in the instructor edition, which shows the detector works.
"""

import pytest

from hmbook import paths
from support.teaching import corpus, snippets

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)

INSTRUCTOR = paths.ROOT / "_build" / "html"
STUDENT = paths.ROOT / "_build" / "student"
STUDENT_SRC = paths.ROOT / "_build" / "student-src"


@pytest.fixture(scope="module")
def solution_snippets():
    found = snippets()
    assert len(found) >= 3 * 7, "expected at least three solutions in each chapter"
    empty = [k for k, v in found.items() if not v]
    assert not empty, f"solutions with no distinctive line to test for: {empty}"
    return found


def _built(root):
    if not (root / "_build" / "html" / "index.html").exists() and not (root / "index.html").exists():
        pytest.fail(f"no build at {root}: run `make test` (it builds both editions first)")
    return corpus(root)


def test_every_solution_is_in_the_instructor_edition(solution_snippets):
    text = _built(INSTRUCTOR)
    missing = {k: [s for s in v if s not in text] for k, v in solution_snippets.items()}
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"the detector cannot see these in the instructor site: {missing}"


def test_no_solution_text_anywhere_in_the_student_edition(solution_snippets):
    html_dir = STUDENT / "_build" / "html"
    assert (html_dir / "_sources").is_dir() and (STUDENT / "_build" / "jupyter_execute").is_dir()
    text = _built(STUDENT) + "\n" + corpus(STUDENT_SRC)
    leaks = {k: [s for s in v if s in text] for k, v in solution_snippets.items()}
    leaks = {k: v for k, v in leaks.items() if v}
    assert not leaks, f"solution text found in the student edition: {leaks}"


@pytest.mark.parametrize("notebook", sorted((paths.ROOT / "book").glob("*.ipynb")), ids=lambda p: p.stem)
def test_student_edition_keeps_every_exercise(notebook):
    import nbformat

    from hmbook.course import editions

    labels = editions.exercise_labels(nbformat.read(notebook, as_version=4))
    assert labels, f"{notebook.name}: no exercises found in the source"
    page = (STUDENT / "_build" / "html" / "book" / f"{notebook.stem}.html").read_text()
    missing = [label for label in labels if f'id="{label}"' not in page]
    assert not missing, f"{notebook.stem}: exercises missing from the student page: {missing}"
    assert "Solution to" not in page


def test_student_edition_is_labelled_and_drops_the_instructor_guide():
    assert "(student edition)" in (STUDENT / "_build" / "html" / "book" / "intro.html").read_text()
    assert not (STUDENT / "_build" / "html" / "book" / "instructor_guide.html").exists()


def test_the_output_comparison_sees_a_changed_output():
    """The check that the student site shows a run without solutions (tests/test_assignments.py) can fail."""
    import copy

    import nbformat

    from support.teaching import output_differences

    run = nbformat.read(paths.ROOT / "_build" / "executed" / "book" / "table1_demographics.ipynb", as_version=4)
    shown = copy.deepcopy(run)
    assert output_differences(shown, run) == []
    cell = next(c for c in shown.cells if c.cell_type == "code" and any(o.output_type == "stream" for o in c.outputs))
    next(o for o in cell.outputs if o.output_type == "stream").text += "a solution's side effect\n"
    assert len(output_differences(shown, run)) == 1
    del run.cells[[c.source for c in run.cells].index(cell.source)]
    assert "not in the other run" in output_differences(shown, run)[0]
