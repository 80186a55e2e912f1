"""What the content note must say wherever a reader meets it, checked against one list.

The note has one source (``_config.yml``'s announcement, :func:`hmbook.course.content_notes.content_note`). The
source is checked for these words (tests/test_content_note.py); each place a reader meets the note is checked
for them too: the site's banner on every page, in a browser (tests/test_site_browser.py), and the first cell of
every hand-out in JupyterLab (tests/test_jupyterlab.py). Notebook files (the book's, the hand-outs, the lab
copies) must hold the source's note word for word (``has_content_note``), so they carry the same words.
"""

from __future__ import annotations

#: The content note's heading, the subject, UK support lines (Samaritans, NHS 111, 999) and the data's nature.
SIGNPOSTING = ("Content note", "self-harm", "Samaritans", "116 123", "NHS", "111", "999", "synthetic")


def missing(text: str) -> list[str]:
    """The words of :data:`SIGNPOSTING` that ``text`` lacks (case as written)."""
    return [word for word in SIGNPOSTING if word not in text]
