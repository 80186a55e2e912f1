"""Where the project's files are: the data folder and the checkout.

The data are not part of the Python package: they live in the repository's top-level ``data/`` folder (the
published figures, the registers and the SYNTHETIC tables, written only by hmbook commands), so an installed
wheel holds code only. The data folder :data:`DATA` is

- the folder named by the environment variable ``HMBOOK_DATA`` (:data:`ENV`), when it is set and not empty;
- otherwise ``data/`` beside the ``hmbook/`` package folder: the checkout's ``data/`` when hmbook is imported from
  a clone (``make setup`` installs it in editable mode, so that is the usual case).

So a wheel installed anywhere else is pointed at a checkout's data with ``HMBOOK_DATA=/path/to/hmbook/data``.
Reading a data file when the data folder does not exist raises :class:`~hmbook.errors.DataError` with a one-line
message naming the variable (:func:`check`, called by the readers).

Importing this module reads no file and checks nothing: the paths are computed from the package location and the
environment (read once, at first import), never from the working directory. :data:`ROOT` is the folder that holds
the package, which is the checkout (with ``book/``, ``_toc.yml`` and ``tests/``) only when hmbook is imported from
one; the book tools (student edition, hand-out notebooks) work on a checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from hmbook.errors import DataError

__all__ = ["ENV", "ROOT", "DATA", "FIGURES_CSV", "ASSUMPTIONS_CSV", "FACTS_CSV", "RESPONDENTS_CSV",
           "DATAPACKAGE_JSON", "CHERRIES_CSV", "FREE_TEXT_CSV", "CODING_REFERENCE_CSV", "CODING_SECOND_CSV",
           "CODEBOOK_CSV", "CORPUS", "QUESTIONS_CSV", "WHO_CSV", "SENTENCES_CSV", "WEIGHTS_CSV",
           "GROUP_PHRASES_CSV", "check"]

#: The environment variable that names the data folder.
ENV = "HMBOOK_DATA"
ROOT = Path(__file__).resolve().parent.parent
_FROM_ENV = os.environ.get(ENV, "")
DATA = Path(_FROM_ENV).expanduser().absolute() if _FROM_ENV else ROOT / "data"
FIGURES_CSV = DATA / "published" / "figures.csv"
ASSUMPTIONS_CSV = DATA / "published" / "assumptions.csv"
FACTS_CSV = DATA / "published" / "respondent_facts.csv"
RESPONDENTS_CSV = DATA / "synthetic" / "respondents.csv"
DATAPACKAGE_JSON = DATA / "datapackage.json"
CHERRIES_CSV = DATA / "cherries.csv"
FREE_TEXT_CSV = DATA / "synthetic" / "free_text.csv"
CODING_REFERENCE_CSV = DATA / "synthetic" / "coding_reference.csv"
CODING_SECOND_CSV = DATA / "synthetic" / "coding_second.csv"
CODEBOOK_CSV = DATA / "codebook.csv"
CORPUS = DATA / "corpus"  # what the SYNTHETIC free-text corpus is assembled from (sentences, weights, questions)
QUESTIONS_CSV = CORPUS / "questions.csv"
WHO_CSV = CORPUS / "who.csv"
SENTENCES_CSV = CORPUS / "sentences.csv"
WEIGHTS_CSV = CORPUS / "weights.csv"
GROUP_PHRASES_CSV = CORPUS / "group_phrases.csv"


def check(path: str | os.PathLike) -> None:
    """Raise :class:`DataError` if ``path`` lies in the data folder and that folder does not exist.

    The message is one line and says how to point hmbook at its data. Paths outside the data folder, and a data
    folder that exists, pass (a missing file inside it is the reader's own error).

    >>> check(FIGURES_CSV)  # imported from a checkout (or with HMBOOK_DATA set): the folder is there
    >>> check("elsewhere/figures.csv")
    """
    if DATA.is_dir() or not Path(path).absolute().is_relative_to(DATA):
        return
    if _FROM_ENV:
        raise DataError(f"{ENV}={_FROM_ENV}: no such folder; set {ENV} to the data/ folder of an hmbook checkout")
    raise DataError(f"no data folder at {DATA} (hmbook is not imported from a checkout): "
                    f"set {ENV} to the data/ folder of an hmbook checkout")
