"""Notebook files read and written as the book stores them: bounded, validated, nbformat's JSON.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from hmbook.errors import DataError
from hmbook.files import reading

__all__ = ['MAX_BYTES', 'read_notebook', 'notebook_bytes']


MAX_BYTES = 20_000_000  # bytes; the book's largest notebook, outputs included, is well under 1 MB


def read_notebook(path: str | Path) -> NotebookNode:
    """A notebook file, refused with one line if it is not a readable, valid notebook (JSON, nbformat 4)."""
    text = reading.read_text(path, kind="a notebook", max_bytes=MAX_BYTES)
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises NotJSONError, ValidationError, AttributeError, TypeError, ...
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise DataError(f"{path}: not a readable notebook ({reason[:120]})") from None
    return nb


def notebook_bytes(nb: NotebookNode) -> bytes:
    """A notebook as the book stores it: nbformat's JSON, UTF-8, ending with a newline."""
    return (nbformat.writes(nb) + "\n").encode("utf-8")
