"""The data the SYNTHETIC free-text corpus is assembled from, read from files and checked against each other.

Everything :mod:`hmbook.qualitative.corpus` draws on is data, not code: UTF-8 CSV files in ``data/corpus/`` (an
empty cell is a missing value) and the codebook.

- ``questions.csv``: the corpus's open questions (this book's design: the paper does not list them), in the order
  the corpus asks them, with this book's wording of each, the chance that a respondent to whom the question
  applies answers it, and how many answers are held back for the coding exercise (:func:`questions`).
- ``who.csv``: the kinds of respondent a sentence or a weight may apply to. Each ``who`` is defined by a column of
  ``respondents.csv`` and the values of it that fit (``;``-separated); ``any`` has no column and fits everyone
  (:func:`who_fits`).
- ``sentences.csv``: the sentences a respondent may write, written for this book (none comes from the paper).
  ``question`` and ``code`` say which question the sentence answers and the subtheme code of the reference coding
  (``none``: it carries no subtheme); ``who`` says who may write it; ``text`` may hold the slots ``{tech}`` (a
  technique the respondent ticked, by its short label), ``{place}`` (their work setting) and ``{group}`` (the group
  they named to avoid); ``alt`` is a second reading a careful coder might give it, which the simulated second coder
  (:func:`hmbook.qualitative.corpus.second_coding`) sometimes takes. Techniques are named by short labels only.
- ``weights.csv``: how likely each subtheme is in an answer. For each question, the rows of one ``who`` and
  ``group`` form a block of code weights; a respondent gets the first block, in file order, whose ``who`` fits
  them and whose ``group`` (a Table 3 group, or empty for any) is the group they named.
- ``group_phrases.csv``: how respondents write, in their own words, the Table 3 group they named.
- ``data/codebook.csv``: the subtheme codes and the theme each belongs to, in the order of the paper's thematic
  map (:func:`read_codebook`); the one source of the codes.

:func:`load` reads them all; a file that breaks the rules raises :class:`~hmbook.errors.DataError` with one line
naming the file, the row (counted from 1 after the header) and the problem. Nothing is read on import.

>>> material = load()
>>> material.sentences.loc[0, ["question", "code", "who"]].tolist()
['benefits', 'safer_alternative', 'any']
>>> list(questions()["question"])
['other_techniques', 'benefits', 'concerns', 'avoid_why', 'training_support']
>>> gp = {"used_hm": False, "occupation": "General practitioner", "avoid_any_group": None, "trained": False,
...       "training_helpful": None, "confidence": None, "local_guidelines": True}
>>> sorted(w for w, ok in who_fits(material.who, gp).items() if ok)
['any', 'gp', 'non_user', 'policy', 'untrained']
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from hmbook import paths
from hmbook.data import schema
from hmbook.errors import DataError
from hmbook.files import cells, reading

__all__ = ["NONE", "SLOTS", "Material", "read_codebook", "questions", "who", "group_phrases", "sentences", "weights",
           "load", "who_fits"]

NONE = "none"  # the code of a segment that carries no subtheme
SLOTS = ("tech", "place", "group")  # the slots a sentence may hold

_WHO_SEP = ";"
_COLUMNS = {
    "questions": ("question", "wording", "answer_rate", "held_back"),
    "codebook": ("code", "theme_number", "theme", "subtheme"),
    "who": ("who", "column", "values", "description"),
    "group_phrases": ("group", "phrase"),
    "sentences": ("question", "code", "who", "text", "alt"),
    "weights": ("question", "who", "group", "code", "weight"),
}


class Material(NamedTuple):
    """The tables the corpus is assembled from, each checked against the others (see :func:`load`)."""

    questions: pd.DataFrame
    codebook: pd.DataFrame
    who: pd.DataFrame
    group_phrases: pd.DataFrame
    sentences: pd.DataFrame
    weights: pd.DataFrame


_MAX_ROWS = 10_000  # rows of any one of these files (the sentences, the longest, have a few hundred)


def _read(path, kind: str) -> pd.DataFrame:
    """A CSV of strings with the columns of ``kind`` (others allowed), read strictly and boundedly
    (:func:`hmbook.files.reading.read_table`): a missing, empty, binary or misshapen file is a one-line
    DataError."""
    return reading.read_table(path, kind=f"a {kind.replace('_', ' ')} file", columns=_COLUMNS[kind], max_rows=_MAX_ROWS,
                              extra=True)


def _fail(path, i: int, message: str):
    raise DataError(f"{path}: row {i + 1}: {message}")


def _fail_where(bad: pd.Series, df: pd.DataFrame, path, column: str, what: str) -> None:
    """Fail on the first row where ``bad`` holds, quoting the value of ``column``."""
    if bad.any():
        i = int(bad.to_numpy().argmax())
        _fail(path, i, f"{column} {df[column].iloc[i]!r} {what}")


def _filled(df: pd.DataFrame, path, column: str) -> None:
    _fail_where(df[column].str.strip() == "", df, path, column, "is empty")


def _check(df: pd.DataFrame, path, column: str, known, source: str, empty_ok: bool = False) -> None:
    """Every value of ``column`` is one of ``known`` (the values of ``source``), or empty where that is allowed."""
    if not empty_ok:
        _filled(df, path, column)
    _fail_where(~df[column].isin([*known, ""]), df, path, column, f"is not in {source}")


def _unique(df: pd.DataFrame, path, column: str) -> None:
    _filled(df, path, column)
    _fail_where(df[column].duplicated(), df, path, column, "appears more than once")


def read_codebook(path: str | Path | None = None) -> pd.DataFrame:
    """The codebook, one row per subtheme, in the order of the paper's thematic map (``theme_number`` an int).

    >>> cb = read_codebook()
    >>> len(cb), cb["theme"].nunique()
    (10, 5)
    """
    path = paths.CODEBOOK_CSV if path is None else path
    df = _read(path, "codebook")
    _unique(df, path, "code")
    _fail_where(df["code"] == NONE, df, path, "code", "is reserved for segments with no subtheme")
    _fail_where(~df["theme_number"].str.fullmatch(r"[0-9]{1,9}"), df, path, "theme_number", "is not a whole number")
    df["theme_number"] = df["theme_number"].astype(int)
    return df


def questions(path: str | Path | None = None) -> pd.DataFrame:
    """The corpus's open questions in order: ``question`` (an identifier), ``wording`` (our paraphrase),
    ``answer_rate`` (a float from 0 to 1) and ``held_back`` (a whole number of answers)."""
    path = paths.QUESTIONS_CSV if path is None else path
    df = _read(path, "questions")
    _unique(df, path, "question")
    rate = pd.to_numeric(df["answer_rate"], errors="coerce")
    _fail_where(~rate.between(0, 1), df, path, "answer_rate", "is not a number from 0 to 1")
    _fail_where(~df["held_back"].str.fullmatch(r"[0-9]{1,9}"), df, path, "held_back", "is not a whole number")
    df["answer_rate"] = [float(r) for r in df["answer_rate"]]
    df["held_back"] = df["held_back"].astype(int)
    return df


def who(path: str | Path | None = None) -> pd.DataFrame:
    """The ``who`` vocabulary: ``who``, ``column`` and ``values`` (which respondents fit) and ``description``.

    Each ``column`` must be a column of ``respondents.csv`` (see :mod:`hmbook.data.schema`) and each of its
    ``values`` a value that column can take (``true``/``false`` for a yes/no column); an empty ``column`` fits every
    respondent.
    """
    path = paths.WHO_CSV if path is None else path
    df = _read(path, "who")
    _unique(df, path, "who")
    _check(df, path, "column", schema.NAMES, "the columns of respondents.csv", empty_ok=True)
    for i, r in enumerate(df.itertuples(index=False)):
        if not r.column:
            if r.values:
                _fail(path, i, "values given but no column")
            continue
        col = schema.column(r.column)
        allowed = cells.BOOLS if col.kind == "bool" else col.categories
        if not allowed:
            _fail(path, i, f"column {r.column!r} is not a yes/no or category column")
        values = r.values.split(_WHO_SEP)
        bad = [v for v in values if v not in allowed]
        if bad:
            _fail(path, i, f"value {bad[0]!r} is not a value of column {r.column!r}")
    return df


def group_phrases(path: str | Path | None = None) -> pd.DataFrame:
    """How respondents write the group they named: ``group`` (a Table 3 group) and ``phrase`` (their words)."""
    path = paths.GROUP_PHRASES_CSV if path is None else path
    df = _read(path, "group_phrases")
    _unique(df, path, "group")
    _check(df, path, "group", schema.column("avoid_groups").categories, "Table 3's groups (avoid_groups)")
    _filled(df, path, "phrase")
    return df


def sentences(path: str | Path, questions: pd.DataFrame, codebook: pd.DataFrame, who: pd.DataFrame) -> pd.DataFrame:
    """The sentences: ``question``, ``code``, ``who``, ``text``, ``alt`` ('' if none), checked against the others."""
    df = _read(path, "sentences")
    codes = [*codebook["code"], NONE]
    _check(df, path, "question", questions["question"], "questions.csv")
    _check(df, path, "code", codes, "the codebook (or none)")
    _check(df, path, "who", who["who"], "who.csv")
    _check(df, path, "alt", codes, "the codebook (or none)", empty_ok=True)
    _filled(df, path, "text")
    for i, text in enumerate(df["text"]):
        try:
            unknown = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None} - set(SLOTS)
        except ValueError as err:  # a lone brace
            _fail(path, i, f"text has a brace that is not a slot ({err})")
        if unknown:
            _fail(path, i, f"unknown slot {{{sorted(unknown)[0]}}} (slots: {', '.join(SLOTS)})")
    return df


def weights(path: str | Path, questions: pd.DataFrame, codebook: pd.DataFrame, who: pd.DataFrame,
            group_phrases: pd.DataFrame) -> pd.DataFrame:
    """The code weights: ``question``, ``who``, ``group`` ('' for any), ``code``, ``weight`` (a positive float).

    The weights are parsed with :class:`float`, so ``0.6`` in the file is exactly the literal ``0.6``.
    """
    df = _read(path, "weights")
    _check(df, path, "question", questions["question"], "questions.csv")
    _check(df, path, "who", who["who"], "who.csv")
    _check(df, path, "group", group_phrases["group"], "group_phrases.csv", empty_ok=True)
    _check(df, path, "code", [*codebook["code"], NONE], "the codebook (or none)")
    _fail_where(df.duplicated(["question", "who", "group", "code"]), df, path, "code",
                "appears twice for the same question, who and group")
    numbers = pd.to_numeric(df["weight"], errors="coerce")
    _fail_where(~(np.isfinite(numbers) & (numbers > 0)), df, path, "weight", "is not a positive number")
    df["weight"] = [float(w) for w in df["weight"]]
    return df


def load(folder: str | Path | None = None, codebook: str | Path | None = None) -> Material:
    """Read and check every file the corpus is assembled from: ``folder`` holds the files of ``data/corpus/``."""
    folder = paths.CORPUS if folder is None else folder
    codebook = paths.CODEBOOK_CSV if codebook is None else codebook
    folder = Path(folder)
    qs, cb = questions(folder / paths.QUESTIONS_CSV.name), read_codebook(codebook)
    wh, groups = who(folder / paths.WHO_CSV.name), group_phrases(folder / paths.GROUP_PHRASES_CSV.name)
    return Material(questions=qs, codebook=cb, who=wh, group_phrases=groups,
                    sentences=sentences(folder / paths.SENTENCES_CSV.name, qs, cb, wh),
                    weights=weights(folder / paths.WEIGHTS_CSV.name, qs, cb, wh, groups))


def _text(value) -> str:
    """A respondent's value as it is written in ``respondents.csv``."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return cells.BOOL_TEXT[bool(value)]
    return str(value)


def who_fits(who: pd.DataFrame, row: Mapping[str, object]) -> dict[str, bool]:
    """Which ``who`` values fit a respondent: ``row`` maps column names of ``respondents.csv`` to values."""
    return {w: not column or _text(row[column]) in values.split(_WHO_SEP)
            for w, column, values in zip(who["who"], who["column"], who["values"])}
