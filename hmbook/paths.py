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

Importing this module reads no file, checks nothing and reads no environment variable: :data:`DATA` and the file
paths below it are worked out each time one is asked for (``paths.FIGURES_CSV``), from the package location and
``HMBOOK_DATA`` as it is then, never from the working directory; so a test or a notebook may set the variable
after importing hmbook. The readers take ``path=None`` for "the data folder's file", never a path frozen when
the module was imported.

:data:`ROOT` is the folder that holds the package, which is the checkout (with ``book/``, ``_toc.yml`` and
``tests/``) only when hmbook is imported from one; the book tools (student edition, hand-out notebooks) work on a
checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from hmbook.errors import DataError

__all__ = ["ENV", "ROOT", "DATA", "data_dir", "FIGURES_CSV", "ASSUMPTIONS_CSV", "FACTS_CSV", "SPEC_YML",
           "RESPONDENTS_CSV", "DATAPACKAGE_JSON", "CHERRIES_CSV", "FREE_TEXT_CSV", "CODING_REFERENCE_CSV",
           "CODING_SECOND_CSV", "CODEBOOK_CSV", "CORPUS", "QUESTIONS_CSV", "WHO_CSV", "SENTENCES_CSV", "WEIGHTS_CSV",
           "GROUP_PHRASES_CSV", "check"]

#: The environment variable that names the data folder.
ENV = "HMBOOK_DATA"
#: The folder that holds the package: the checkout, when hmbook is imported from one.
ROOT = Path(__file__).resolve().parent.parent

# Each data file, relative to the data folder (the names are read as module attributes, see __getattr__).
_FILES = {
    "FIGURES_CSV": "published/figures.csv",
    "ASSUMPTIONS_CSV": "published/assumptions.csv",
    "FACTS_CSV": "published/respondent_facts.csv",
    "SPEC_YML": "published/spec.yml",  # the study spec of the paper, for the general engine (hmbook.synthesis)
    "RESPONDENTS_CSV": "synthetic/respondents.csv",
    "DATAPACKAGE_JSON": "datapackage.json",
    "CHERRIES_CSV": "cherries.csv",
    "FREE_TEXT_CSV": "synthetic/free_text.csv",
    "CODING_REFERENCE_CSV": "synthetic/coding_reference.csv",
    "CODING_SECOND_CSV": "synthetic/coding_second.csv",
    "CODEBOOK_CSV": "codebook.csv",
    "CORPUS": "corpus",  # what the SYNTHETIC free-text corpus is assembled from (sentences, weights, questions)
    "QUESTIONS_CSV": "corpus/questions.csv",
    "WHO_CSV": "corpus/who.csv",
    "SENTENCES_CSV": "corpus/sentences.csv",
    "WEIGHTS_CSV": "corpus/weights.csv",
    "GROUP_PHRASES_CSV": "corpus/group_phrases.csv",
}


def _from_env() -> str:
    return os.environ.get(ENV, "")


def data_dir() -> Path:
    """The data folder as things stand now: ``$HMBOOK_DATA`` when set and not empty, else ``data/`` beside the package.

    >>> data_dir() == (Path(os.environ[ENV]).absolute() if os.environ.get(ENV) else ROOT / "data")
    True
    """
    named = _from_env()
    return Path(named).expanduser().absolute() if named else ROOT / "data"


def __getattr__(name: str) -> Path:
    """``paths.DATA`` and ``paths.FIGURES_CSV`` (and the other file names): resolved when asked for (PEP 562)."""
    if name == "DATA":
        return data_dir()
    if name in _FILES:
        return data_dir() / _FILES[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check(path: str | os.PathLike) -> None:
    """Raise :class:`DataError` if ``path`` lies in the data folder and that folder does not exist.

    The message is one line and says how to point hmbook at its data. Paths outside the data folder, and a data
    folder that exists, pass (a missing file inside it is the reader's own error).

    >>> check(data_dir() / "published" / "figures.csv")  # from a checkout (or with HMBOOK_DATA set): it is there
    >>> check("elsewhere/figures.csv")
    """
    data = data_dir()
    if data.is_dir() or not Path(path).absolute().is_relative_to(data):
        return
    named = _from_env()
    if named:
        raise DataError(f"{ENV}={named}: no such folder; set {ENV} to the data/ folder of an hmbook checkout")
    raise DataError(f"no data folder at {data} (hmbook is not imported from a checkout): "
                    f"set {ENV} to the data/ folder of an hmbook checkout")
