"""The built site as a reader gets it: Debian's Chromium, driven by Playwright, against `_build/html` on 127.0.0.1.

Every page listed in `_toc.yml` is visited once, offline (every request to a host other than loopback is aborted
and recorded), and what a reader would meet is recorded: title, headings, console errors, failed requests, the
content-note banner, images without alt text, axe-core's accessibility violations, the icons, what the download
button gives, a table page's rebuilt table, and the layout at a desktop and a phone width. The tests below then
read that record, one concern each. Further tests use the search page and the sidebar.

The tests fail (never skip) when the site or the browser is missing: `make test` builds the site first, and
`.ci/run` installs Debian's `chromium` package (Playwright's own browser download is not available here).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from hmbook import paths
from hmbook.course.toc import files as toc_files
from support import signposting
from support.book import SITE
from support.sitekit import figure_text, offline, serve, sideways, table_fit, table_styles

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)

TOC = toc_files()
NOTEBOOK_PAGES = [f for f in TOC if (paths.ROOT / f"{f}.ipynb").is_file()]
TABLE_PAGES = [f for f in TOC if Path(f).name.startswith("table")]
# axe-core impact levels that fail the build. Minor and moderate findings are printed, not failed.
BLOCKING_IMPACT = {"serious", "critical"}
# A wide desktop window and a phone held upright (CSS pixels).
WIDTHS = (1280, 375)
# The smallest text a figure may show, in CSS pixels as displayed, at each of WIDTHS (hmbook.viz.plotting draws
# every figure so that its smallest text is about 9.5 px on a phone).
SMALLEST_FIGURE_TEXT = 9
# What pandas prints for a missing value or a negative number rounded to nothing, found in the text a reader sees
# (the article's innerText: hidden cells and the CSV download links' data are not in it), with the words around.
RAW_VALUES_JS = r"""a => [...a.innerText.matchAll(/(?<![\w.])(NaN|<NA>|-0\.0+)(?![\w.])/g)]
                  .map(m => a.innerText.slice(Math.max(0, m.index - 40), m.index + 20).replace(/\s+/g, " "))"""
# Resolves once the browser has drawn two more frames: what a resize set off has happened by then.
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


# make test spreads the site's tests over its workers page by page (tests/support/parallel.py): a page is loaded
# once, in one worker, for all of its tests.
XDIST_GROUP_BY = "doc"


# ---------------------------------------------------------------- the browser and the server
# browser_type_launch_args (Debian's Chromium) and site_url (the built site on loopback): tests/conftest.py


@pytest.fixture
def offline_page(browser):
    context = browser.new_context()
    offline(context)
    page = context.new_page()
    yield page
    context.close()


def page_url(site_url, doc):
    return urljoin(site_url, f"{doc}.html")


# ---------------------------------------------------------------- one visit per page, recorded
@dataclass
class Download:
    """What the download menu's source button gave: the file downloaded, or the page opened in a new tab."""
    href: str = ""
    body: bytes = b""
    popup_text: str | None = None  # the new tab's text (a Markdown page); None when the button downloaded a file
    error: str = ""


@dataclass
class Visit:
    title: str
    h1: list[str]
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    banner: str = ""
    banner_visible: bool = False
    images_without_alt: list[str] = field(default_factory=list)
    icons: list[tuple[str, int, str]] = field(default_factory=list)  # (href, status, content type)
    violations: list[dict] = field(default_factory=list)
    download: Download = field(default_factory=Download)
    rebuilt_tables: int = 0
    rebuilt_visible: bool = False
    rebuilt_cells: list[str] = field(default_factory=list)
    layout: dict[int, dict] = field(default_factory=dict)  # window width -> support.sitekit.sideways()
    banners: dict[int, list] = field(default_factory=dict)  # window width -> [the banner's text, its height in lines]
    raw_values: list[str] = field(default_factory=list)  # NaN, <NA> or -0.0 in the text column, with what is around
    figures: dict[int, dict] = field(default_factory=dict)  # window width -> support.sitekit.figure_text()
    tables: list[dict] = field(default_factory=list)  # support.sitekit.table_styles(), at the desktop width
    table_fit: dict[int, dict] = field(default_factory=dict)  # window width -> support.sitekit.table_fit()
    exercises: list[list[str]] = field(default_factory=list)  # [an exercise's id, the id line under its title]

    def __repr__(self):
        return f"Visit({self.title!r})"


def _download(page):
    """Open the download menu and press its source button, as a reader would."""
    found = Download()
    try:
        page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
        button = page.locator(".dropdown-download-buttons .btn-download-source-button")
        found.href = button.evaluate("a => a.href")
        if found.href.endswith(".ipynb"):
            with page.expect_download() as info:
                button.click()
            found.body = Path(info.value.path()).read_bytes()
        else:
            with page.expect_popup() as info:
                button.click()
            popup = info.value
            popup.wait_for_load_state()
            found.popup_text = popup.locator("body").inner_text()
            popup.close()
            found.body = page.request.get(found.href).body()
        page.keyboard.press("Escape")
    except PlaywrightError as error:
        found.error = str(error).splitlines()[0]
    return found


@pytest.fixture(scope="session")
def visits(browser, site_url):
    """doc -> Visit: each page loaded once (on first use), offline, in a desktop-width window, for every check.

    In order, since the later steps change the page: what the page did while loading and what it shows; axe-core;
    the icons it declares, fetched; the download button, pressed; on a table page, the rebuilt table; last, the
    layout at each width of WIDTHS, with every collapsed block opened (support.sitekit.sideways), the window
    resized from the widest to the narrowest as a reader narrowing it would (the theme's layout is CSS media
    queries, applied on resize: test_resized_layout_is_the_layout_loaded_at_that_width checks this).
    """
    context = browser.new_context(viewport={"width": max(WIDTHS), "height": 900})
    blocked = offline(context)
    axe = Axe()
    cache = {}

    def visit(doc):
        if doc in cache:
            return cache[doc]
        page = context.new_page()
        errors, failed = [], []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: failed.append(f"{req.url} ({req.failure})"))
        page.on("response", lambda resp: resp.status >= 400 and failed.append(f"{resp.url} ({resp.status})"))
        del blocked[:]
        response = page.goto(page_url(site_url, doc), wait_until="networkidle")
        assert response is not None and response.ok, f"{doc}: {response and response.status}"
        # What the page itself did, copied before axe-core runs: axe's CSSOM preload fetches each stylesheet's
        # @import target resolved against the page instead of the stylesheet, a request the page never makes.
        record = Visit(title=page.title(), console_errors=list(errors),
                       failed=list(failed) + [f"{url} (blocked: not loopback)" for url in blocked],
                       # Headings a reader meets: the theme's print-only copy of the title (display: none on
                       # screen, so outside the accessibility tree too) is not one.
                       h1=page.locator("h1:visible").all_inner_texts())
        banner = page.locator(".bd-header-announcement")
        record.banner_visible = banner.count() == 1 and banner.is_visible()
        record.banner = banner.first.inner_text() if banner.count() else ""
        record.images_without_alt = page.eval_on_selector_all(
            "main img, article img",
            "imgs => imgs.filter(i => !(i.getAttribute('alt') || '').trim()"
            " && i.getAttribute('role') !== 'presentation' && i.getAttribute('aria-hidden') !== 'true')"
            ".map(i => i.getAttribute('src'))")
        record.raw_values = page.locator("article.bd-article").first.evaluate(RAW_VALUES_JS)
        record.exercises = page.eval_on_selector_all(
            "article.bd-article div.exercise[id]",
            "es => es.map(e => [e.id, (e.querySelector(':scope > .hm-exercise-id') || {}).innerText || ''])")
        record.violations = axe.run(page).response["violations"]
        for href in page.eval_on_selector_all('link[rel~="icon"]', "links => links.map(l => l.href)"):
            got = page.request.get(href)
            record.icons.append((href, got.status, got.headers.get("content-type", "")))
        record.download = _download(page)
        if doc in TABLE_PAGES:
            table = page.locator("table", has_text="Rebuilt (synthetic)")
            record.rebuilt_tables = table.count()
            if record.rebuilt_tables:
                record.rebuilt_visible = table.first.is_visible()
                record.rebuilt_cells = table.first.locator("td").all_inner_texts()
        for width in sorted(WIDTHS, reverse=True):
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate(NEXT_FRAMES)  # resize handlers, if any, have run
            record.layout[width] = sideways(page)
            record.figures[width] = figure_text(page)
            record.table_fit[width] = table_fit(page)
            if width == max(WIDTHS):
                record.tables = table_styles(page)
            record.banners[width] = page.locator(".bd-header-announcement").first.evaluate(
                "b => { const s = getComputedStyle(b.firstElementChild || b), box = getComputedStyle(b);"
                " const inner = b.getBoundingClientRect().height - parseFloat(box.paddingTop)"
                " - parseFloat(box.paddingBottom); return [b.innerText, inner / parseFloat(s.lineHeight)]; }")
        page.close()
        cache[doc] = record
        return record

    yield visit
    context.close()


@pytest.mark.parametrize("doc", TOC)
def test_page_loads_with_a_title_one_h1_and_no_console_errors(visits, doc):
    v = visits(doc)
    assert v.title.strip() and "<no title>" not in v.title, f"{doc}: no title"
    assert len(v.h1) == 1, f"{doc}: expected exactly one h1, found {v.h1}"
    assert not v.console_errors, f"{doc}: console errors {v.console_errors}"


@pytest.mark.parametrize("doc", TOC)
def test_page_works_offline(visits, doc):
    """With every non-loopback request aborted, nothing on the page fails: no CDN scripts, no remote fonts."""
    assert not visits(doc).failed, f"{doc}: failed requests {visits(doc).failed}"


@pytest.mark.parametrize("doc", TOC)
def test_page_shows_the_content_note_and_signposting(visits, doc):
    v = visits(doc)
    assert v.banner_visible, f"{doc}: the content-note banner is not visible"
    lacks = signposting.missing(v.banner)
    assert not lacks, f"{doc}: the banner lacks {lacks}: {v.banner!r}"


@pytest.mark.parametrize("doc", TOC)
def test_the_banner_keeps_every_number_and_stays_short_on_a_phone(visits, doc):
    """At each width the banner says everything the note must (on a phone, its short form), and on a phone it takes
    at most three lines of the screen (about five in the full form)."""
    for width, (text, _) in visits(doc).banners.items():
        assert not signposting.missing(text), f"{doc} at {width} px: the banner lacks {signposting.missing(text)}"
    text, lines = visits(doc).banners[min(WIDTHS)]
    assert lines <= 3.2, f"{doc}: the banner takes {lines:.1f} lines at {min(WIDTHS)} px: {text!r}"


@pytest.mark.parametrize("doc", TOC)
def test_no_raw_missing_values_or_negative_zeros_on_the_page(visits, doc):
    """A reader meets a dash, not NaN or <NA>, where a table has no value, and 0.0, not -0.0."""
    assert not visits(doc).raw_values, f"{doc}: " + " | ".join(visits(doc).raw_values)


@pytest.mark.parametrize("doc", TOC)
def test_every_image_has_alt_text(visits, doc):
    assert not visits(doc).images_without_alt, f"{doc}: images without alt text {visits(doc).images_without_alt}"


@pytest.mark.parametrize("doc", TOC)
def test_page_declares_an_icon_that_loads(visits, doc):
    """A page with no declared icon makes the browser ask for /favicon.ico, a 404 (and a console error) when the
    site is served from a domain root. Each page declares one, and it loads."""
    icons = visits(doc).icons
    assert icons, f"{doc}: no <link rel=icon>"
    for href, status, kind in icons:
        assert status == 200 and kind.startswith("image/"), f"{doc}: {href} {status} {kind}"


def _describe(violation):
    nodes = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                      for n in violation["nodes"][:3])
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} (e.g. {nodes})"


@pytest.mark.parametrize("doc", TOC)
def test_page_has_no_serious_accessibility_violations(visits, doc):
    violations = visits(doc).violations
    for v in violations:
        if v["impact"] not in BLOCKING_IMPACT:
            print(f"{doc}: {_describe(v)}")
    blocking = [_describe(v) for v in violations if v["impact"] in BLOCKING_IMPACT]
    assert not blocking, f"{doc}: axe-core found\n" + "\n".join(blocking)


# ---------------------------------------------------------------- layout: nothing scrolls sideways
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("doc", TOC)
def test_main_column_does_not_scroll_sideways(visits, doc, width):
    """At a desktop and a phone width, with every solution and hidden cell opened, nothing in the main column
    reaches past its edges (under the contents column, or off the screen) except inside an explicit scroll
    container, and the page itself does not scroll sideways."""
    found = visits(doc).layout[width]
    assert not found["offenders"], f"{doc} at {width} px:\n" + "\n".join(found["offenders"])
    assert found["document"] <= 0, f"{doc} at {width} px: the page scrolls {found['document']} px sideways"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("doc", TOC)
def test_every_box_that_scrolls_sideways_says_so_and_no_code_is_cut_off(visits, doc, width):
    """A table wider than the column scrolls inside its box, and the box shows a line saying so (a reader on a
    phone cannot otherwise tell that columns are missing); code and printed output wrap at the column's edge."""
    found = visits(doc).layout[width]
    assert not found["uncued"], f"{doc} at {width} px, no scroll cue:\n" + "\n".join(found["uncued"])
    assert not found["clipped"], f"{doc} at {width} px, code cut off:\n" + "\n".join(found["clipped"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("doc", TOC)
def test_every_figure_s_smallest_text_is_legible(visits, doc, width):
    """At a desktop and a phone width, every image in the text column is an SVG whose text is text, and its
    smallest text is shown at SMALLEST_FIGURE_TEXT CSS px or more (measured as displayed: the image's own font sizes
    scaled to the width it is shown at), and no two of its texts are drawn over each other."""
    found = visits(doc).figures[width]
    assert not found["unmeasured"], f"{doc} at {width} px, figures that cannot be measured: {found['unmeasured']}"
    small = [f"{f['image']} (shown {f['shown']} px wide): {f['smallest']} px, {f['text']!r}"
             for f in found["figures"] if f["smallest"] < SMALLEST_FIGURE_TEXT]
    assert not small, f"{doc} at {width} px, text under {SMALLEST_FIGURE_TEXT} px:\n" + "\n".join(small)
    assert not found["overlaps"], f"{doc} at {width} px, labels drawn over each other:\n" + "\n".join(found["overlaps"])


def test_the_figure_text_check_can_fail_and_pass(browser, tmp_path):
    """The check above measures what is displayed: in one SVG with a 600-unit-wide viewBox, a 12-unit text that its
    own transform halves is 6 px when the image is shown 600 px wide and 3 px at 300 px; a PNG, and an SVG with its
    text drawn as paths, cannot be measured and are listed as such; two labels drawn over each other are caught."""
    (tmp_path / "f.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="450pt" height="150pt" viewBox="0 0 600 200">'
        '<text x="10" y="50" style="font-size: 12px">twelve units</text>'
        '<g transform="scale(0.5)"><text x="10" y="300" style="font-size: 12px">six units</text></g></svg>')
    (tmp_path / "clash.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
        '<text x="10" y="50" style="font-size: 20px">a root label</text>'
        '<text x="40" y="55" style="font-size: 20px">over another</text></svg>')
    (tmp_path / "paths.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" '
                                        'viewBox="0 0 60 20"><path d="M 0 0 L 10 10"/></svg>')
    import matplotlib.pyplot as plt
    import numpy as np

    plt.imsave(tmp_path / "f.png", np.ones((10, 20, 3)))
    (tmp_path / "page.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><article class="bd-article">'
        '<img alt="wide" src="f.svg" style="width: 600px"><img alt="narrow" src="f.svg" style="width: 300px">'
        '<img alt="paths" src="paths.svg"><img alt="clash" src="clash.svg"></article></body></html>')
    (tmp_path / "raster.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><article class="bd-article">'
        '<img alt="raster" src="f.png" style="width: 20px"></article></body></html>')
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    with serve(tmp_path) as url:
        page = context.new_page()
        page.goto(url + "page.html", wait_until="networkidle")
        found = figure_text(page)
        page.goto(url + "raster.html", wait_until="networkidle")
        raster = figure_text(page)
    context.close()
    assert [(f["shown"], f["texts"], f["smallest"], f["text"]) for f in found["figures"][:2]] == [
        (600, 2, 6, "six units"), (300, 2, 3, "six units")], found
    assert found["overlaps"] == ['clash.svg: "a root label" and "over another" overlap'], found
    assert len(found["unmeasured"]) == 1 and "paths.svg: an SVG with no <text>" in found["unmeasured"][0], found
    assert raster["figures"] == [] and len(raster["unmeasured"]) == 1, raster
    assert "f.png: not an SVG" in raster["unmeasured"][0], raster


# The page whose first table (a Markdown table, made by neither pandas nor a glue) every table is held to.
REFERENCE_TABLE_PAGE = "book/instructor_guide"
# The smallest room, in CSS px, left and right of a cell's text, so that neighbouring cells never run together.
CELL_PADDING = 4


def _table_problems(table, reference):
    """What keeps ``table`` (support.sitekit.table_styles) from the one table style that ``reference`` has."""
    problems = []
    if any(table["box"]):
        problems.append(f"a border around the table {table['box']}")
    if table["padding"] < CELL_PADDING:
        problems.append(f"cells with {table['padding']} px beside their text (they run together)")
    aligns = set(table["header_align"]) | set(table["body_align"])
    if len(aligns) > 1:
        problems.append(f"headers aligned {table['header_align']} over cells aligned {table['body_align']}")
    if len(table["odd"]) > 1 or len(table["even"]) > 1 or (table["even"] and table["odd"] == table["even"]):
        problems.append(f"rows not shaded alternately (odd {table['odd']}, even {table['even']})")
    for key in ("padding", "font", "header_rule"):
        if table[key] != reference[key]:
            problems.append(f"{key} {table[key]!r} where the other tables have {reference[key]!r}")
    for key in ("odd", "even"):
        if table[key] and table[key] != reference[key]:
            problems.append(f"{key} rows {table[key]} where the other tables have {reference[key]}")
    return problems


@pytest.mark.parametrize("doc", TOC)
def test_every_table_is_drawn_in_the_one_table_style(visits, doc):
    """Every table in the text column, from a cell's output, a glued "Table" or the Markdown text, is drawn alike:
    no box, room beside every cell's text, headers aligned as their cells, rows shaded alternately, and the same
    shading, font, padding and header rule as the tables of the reference page."""
    reference = visits(REFERENCE_TABLE_PAGE).tables[0]
    assert not _table_problems(reference, reference), _table_problems(reference, reference)
    found = [f"{t['text']!r}: " + "; ".join(p) for t in visits(doc).tables if (p := _table_problems(t, reference))]
    assert not found, f"{doc}:\n" + "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("doc", TOC)
def test_no_code_in_a_table_breaks_inside_a_word(visits, doc, width):
    """An exercise id or a file name in a table may wrap after a hyphen, never in the middle of a word."""
    broken = visits(doc).table_fit[width]["broken"]
    assert not broken, f"{doc} at {width} px:\n" + "\n".join(broken)


@pytest.mark.parametrize("doc", ["book/instructor_guide"])  # with its page's other tests (XDIST_GROUP_BY)
def test_the_instructor_guide_s_tables_fit_a_phone(visits, doc):
    """On a phone every table of the instructor guide fits the text column, so the points and minutes columns are
    on the screen (its exercise table once ran 129 px past it, behind a scroll)."""
    tables = visits(doc).table_fit[min(WIDTHS)]["tables"]
    assert len(tables) >= 3, tables
    wide = [t for t in tables if t["width"] > t["room"] + 1]
    assert not wide, f"{doc} at {min(WIDTHS)} px, tables wider than the column: {wide}"


EXERCISE_IDS_IN_GUIDE = set(re.findall(r"`(ex-[a-z0-9-]+)`", (paths.ROOT / "book/instructor_guide.md").read_text()))


@pytest.mark.parametrize("doc", TOC)
def test_every_exercise_shows_the_id_the_instructor_guide_uses(visits, doc):
    """Under each exercise's title the page shows its id, and the instructor guide lists every one of them, so an
    instructor can go from the guide's tables to the exercise on the page."""
    exercises = visits(doc).exercises
    if doc in NOTEBOOK_PAGES:
        assert len(exercises) >= 3, f"{doc}: {len(exercises)} exercises found on the page"
    for label, shown in exercises:
        assert shown == f"Exercise id: {label}", f"{doc}: {label} shows {shown!r} under its title"
        assert label in EXERCISE_IDS_IN_GUIDE, f"{doc}: {label} is not in the instructor guide"


def test_the_table_style_check_can_fail_and_pass(browser, site_url, tmp_path):
    """A table as pandas writes it (border="1", headers right-aligned) passes the check above with the site's
    stylesheet and fails it without: a box around it, cells running together, headers not over their text."""
    rows = "".join(f"<tr><th>{i}</th><td>inconsistent</td><td>percentage</td></tr>" for i in range(3))
    table = ('<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th>#</th><th>Finding</th>'
             f"<th>Check</th></tr></thead><tbody>{rows}</tbody></table>")
    page_html = ('<!doctype html><html lang="en" data-theme="light"><head><title>t</title>{css}</head><body>'
                 f'<article class="bd-article"><figure>{table}</figure></article></body></html>')
    css = "".join(f'<link rel="stylesheet" href="{site_url}{href}">' for href in (
        "_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css", "_static/hmbook.css"))
    (tmp_path / "styled.html").write_text(page_html.format(css=css))
    (tmp_path / "bare.html").write_text(page_html.format(css=""))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    with serve(tmp_path) as url:
        page = context.new_page()
        page.goto(url + "styled.html", wait_until="networkidle")
        styled = table_styles(page)[0]
        page.goto(url + "bare.html", wait_until="networkidle")
        bare = table_styles(page)[0]
    context.close()
    assert _table_problems(styled, styled) == [], styled
    problems = " | ".join(_table_problems(bare, styled))
    for expected in ("a border around the table", "run together", "headers aligned", "not shaded alternately"):
        assert expected in problems, problems


@pytest.mark.parametrize("doc", ["book/all_figures"])  # with its page's other tests (XDIST_GROUP_BY)
def test_resized_layout_is_the_layout_loaded_at_that_width(browser, site_url, visits, doc):
    """The visits measure the narrow layout by resizing a page loaded wide. On the page with the most in it (every
    figure), that gives what loading the page at the narrow width gives: the same column, the same offenders, the
    same sideways scroll."""
    narrow = min(WIDTHS)
    context = browser.new_context(viewport={"width": narrow, "height": 900})
    offline(context)
    page = context.new_page()
    page.goto(page_url(site_url, doc), wait_until="networkidle")
    loaded = sideways(page)
    context.close()
    assert loaded["column"] is not None and loaded == visits(doc).layout[narrow]


@pytest.mark.parametrize("contained", [False, True])
def test_sideways_check_catches_a_wide_table_outside_a_scroll_container(browser, tmp_path, contained):
    """The check above can fail: a table wider than the column is caught, and the same table is accepted once
    it sits in a scroll container inside the column."""
    cells = "".join(f"<td>column_{i}_without_spaces</td>" for i in range(12))
    box = ' style="overflow-x: auto"' if contained else ""
    (tmp_path / "page.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body style="margin:0">'
        '<main><article class="bd-article" style="width: 300px; margin-left: 20px">'
        f"<p>Some text.</p><div{box}><table><tr>{cells}</tr></table></div></article></main></body></html>")
    context = browser.new_context(viewport={"width": 375, "height": 600})
    with serve(tmp_path) as url:
        page = context.new_page()
        page.goto(url + "page.html")
        found = sideways(page)
    context.close()
    if contained:
        assert found["offenders"] == [] and found["document"] <= 0, found
        assert len(found["uncued"]) == 1 and found["uncued"][0].startswith("<div"), found  # the page has no cue
    else:
        assert len(found["offenders"]) == 1 and found["offenders"][0].startswith("<table"), found
        assert found["document"] > 0, found


def test_the_scroll_cue_and_code_checks_can_fail_and_pass(browser, site_url, tmp_path):
    """On a page of the site's own (its CSS and script), a wide table in a cell's output gets the cue, at any
    width it is wider than; the same table with the script removed is caught, and so is a line of code that runs
    past its box."""
    cells = "".join(f"<td>column_{i}_without_spaces</td>" for i in range(12))
    head = ('<!doctype html><html lang="en"><head><title>t</title>'
            f'<link rel="stylesheet" href="{site_url}_static/hmbook.css">{{script}}</head><body style="margin:0">'
            '<main><article class="bd-article" style="width: 300px; margin-left: 20px">')
    body = (f'<div class="cell_output"><div class="output"><table>{cells}</table></div></div>'
            '<pre style="white-space: pre">{code}</pre></article></main></body></html>')
    script = f'<script src="{site_url}_static/scroll-cue.js"></script>'
    (tmp_path / "cued.html").write_text(head.format(script=script) + body.format(code="short"))
    (tmp_path / "bare.html").write_text(head.format(script="") + body.format(code="x_" * 200))
    context = browser.new_context(viewport={"width": 375, "height": 600})
    with serve(tmp_path) as url:
        page = context.new_page()
        page.goto(url + "cued.html", wait_until="networkidle")
        page.evaluate(NEXT_FRAMES)
        cued = sideways(page)
        page.goto(url + "bare.html", wait_until="networkidle")
        bare = sideways(page)
    context.close()
    assert cued["uncued"] == [] and cued["clipped"] == [], cued
    assert len(bare["uncued"]) == 1 and len(bare["clipped"]) == 1, bare


# ---------------------------------------------------------------- what a reader does
@pytest.mark.parametrize("doc", TABLE_PAGES)
def test_table_page_shows_its_rebuilt_table(visits, doc):
    v = visits(doc)
    assert v.rebuilt_tables >= 1, f"{doc}: no table with a 'Rebuilt (synthetic)' column"
    assert v.rebuilt_visible
    assert "✓" in v.rebuilt_cells and "✗" not in v.rebuilt_cells, f"{doc}: the rebuilt table does not match the published one"


def test_search_page_finds_a_term(offline_page, site_url):
    page = offline_page
    page.goto(urljoin(site_url, "search.html?q=synthetic"))
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15_000)
    hrefs = results.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert any("/book/" in h for h in hrefs), hrefs
    page.goto(urljoin(site_url, "search.html?q=qwxzvbnonsense"))
    page.locator("#search-results p.search-summary").wait_for(timeout=15_000)
    assert results.count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_search_icon_does_not_cover_the_query(browser, site_url, width):
    """On the search page the magnifier sits left of where the typed query starts."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    offline(context)
    page = context.new_page()
    page.goto(urljoin(site_url, "search.html?q=synthetic"))
    form = page.locator(".bd-search-container form.bd-search")
    icon = form.locator("i.fa-magnifying-glass").bounding_box()
    text_starts = form.locator("input").evaluate(
        "i => { const s = getComputedStyle(i); return i.getBoundingClientRect().left"
        " + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft); }")
    context.close()
    assert icon["x"] + icon["width"] <= text_starts, f"the icon ends at {icon['x'] + icon['width']}, the text starts at {text_starts}"


@pytest.mark.parametrize("doc", TOC)
def test_download_button_serves_the_page_source(visits, doc):
    """The download menu's source button serves the page's source, byte for byte: a notebook downloads, a
    Markdown page opens in a new tab (its link has target=_blank and the server says text/markdown)."""
    got = visits(doc).download
    assert not got.error, f"{doc}: the download button: {got.error}"
    suffix = Path(urlsplit(got.href).path).suffix
    source = paths.ROOT / (doc + suffix)
    assert suffix in {".ipynb", ".md"} and source.is_file(), f"{doc}: the source button points at {got.href}"
    if suffix == ".ipynb":
        assert got.popup_text is None, f"{doc}: the notebook opened in a tab instead of downloading"
        assert json.loads(got.body)["cells"], f"{doc}: the downloaded notebook has no cells"
    else:
        assert got.popup_text is not None, f"{doc}: the Markdown source did not open in a new tab"
        assert source.read_text().splitlines()[0] in got.popup_text
    assert got.body == source.read_bytes(), f"{doc}: the served source differs from {source.relative_to(paths.ROOT)}"


def test_sidebar_navigation_reaches_every_chapter(offline_page, site_url):
    """Starting at the first page, click each toc entry's link in the sidebar in turn; each lands on its page."""
    page = offline_page
    page.goto(page_url(site_url, TOC[0]))
    for doc in TOC[1:]:
        target = page_url(site_url, doc)
        found = page.evaluate(
            """target => {
                const a = [...document.querySelectorAll('nav.bd-docs-nav a')].find(a => a.href === target);
                if (!a) return false;
                for (let d = a.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
                a.setAttribute('data-hm-target', '');
                return true;
            }""", target)
        assert found, f"the sidebar on {page.url} has no link to {doc}"
        with page.expect_navigation():
            page.locator("nav.bd-docs-nav a[data-hm-target]").click()
        assert page.url.split("#")[0] == target, f"clicking {doc} in the sidebar went to {page.url}"
        assert page.locator("main h1:visible").count() == 1


def test_vendored_mathjax_and_widget_embed_render_offline(browser, tmp_path):
    """The local MathJax and widget embed script work with the network blocked, whether or not a chapter uses them
    yet: a minimal page in the site's layout (math, plus a slider's saved state) renders both."""
    import ipywidgets
    from ipywidgets.embed import embed_data

    data = embed_data(views=[ipywidgets.IntSlider(value=3, description="n")])
    (tmp_path / "_static").symlink_to(SITE / "_static")
    (tmp_path / "page.html").write_text(f"""<!doctype html><html lang="en"><head><title>vendored</title>
<script>window.MathJax = {{}}</script><script defer src="_static/mathjax/tex-mml-chtml.js"></script>
<script type="application/vnd.jupyter.widget-state+json">{json.dumps(data["manager_state"])}</script>
<script src="_static/widgets/embed.js"></script></head>
<body><p>\\(x^2 + 1\\)</p>
<script type="application/vnd.jupyter.widget-view+json">{json.dumps(data["view_specs"][0])}</script></body></html>""")
    context = browser.new_context()
    blocked = offline(context)
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("response", lambda resp: resp.status >= 400 and failed.append(resp.url))
    with serve(tmp_path) as url:
        page.goto(url + "page.html", wait_until="networkidle")
        page.locator("mjx-container").first.wait_for(timeout=15_000)
        page.locator(".widget-slider").first.wait_for(timeout=15_000)
        # MathJax fetches its fonts after it typesets: wait for them (and any other request) before the server
        # stops, or a slow machine reports the fonts as failed requests.
        page.evaluate("() => document.fonts.ready.then(() => document.fonts.size)")
        page.wait_for_load_state("networkidle")
        context.close()
    assert not failed and not blocked, failed + blocked


def test_offline_context_blocks_and_records_remote_requests(browser, tmp_path):
    """The guard the offline tests rely on: a request to another host is aborted and recorded, loopback is not."""
    (tmp_path / "page.html").write_text('<!doctype html><html lang="en"><head><title>t</title>'
                                        '<link rel="stylesheet" href="https://fonts.example.invalid/font.css"></head>'
                                        '<body><img alt="local" src="page.html"></body></html>')
    context = browser.new_context()
    blocked = offline(context)
    with serve(tmp_path) as url:
        context.new_page().goto(url + "page.html", wait_until="networkidle")
    context.close()
    assert blocked == ["https://fonts.example.invalid/font.css"]
