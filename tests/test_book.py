"""The book's sources and its built site: numbers in prose are glued, and every page carries the safety note.

The site tests read `_build/html`, which `make test` builds (strictly, from a clean state) before running pytest.
They fail, rather than skip, when the site is missing.
"""

import json
import re

import pytest


from hmbook.teaching.toc import files as toc_files
from support.book import BOOK, NOTEBOOKS, SITE


def prose(text):
    """Markdown with code, glue roles, directives' option lines and links' targets removed."""
    text = re.sub(r"```.*?```", lambda m: _figure_caption(m.group(0)), text, flags=re.S)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # roles, including {glue:text}
    text = re.sub(r"`[^`]*`", " ", text)             # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)          # link targets
    text = re.sub(r'"[^"\n]*"', " ", text)             # quoted labels, eg "2 or less"
    return text


def _figure_caption(block):
    """Keep the caption of a glue:figure (it is prose); drop code blocks and option lines."""
    if not block.startswith("```{glue:figure}"):
        return " "
    lines = block.splitlines()[1:-1]
    return "\n".join(l for l in lines if not l.startswith(":"))


# Digits that are names, not quantities: assumption ids, table/figure numbers, ranges in labels, citations; and
# choices of the text: the content note's "24 hours", an exercise's points on its label line.
ALLOWED = re.compile(r"\bA\d\d\b|\b(?:Tables?|Figure|figure|Theme)s? \d+(?: to \d+)?|\b\d{2}-\d{2}\b"
                     r"|\b116 123\b|\b111\b|\b999\b|\b2022\b|;12:e056199|doi:10\.1136/bmjopen-2021-056199"
                     r"|\b24 hours\b|\b\d+ points?\b")
# Pages whose numbers are all choices of the text, none from data: the instructor guide's plan (minutes, points,
# weeks), which tests/test_instructor_guide.py checks against the exercises instead.
CHOICES = {"instructor_guide.md"}


def markdown_of(path):
    if path.suffix == ".md":
        return [path.read_text()]
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("page", NOTEBOOKS + sorted(BOOK.glob("*.md")), ids=lambda p: p.name)
def test_numbers_in_prose_are_glued(page):
    if page.name in CHOICES:
        return
    for source in markdown_of(page):
        text = ALLOWED.sub(" ", prose(source))
        typed = re.findall(r"\d+", text)
        assert not typed, f"{page.name}: typed number(s) {typed} in: {text[:200]!r}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_is_in_the_toc_and_has_outputs(nb):
    assert f"book/{nb.stem}" in toc_files()
    cells = json.loads(nb.read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] for c in code), "commit notebooks executed (nbval compares outputs)"


def pages():
    if not SITE.is_dir():
        pytest.fail("no built site: run `make test` (it builds _build/html before running pytest)")
    return [SITE / f"{f}.html" for f in toc_files()]


def test_every_page_carries_the_content_note_and_signposting():
    for page in pages():
        html = page.read_text()
        for needed in ("Content note", "Samaritans", "116 123", "NHS", "111", "999", "synthetic"):
            assert needed in html, f"{page.name} lacks {needed!r}"


def test_table_pages_show_rebuilt_tables_labelled_synthetic():
    for page in pages():
        if "table" not in page.stem:
            continue
        html = page.read_text()
        assert "Rebuilt (synthetic)" in html or "rebuilt (synthetic)" in html, page.name
        assert "✓" in html and "✗" not in html, page.name
        assert "Traceback" not in html, page.name


def test_no_unresolved_glue_in_the_site():
    for page in pages():
        html = page.read_text()
        assert "{glue:" not in html and "glue:text" not in html, page.name


FIGURE_DIRECTIVE = re.compile(r"```\{(glue:figure|figure|image)\}[ \t]*(\S*)[^\n]*\n(.*?)```", re.S)


def glued_images(path):
    """Keys this notebook glues as images (a glue:figure of a DataFrame is a table and needs no alt text)."""
    if path.suffix != ".ipynb":
        return set()
    outputs = [o for c in json.loads(path.read_text())["cells"] for o in c.get("outputs", [])]
    return {o["metadata"]["scrapbook"]["name"] for o in outputs if "scrapbook" in o.get("metadata", {})
            and any("image/" in mime for mime in o.get("data", {}))}


@pytest.mark.parametrize("page", NOTEBOOKS + sorted(BOOK.glob("*.md")), ids=lambda p: p.name)
def test_every_figure_has_alt_text(page):
    """Each image figure carries non-empty :alt: text (the browser tests check every rendered <img> as well)."""
    images = glued_images(page)
    for source in markdown_of(page):
        for kind, target, body in FIGURE_DIRECTIVE.findall(source):
            if kind == "glue:figure" and target not in images:
                continue
            alt = re.search(r"^:alt:[ \t]*(\S.*)$", body, re.M)
            assert alt, f"{page.name}: {kind} {target} has no :alt: text"
