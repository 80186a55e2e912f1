"""Self-check questions on the static site: at least two per chapter, answered in Chromium without a kernel and
offline, with the mouse and with the keyboard. (Their accessibility is checked with every page's axe-core run in
tests/test_site_browser.py.)"""

import re

import nbformat
import pytest

from hmbook import paths
from hmbook.course import toc
from support.book import SITE
from support.sitekit import offline

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)

CHAPTERS = [f for f in toc.files() if (paths.ROOT / f"{f}.ipynb").exists()]
DIRECTIVE = re.compile(r"^```\{self-check\} (?P<q>.+)\n:answer: (?P<answer>\d+)\n:explain: (?P<why>.+)\n(?P<opts>(?:- .+\n)+)```",
                       re.M)


def _questions(doc):
    text = "\n".join(c.source for c in nbformat.read(paths.ROOT / f"{doc}.ipynb", as_version=4).cells
                     if c.cell_type == "markdown")
    return [m.groupdict() for m in DIRECTIVE.finditer(text + "\n")]


@pytest.mark.parametrize("doc", CHAPTERS)
def test_every_chapter_has_two_self_checks_in_its_source_and_on_its_page(doc):
    questions = _questions(doc)
    assert len(questions) >= 2, doc
    for q in questions:
        options = q["opts"].splitlines()
        assert 1 <= int(q["answer"]) <= len(options) >= 2
    html = (SITE / f"{doc}.html").read_text(encoding="utf-8")
    assert html.count('<form class="self-check"') == len(questions)
    assert 'self-check.js' in html


def test_right_and_wrong_answers_get_feedback_offline(browser, site_url):
    doc = "book/table1_demographics"
    first = _questions(doc)[0]
    right, wrong = int(first["answer"]), 1 if first["answer"] != "1" else 2
    context = browser.new_context()
    blocked = offline(context)
    page = context.new_page()
    page.goto(f"{site_url}{doc}.html")
    form = page.locator("form.self-check").first
    feedback = form.locator(".self-check-feedback")
    form.locator("button").click()
    assert feedback.inner_text() == "Choose an answer first."
    form.locator(f"input[value='{wrong}']").check()
    form.locator("button").click()
    assert feedback.inner_text().startswith("Not quite")
    assert "self-check-wrong" in form.get_attribute("class")
    form.locator(f"input[value='{right}']").check()
    form.locator("button").click()
    assert feedback.inner_text().startswith("Correct.") and first["why"][:40] in feedback.inner_text()
    assert feedback.get_attribute("role") == "status" and feedback.get_attribute("aria-live") == "polite"
    assert not blocked, blocked
    context.close()


def test_a_self_check_works_from_the_keyboard(browser, site_url):
    doc = "book/study_design"
    first = _questions(doc)[0]
    context = browser.new_context()
    offline(context)
    page = context.new_page()
    page.goto(f"{site_url}{doc}.html")
    form = page.locator("form.self-check").first
    form.locator("input[value='1']").focus()  # Tab reaches the group; arrow keys move within it
    for _ in range(int(first["answer"]) - 1):
        page.keyboard.press("ArrowDown")
    assert form.locator(f"input[value='{first['answer']}']").is_checked()
    page.keyboard.press("Tab")  # to the Check button
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    assert form.locator(".self-check-feedback").inner_text().startswith("Correct.")
    context.close()
