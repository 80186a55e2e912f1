"""The book's sources and its built site: numbers in prose are glued, and every page carries the safety note.

The site tests read `_build/html`, which `make test` builds (strictly, from a clean state) before running pytest.
They fail, rather than skip, when the site is missing.
"""

import json
import re

import pytest

from hmbook import paths
from hmbook.course.toc import files as toc_files
from support.book import BOOK, NOTEBOOKS, SITE

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)


def prose(text):
    """Markdown with code, glue roles, directives' option lines and links' targets removed."""
    text = re.sub(r"```.*?```", lambda m: _figure_caption(m.group(0)), text, flags=re.S)
    text = re.sub(r"\{term\}`([^`<]*?)\s*(?:<[^`]*>)?`", r"\1", text)  # a glossary link reads as its words
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # other roles, including {glue:text} and {cite:p}
    text = re.sub(r"`[^`]*`", " ", text)             # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)          # link targets
    text = re.sub(r'"[^"\n]*"', " ", text)             # quoted labels, eg "2 or less"
    return text


def _figure_caption(block):
    """Keep the caption of a glue:figure (it is prose); drop code blocks and option lines."""
    if not block.startswith("```{glue:figure}"):
        return " "
    lines = block.splitlines()[1:-1]
    return "\n".join(line for line in lines if not line.startswith(":"))


# Digits that are names, not quantities: assumption ids, table/figure numbers, ranges in labels, citations, and
# the IDs by which the paper quotes respondents, and the synthetic writers' numbers (S101).
NAMES = (r"\bA\d\d\b|\b(?:Tables?|Figure|figure|Theme)s? \d+(?: to \d+)?|\b\d{2}-\d{2}\b"
         r"|\b116 123\b|\b111\b|\b999\b|\b2022\b|;12:e056199|doi:10\.1136/bmjopen-2021-056199"
         r"|\bIDs? \d+(?:(?:,| and) \d+)*|\bS\d{3}\b")
# Numbers that are choices of the text, not data (ARCHITECTURE.md, "How a number reaches the page"), each allowed
# only in the phrase that shows what kind of choice it is. Data numbers still need glue.
NON_DATA = (
    r"\b\d+% (?:Wilson |confidence )?intervals?\b",      # the level of an interval: "a 95% Wilson interval"
    r"\bmiddle \d+%",                                      # quantiles kept: "the middle 95% of the datasets"
    r"\bp below 0\.\d+",                                    # a significance level: "p below 0.05"
    r"\b0 (?:and|or|to) 1\b",                              # the ends of a scale: "between 0 and 1"
    r"(?:\| *|\b[Aa]llow )\d+(?:-\d+)? minutes\b",            # time allowed for an exercise (a table cell)
    r"\b(?:homophily|selection strength|drop-out) \d+(?:\.\d+)?(?: and \d+(?:\.\d+)?)?",  # a simulation setting
    r"\b(?:an observed|printed as|report of) \d+%",         # a hypothetical value an exercise asks about
    r"\bnarrower than \d+\s+percentage points",           # a target an exercise sets
    r"· \d+ points?\*",                                    # an exercise's points, on its label line
)
# Pages whose numbers are all choices of the text, none from data: the instructor guide's plan (minutes, points,
# weeks, slots), which tests/test_instructor_guide.py checks against the exercises instead.
CHOICES = {"instructor_guide.md"}
ALLOWED = re.compile("|".join((NAMES, *NON_DATA)))


def typed_numbers(markdown):
    """The digits left in a Markdown source once code, roles, names and non-data choices are set aside."""
    return re.findall(r"\d+", ALLOWED.sub(" ", prose(markdown)))


@pytest.mark.parametrize("text, typed", [
    ("Of the {glue:text}`n` respondents, 76 were users.", ["76"]),                  # data typed by hand
    ("Compute a 95% Wilson interval, with limits between 0 and 1.", []),           # choices of the text
    ("About 95% of the users agreed.", ["95"]),                                    # a data percentage is not a level
    ("Assumption A06 and Table 2; the quotation of ID 26.", []),                    # names
    ("Set homophily 0.5 and selection strength 1, then p below 0.05.", []),
    ("| ex-flow | 20 minutes |. Allow 5 minutes.", []),                                # time allowed, a choice
    ("The survey took 10 minutes.", ["10"]),                                       # a duration that is data
])
def test_the_digit_rule_tells_data_from_choices(text, typed):
    assert typed_numbers(text) == typed


def markdown_of(path):
    if path.suffix == ".md":
        return [path.read_text()]
    # The content-note cell is the site's announcement (phone numbers included), checked by test_content_note.py.
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"
            and "content-note" not in c.get("metadata", {}).get("tags", [])]


@pytest.mark.parametrize("page", NOTEBOOKS + sorted(BOOK.glob("*.md")), ids=lambda p: p.name)
def test_numbers_in_prose_are_glued(page):
    if page.name in CHOICES:
        return
    for source in markdown_of(page):
        typed = typed_numbers(source)
        assert not typed, f"{page.name}: typed number(s) {typed} in: {source[:200]!r}"


BIBLIOGRAPHY = paths.ROOT / "references.bib"
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")


def test_every_reference_is_cited_and_every_citation_is_in_the_bibliography():
    """references.bib holds the works the chapters cite, no more: each key is cited on some page (the strict build
    already fails on a citation of a key that is not in the file)."""
    keys = re.findall(r"^@\w+\{([^,\s]+),", BIBLIOGRAPHY.read_text(encoding="utf-8"), re.M)
    assert len(keys) == len(set(keys)), "a key is defined twice in references.bib"
    cited = {key.strip() for page in NOTEBOOKS + sorted(BOOK.glob("*.md")) for source in markdown_of(page)
             for match in CITE.finditer(source) for key in match.group(1).split(",")}
    assert sorted(set(keys) - cited) == [], "in references.bib but cited nowhere"
    assert sorted(cited - set(keys)) == [], "cited but not in references.bib"
    assert "references" in {f.split("/")[-1] for f in toc_files()}, "no References page in the toc"


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


def test_table_pages_show_rebuilt_tables_labelled_synthetic():
    for page in pages():
        if "table" not in page.stem:
            continue
        html = page.read_text()
        assert "Rebuilt (synthetic)" in html or "rebuilt (synthetic)" in html, page.name
        assert "✓" in html and "✗" not in html, page.name
        assert "Traceback" not in html, page.name


# An answer's id under a respondent ID (the old R07-benefits): the corpus uses writer numbers instead (A28).
ANSWER_UNDER_RESPONDENT_ID = re.compile(r"\bR\d{1,2}-(?:other_techniques|benefits|concerns|avoid_why|training_support)")


def test_no_page_shows_an_answer_under_a_respondent_id():
    """No synthetic answer is shown, on a page or in a notebook's sources or outputs, under a respondent ID: the
    paper quotes real participants by their IDs (register A28)."""
    for nb in NOTEBOOKS:
        assert not ANSWER_UNDER_RESPONDENT_ID.search(nb.read_text()), nb.name
    for page in pages():
        assert not ANSWER_UNDER_RESPONDENT_ID.search(page.read_text()), page.name


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
