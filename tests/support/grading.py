"""The three simulated submissions of a chapter that the grading checks grade (tests/test_grading.py), made in one
place so that benchmarks/bench_test.py's floor grades exactly the same files.

For each chapter: the instructor's solutions (full marks), the untouched student hand-out (zero) and a plausible
wrong answer to one question (partial marks; the wrong answers are in tests/data/grading/wrong_answers.yml).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import yaml

WRONG = yaml.safe_load((Path(__file__).parent.parent / "data" / "grading" / "wrong_answers.yml").read_text())
KINDS = ("full", "zero", "partial")


def wrong_submission(solved: Path, spec: dict) -> nbformat.NotebookNode:
    """The instructor's notebook with the answer cell of one question replaced by a wrong answer."""
    nb = nbformat.read(solved, as_version=4)
    check = next(i for i, c in enumerate(nb.cells) if c.source == f'grader.check("{spec["question"]}")')
    answer = next(i for i in range(check - 1, 0, -1) if nb.cells[i].cell_type == "code")
    nb.cells[answer].source = spec["code"]
    return nb


def submissions(handouts: Path, stem: str, root: Path, kinds: tuple[str, ...] = KINDS) -> dict[str, Path]:
    """{kind: submitted notebook} for chapter ``stem`` (each of ``kinds``), each in ``root/stem/kind/`` under the
    hand-out's name (as students return it)."""
    made = {}
    for kind in kinds:
        folder = root / stem / kind
        folder.mkdir(parents=True)
        target = folder / f"{stem}.ipynb"
        if kind == "full":
            target.write_bytes((handouts / "instructor" / target.name).read_bytes())
        elif kind == "zero":
            target.write_bytes((handouts / "student" / target.name).read_bytes())
        else:
            nbformat.write(wrong_submission(handouts / "instructor" / target.name, WRONG[stem]), target)
        made[kind] = target
    return made
