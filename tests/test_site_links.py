"""Every internal link, anchor and asset reference in the built site resolves (external links are not followed).

Parses every HTML page of `_build/html` with the standard library's HTMLParser (a dozen lines; no need for a
link-checking dependency when nothing leaves the folder) and checks each relative `href`/`src`: the file exists,
and a `#fragment` names an `id` (or `name`) in the page it points at.
"""

import functools
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from support.book import SITE

REFERENCE_ATTRS = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
                   ("iframe", "src")}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.refs = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for t, a in REFERENCE_ATTRS:
            if tag == t and attrs.get(a) is not None:
                self.refs.append(attrs[a])


@functools.cache
def parse(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def site_pages():
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site: run `make test` (it builds _build/html before running pytest)")
    # _static holds the theme's template fragments (webpack-macros.html), not pages.
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.relative_to(SITE).parts)


def broken_references(page):
    """Relative references from `page` (a file in the site) that do not resolve, as readable strings."""
    broken = []
    for ref in parse(page).refs:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("javascript:", "data:")):
            continue  # external, tel:, mailto:, data: — not ours to check
        target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or SITE.resolve() not in target.resolve().parents:
            broken.append(f"{ref} (no file {target})")
        elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
            broken.append(f"{ref} (no anchor #{parts.fragment} in {target.name})")
    return broken


def test_the_checker_sees_pages_and_links():
    pages = site_pages()
    assert len(pages) >= 3 and sum(len(parse(p).refs) for p in pages) > 100


def test_every_internal_link_and_anchor_resolves():
    problems = {str(p.relative_to(SITE)): broken_references(p) for p in site_pages()}
    problems = {page: refs for page, refs in problems.items() if refs}
    assert not problems, "broken internal links:\n" + "\n".join(
        f"{page}: {ref}" for page, refs in problems.items() for ref in refs[:10])


def test_the_checker_catches_a_broken_link_and_anchor(tmp_path, monkeypatch):
    monkeypatch.setattr(__import__(__name__), "SITE", tmp_path)
    (tmp_path / "a.html").write_text('<a id="top" href="b.html#nowhere"></a><a href="missing.html"></a>'
                                     '<a href="#top"></a><a href="https://example.org/x"></a><a href="tel:999"></a>')
    (tmp_path / "b.html").write_text('<h1 id="here">b</h1>')
    broken = broken_references(tmp_path / "a.html")
    assert len(broken) == 2 and any("#nowhere" in b for b in broken) and any("missing.html" in b for b in broken)
