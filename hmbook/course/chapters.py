"""A folder of chapter notebooks read once, with what the site adds around them: chapter numbers, page
titles and the content note (from ``_toc.yml`` and ``_config.yml`` beside the folder, when there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hmbook.course import toc
from hmbook.course.content_notes import content_note
from hmbook.course.notebooks import read_notebook
from hmbook.errors import DataError
from hmbook.files import reading

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ['MAX_BOOK_BYTES', 'Book', 'read_book']


@dataclass(frozen=True)
class Book:
    """A folder of chapter notebooks, read once, with what the site adds: chapter numbers, page titles, the note."""

    notebooks: dict[str, NotebookNode]  # file stem -> notebook, in file-name order
    numbers: dict[str, int]
    titles: dict[str, str]
    note: str


#: The most the chapters of a book may hold together, outputs included (this book's hold about 3 MB): each
#: notebook is bounded on its own (:data:`hmbook.course.notebooks.MAX_BYTES`), and the whole book by this.
MAX_BOOK_BYTES = 60_000_000


def read_book(book: str | Path) -> Book:
    """Every notebook in ``book`` (one-line errors for a broken one), and the chapter numbers, page titles and
    content note of the project around it (``_toc.yml`` and ``_config.yml`` beside ``book``, when there)."""
    book = Path(book)
    found = sorted(book.glob("*.ipynb")) + sorted(book.glob("*.md"))
    total = sum(p.stat().st_size for p in found if p.is_file())
    if total > MAX_BOOK_BYTES:  # refused before any is read: each file has its own bound too
        raise DataError(f"{book}: its notebooks and pages hold {total / 1e6:.0f} MB, more than a book's "
                        f"{MAX_BOOK_BYTES / 1e6:.0f} MB; clear their outputs or give a folder of chapters only")
    notebooks = {p.stem: read_notebook(p) for p in sorted(book.glob("*.ipynb"))}
    if not notebooks:
        raise DataError(f"{book}: no notebooks found")
    titles: dict[str, str] = {}
    for stem, nb in notebooks.items():
        titles[stem] = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for path in sorted(book.glob("*.md")):
        titles[path.stem] = reading.read_text(path, kind="a page", max_bytes=5_000_000)
    titles = {stem: m[1].strip() for stem, text in titles.items() if (m := re.search(r"^# (.+)$", text, re.M))}
    root = book.parent
    numbers = toc.chapter_numbers(toc.load(root)) if (root / "_toc.yml").exists() else {}
    note = content_note(root / "_config.yml") if (root / "_config.yml").exists() else content_note()
    return Book(notebooks, numbers, titles, note)
