"""The content note and UK signposting, from the one source (``_config.yml``'s announcement), in notebooks.

Every notebook the course hands out (a hand-out, a lab copy) opens with the same note the site shows as its
announcement banner on every page; :func:`with_content_note` puts it there and :func:`has_content_note` checks.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from hmbook import paths
from hmbook.course.toc import read_yaml_mapping
from hmbook.errors import DataError

__all__ = ['CONTENT_NOTE_TAG', 'content_note', 'has_content_note', 'with_content_note']


CONTENT_NOTE_TAG = "content-note"


def content_note(config: str | Path | None = None) -> str:
    """The content note as Markdown, from the one source: the site's announcement in ``config`` (default: the
    checkout's ``_config.yml``, under :data:`hmbook.paths.ROOT` when called).

    >>> note = content_note()
    >>> all(s in note for s in ("Samaritans", "116 123", "NHS", "111", "999", "synthetic"))
    True
    """
    config = paths.ROOT / "_config.yml" if config is None else Path(config)
    section = read_yaml_mapping(config, "a book configuration (_config.yml)").get("html") or {}
    html_text = section.get("announcement") if isinstance(section, dict) else None
    if not isinstance(html_text, str) or not html_text.strip():
        raise DataError(f"{config}: no html.announcement (the content note) to copy into the notebooks")
    text = re.sub(r'<span class="hm-short">.*?</span>', "", html_text)  # the banner's phone form: not for notebooks
    text = re.sub(r'<span class="hm-full">(.*?)</span>', r"\1", text)
    text = re.sub(r"<strong>(.*?)</strong>", r"**\1**", " ".join(text.split()))
    text = re.sub(r'<a href="([^"]+)">(.*?)</a>', r"[\2](\1)", text)
    if "<" in text:
        raise DataError(f"{config}: the announcement uses HTML other than <strong>, <a href> and the hm-full and "
                        f"hm-short spans: {text}")
    return html.unescape(text)


def _note_cell(note: str) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(note)
    cell.id = CONTENT_NOTE_TAG
    # The site shows the same note as its announcement banner on every page, so the cell is removed there.
    cell.metadata["tags"] = [CONTENT_NOTE_TAG, "remove-cell"]
    return cell


def has_content_note(nb: NotebookNode, note: str) -> bool:
    """Is the first cell of ``nb`` the content note, word for word?"""
    return bool(nb.cells) and nb.cells[0].cell_type == "markdown" and nb.cells[0].source == note


def with_content_note(nb: NotebookNode, note: str | None = None) -> NotebookNode:
    """A copy of ``nb`` whose first cell is the content note (replacing an older note cell wherever it was)."""
    note = content_note() if note is None else note
    out = copy.deepcopy(nb)
    out.cells = [_note_cell(note)] + [c for c in out.cells
                                      if CONTENT_NOTE_TAG not in c.get("metadata", {}).get("tags", [])]
    return out
