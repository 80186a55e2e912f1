"""One gradebook for a course: the grades CSVs of its chapters (``hmbook grade --out``, one per chapter) joined
into one row per student.

A grades row is named ``STUDENT/CHAPTER`` (a folder of submissions per student, as the README's teaching steps
collect them). The gradebook has, per student, each chapter's total (empty where the student handed nothing in for
it, with a note saying so: a missing chapter is not a zero the instructor gave), the course total and possible
(every chapter's possible points, handed in or not), and the rows' notes joined.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hmbook.errors import DataError
from hmbook.files import reading

__all__ = ["MAX_ROWS", "read_grades", "join"]

#: The most rows a grades CSV may have (a class of this many students).
MAX_ROWS = 10_000
_COLUMNS = ("submission", "total", "possible", "note")


def read_grades(path: str | Path) -> tuple[str, pd.DataFrame]:
    """(chapter, rows with ``student``, ``total``, ``possible``, ``note``) of one grades CSV; one-line
    :class:`DataError` on a file that is not one."""
    path = Path(path)
    df = reading.read_table(path, kind="a grades CSV (hmbook grade --out)", columns=_COLUMNS, max_rows=MAX_ROWS,
                            extra=True)
    if df.empty:
        raise DataError(f"{path}: a grades CSV with no rows")
    parts = df["submission"].str.rsplit("/", n=1)
    if not parts.map(len).eq(2).all():
        bad = df.loc[~parts.map(len).eq(2), "submission"].iloc[0]
        raise DataError(f"{path}: row {bad!r} is not STUDENT/CHAPTER (grade a folder with one folder per student)")
    students, chapters = parts.str[0], parts.str[1]
    if chapters.nunique() != 1:
        raise DataError(f"{path}: rows of more than one chapter ({', '.join(sorted(chapters.unique())[:3])})")
    if dup := sorted(students[students.duplicated()].unique()):
        raise DataError(f"{path}: student {dup[0]!r} has more than one row")
    try:
        total = pd.to_numeric(df["total"], errors="raise")
        possible = pd.to_numeric(df["possible"].replace("", pd.NA), errors="raise")
    except (ValueError, TypeError):
        raise DataError(f"{path}: the total and possible columns must be numbers") from None
    return str(chapters.iloc[0]), pd.DataFrame({"student": students, "total": total, "possible": possible,
                                                "note": df["note"]})


def join(files: list[str | Path]) -> pd.DataFrame:
    """The gradebook of ``files`` (see the module), students sorted, chapters in the order given."""
    chapters: dict[str, pd.DataFrame] = {}
    for path in files:
        chapter, rows = read_grades(path)
        if chapter in chapters:
            raise DataError(f"{path}: a second grades CSV for {chapter}; give each chapter once")
        chapters[chapter] = rows
    students = sorted(set().union(*(set(rows["student"]) for rows in chapters.values())))
    book = pd.DataFrame({"student": students})
    notes: dict[str, list[str]] = {s: [] for s in students}
    possible = 0.0
    for chapter, rows in chapters.items():
        by = rows.set_index("student")
        book[chapter] = book["student"].map(by["total"])
        top = by["possible"].dropna()
        possible += float(top.max()) if len(top) else 0.0
        for s in students:
            if s not in by.index:
                notes[s].append(f"{chapter}: nothing handed in")
            elif str(by.at[s, "note"]):
                notes[s].append(f"{chapter}: {by.at[s, 'note']}")
    book["total"] = book[list(chapters)].sum(axis=1, min_count=0)
    book["possible"] = possible
    book["note"] = [" | ".join(notes[s]) for s in students]
    return book
