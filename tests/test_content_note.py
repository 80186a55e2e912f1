"""The content note and UK signposting open every notebook, from one source (_config.yml's announcement)."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from hmbook import paths
from hmbook.course import content_notes
from hmbook.errors import DataError
from support import signposting

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)

SKIP = {".venv", ".venv-taguette", "_build", "dist", ".ipynb_checkpoints", "node_modules", "_vendor"}


def _notebooks() -> list[Path]:
    """Every notebook in the checkout outside SKIP. The skipped folders are not walked at all: make test builds
    into _build while this module is collected."""
    found = []
    for folder, dirs, files in os.walk(paths.ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        found += [Path(folder) / f for f in files if f.endswith(".ipynb")]
    return sorted(found)


NOTEBOOKS = _notebooks()


def test_the_note_signposts_uk_support():
    note = content_notes.content_note()
    assert not signposting.missing(note), signposting.missing(note)
    assert "<" not in note  # Markdown, not the site's HTML


def test_every_book_notebook_is_found():
    assert {p.name for p in (paths.ROOT / "book").glob("*.ipynb")} <= {p.name for p in NOTEBOOKS}
    assert len(NOTEBOOKS) >= 12


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(paths.ROOT)))
def test_first_cell_is_the_current_note(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert content_notes.has_content_note(nb, content_notes.content_note()), f"{path.name}: run tools/content_note.py"
    assert content_notes.CONTENT_NOTE_TAG in first.metadata.get("tags", [])
    assert sum(content_notes.CONTENT_NOTE_TAG in c.metadata.get("tags", []) for c in nb.cells) == 1


def test_a_changed_announcement_is_caught(tmp_path):
    config = (paths.ROOT / "_config.yml").read_text(encoding="utf-8").replace("116 123", "116 000")
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    changed = content_notes.content_note(tmp_path / "_config.yml")
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    assert not content_notes.has_content_note(nb, changed)
    assert content_notes.has_content_note(content_notes.with_content_note(nb, changed), changed)


def test_the_tool_finds_every_notebook_current():
    proc = subprocess.run([sys.executable, "tools/content_note.py", "--check"], cwd=paths.ROOT, capture_output=True,
                          text=True, env={"PYTHONPATH": str(paths.ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("html, problem", [("", "no html.announcement"), ("<em>x</em>", "HTML other than")])
def test_a_bad_source_is_one_clear_error(tmp_path, html, problem):
    (tmp_path / "_config.yml").write_text(f"html:\n  announcement: '{html}'\n", encoding="utf-8")
    with pytest.raises(DataError, match=problem):
        content_notes.content_note(tmp_path / "_config.yml")
