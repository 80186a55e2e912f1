"""The lab copies: a readable copy of every chapter for JupyterLab (``hmbook lab-copies``, ``make lab``).
"""

from __future__ import annotations

from pathlib import Path

from hmbook.course.chapters import read_book
from hmbook.course.content_notes import with_content_note
from hmbook.course.notebooks import notebook_bytes
from hmbook.course.readable import readable_notebook
from hmbook.files import safe_write

__all__ = ['write_lab_copies']


def write_lab_copies(book: str | Path, out: str | Path, *, force: bool = False) -> list[Path]:
    """Write a readable copy of every notebook in ``book`` to ``out`` (outputs and solutions kept) for JupyterLab.

    Glued values are pasted in and MyST rewritten (:func:`readable_notebook`), tables and figures numbered as on
    the site. A copy someone has changed since it was written is never replaced without ``force``; nothing is
    written unless every notebook converts.
    """
    read = read_book(book)
    copies = {f"{stem}.ipynb": notebook_bytes(readable_notebook(with_content_note(nb, read.note),
                                                                 chapter=read.numbers.get(stem), titles=read.titles,
                                                                 where=f"{stem}.ipynb"))
              for stem, nb in read.notebooks.items()}
    return safe_write.write_outputs(out, copies, force=force)  # all or none, an edited copy refused unless forced
