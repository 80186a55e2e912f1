"""Grading a class: the submissions found and checked, each graded within its time limit, one table of scores.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from hmbook.course.notebooks import read_notebook
from hmbook.course.timeouts import GRADE_TIMEOUT, run_otter_within
from hmbook.errors import DataError

__all__ = ['scores', 'find_submissions', 'check_results_folder', 'grade']


def scores(results: dict) -> dict[str, float]:
    """Question -> score from an otter ``results.json`` (the summary of public tests has no score and is left out)."""
    return {t["name"]: float(t["score"]) for t in results["tests"] if t.get("score") is not None}


def find_submissions(given: Iterable[str | Path]) -> list[Path]:
    """The notebooks to grade: each file as given, and every ``.ipynb`` under each folder (sorted, checkpoints left
    out). A name that does not exist raises :class:`DataError` before anything is graded."""
    found: list[Path] = []
    for path in map(Path, given):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.exists():
            found.append(path)
        else:
            raise DataError(f"{path}: no such file or folder")
    return found


def check_results_folder(results: Path) -> None:
    """Refuse a ``--results`` folder that holds anything already (or is not a folder): otter's results for these
    submissions go there, and no earlier results are overwritten."""
    if results.exists() and (not results.is_dir() or any(results.iterdir())):
        raise DataError(f"{results}: exists and is not an empty folder")


def grade(autograder: Path, submissions: list[Path], workdir: Path, timeout: float = GRADE_TIMEOUT) -> pd.DataFrame:
    """Grade every submission with :func:`run_otter_within`; one row each: submission, each question's score,
    total, possible and note.

    Rows are named by the submission's path without ``.ipynb`` (``alice/table1_demographics`` for a folder per
    student), relative to the submissions' common folder. ``workdir`` keeps each run's ``results.json``. Every
    submission and the autograder are checked before otter sees any of them (one-line :class:`DataError`).
    """
    submissions, autograder = [Path(s) for s in submissions], Path(autograder)
    if not submissions:
        raise DataError("no submissions to grade")
    for s in submissions:
        if not s.is_file() or s.suffix != ".ipynb":
            raise DataError(f"{s}: not a notebook (.ipynb) file")
        read_notebook(s)
    if not autograder.is_file() or autograder.suffix != ".zip" or not zipfile.is_zipfile(autograder):
        raise DataError(f"{autograder}: not an autograder zip (make assignments writes dist/autograder/NAME.zip)")
    common = Path(os.path.commonpath([s.resolve().parent for s in submissions]))
    names = [s.resolve().relative_to(common).with_suffix("").as_posix() for s in submissions]
    results = [run_otter_within(autograder, s, Path(workdir) / name, timeout) for s, name in zip(submissions, names)]
    # One assignment: its questions and points, from any submission that was graded (a stopped one has none).
    graded = next((res for res in results if res is not None), None)
    questions = list(scores(graded)) if graded else []
    possible = sum(float(t["max_score"]) for t in graded["tests"] if t.get("score") is not None) if graded else None
    rows = []
    for name, res in zip(names, results):
        got = scores(res) if res is not None else dict.fromkeys(questions)  # stopped: no score, graded by hand
        note = "" if res is not None else f"stopped after {timeout:g} s: a cell did not end"
        total = float(sum(v or 0.0 for v in got.values()))
        rows.append({"submission": name, **got, "total": total, "possible": possible, "note": note})
    return pd.DataFrame(rows)
