"""Serve the built site on loopback and drive Debian's Chromium at it offline; shared by the browser tests
(tests/test_site_browser.py) and the performance benchmark (benchmarks/bench_site.py).

Playwright's own browser download is not available here, so Playwright drives /usr/bin/chromium (Debian's
`chromium` package, which .ci/run installs).
"""

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LOOPBACK", "launch_args", "serve", "offline", "is_loopback",
           "SIDEWAYS_JS", "sideways", "FIGURE_TEXT_JS", "figure_text", "TABLES_JS", "table_styles",
           "TABLE_FIT_JS", "table_fit"]

CHROMIUM = Path("/usr/bin/chromium")
# As root, Chromium needs --no-sandbox; the rest keep it from reaching the network on its own (updates, sync, QUIC).
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def launch_args():
    """Keyword arguments for `playwright.chromium.launch` (each launch gets a fresh temporary profile).

    Raises FileNotFoundError, with the fix, when Debian's Chromium is not installed.
    """
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: install Debian's chromium package "
                                "(`apt-get install -y chromium`); .ci/run does this")
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


def is_loopback(url):
    """
    >>> is_loopback("http://127.0.0.1:8000/book/intro.html"), is_loopback("https://cdn.jsdelivr.net/npm/x.js")
    (True, False)
    """
    return urlsplit(url).hostname in LOOPBACK


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory):
    """Serve `directory` with the standard library's HTTP server on a free loopback port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def offline(context):
    """Abort every request of a browser context that leaves loopback; return the list of aborted URLs."""
    blocked = []

    def handle(route):
        if is_loopback(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return blocked


# Run in a page: open every collapsed block a reader can open (solutions, hidden inputs), then list what sticks out
# sideways from the main column. An element sticks out when its box reaches past the left or right edge of
# `article.bd-article` (the text column between the navigation and the page's table of contents) and no ancestor
# below the article is a scroll container (overflow-x auto, scroll, hidden or clip) that itself lies inside the
# column: content may scroll only inside such an explicit container. Only the outermost offender of a subtree is
# listed. Also returned: the boxes in the column that scroll sideways with no cue that they do (``uncued``), code cut
# off at the column's edge (``clipped``), and how far the whole document scrolls sideways.
SIDEWAYS_JS = r"""
async () => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  document.querySelectorAll(".toggle-hidden").forEach(e => e.classList.remove("toggle-hidden"));
  // Two frames for what opening them set off (the scroll cue of a box that has just appeared)
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const column = document.querySelector("article.bd-article");
  if (!column) return {column: null, offenders: ["no article.bd-article on the page"], document: 0};
  const c = column.getBoundingClientRect();
  const outside = r => r.right > c.right + 1 || r.left < c.left - 1;
  const scrollBox = e => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(e).overflowX);
  const contained = e => {
    for (let p = e.parentElement; p && p !== column; p = p.parentElement) {
      if (scrollBox(p) && !outside(p.getBoundingClientRect())) return true;
    }
    return false;
  };
  const offenders = [];
  for (const e of column.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || !outside(r) || contained(e)) continue;
    const p = e.parentElement;
    if (p !== column && outside(p.getBoundingClientRect()) && !contained(p)) continue;
    const text = (e.innerText || "").trim().replace(/\s+/g, " ").slice(0, 60);
    offenders.push(`<${e.tagName.toLowerCase()} class="${e.className}"> spans ${Math.round(r.left)}-` +
                   `${Math.round(r.right)} px, the column ${Math.round(c.left)}-${Math.round(c.right)}: ${text}`);
  }
  // Boxes in the column that scroll sideways with no cue that they do (the hm-scrolls line), and code cut off at
  // the column's edge (a <pre> whose text is wider than it, scrolling or hidden).
  const describe = e => `<${e.tagName.toLowerCase()} class="${e.className}"> ${e.scrollWidth} px of content in ` +
    `${e.clientWidth}: ${(e.innerText || "").trim().replace(/\s+/g, " ").slice(0, 60)}`;
  const uncued = [], clipped = [];
  for (const e of column.querySelectorAll("*")) {
    if (!e.clientWidth || e.scrollWidth <= e.clientWidth + 1) continue;
    if (e.tagName === "PRE") { clipped.push(describe(e)); continue; }
    if (!["auto", "scroll"].includes(getComputedStyle(e).overflowX)) continue;
    const cue = getComputedStyle(e, "::before").content;
    if (!e.classList.contains("hm-scrolls") || !cue || cue === "none") uncued.push(describe(e));
  }
  const root = document.scrollingElement;
  return {column: [c.left, c.right], offenders, uncued, clipped, document: root.scrollWidth - root.clientWidth};
}
"""


def sideways(page):
    """What sticks out of the main column of the loaded ``page`` (see SIDEWAYS_JS): a dict with ``offenders`` (a
    description of each element outside the column and outside any scroll container within it), ``uncued`` (each
    box that scrolls sideways with no cue), ``clipped`` (each block of code cut off) and ``document`` (how many
    pixels the whole page scrolls sideways)."""
    return page.evaluate(SIDEWAYS_JS)


# Run in a page: the smallest text of every image in the text column, in CSS pixels as displayed. Each image's source
# is fetched again and, if it is an SVG, drawn into a hidden box of the size the image is displayed at (the same
# viewBox, fitted as an <img> fits it); each <text>'s computed font size times the scale its screen transform
# applies (the viewBox's fit, and any transform of its own) is the size the reader sees. An image that is not an
# SVG with its text kept as <text> cannot be measured, and is listed with its reason (``unmeasured``), as is an image
# not displayed at all (after every collapsed block is opened). Also listed: each pair of texts in one figure whose
# boxes, as drawn, overlap by more than a pixel each way (``overlaps``: a label over another label).
FIGURE_TEXT_JS = r"""
async () => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  document.querySelectorAll(".toggle-hidden").forEach(e => e.classList.remove("toggle-hidden"));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const column = document.querySelector("article.bd-article");
  if (!column) return {figures: [], unmeasured: ["no article.bd-article on the page"], overlaps: []};
  const figures = [], unmeasured = [], overlaps = [];
  for (const img of column.querySelectorAll("img")) {
    const name = (img.getAttribute("src") || "").split("/").pop();
    const box = img.getBoundingClientRect();
    if (!box.width || !box.height) { unmeasured.push(`${name}: not displayed`); continue; }
    const reply = await fetch(img.currentSrc || img.src);
    const source = await reply.text();
    if (!/<svg[\s>]/.test(source)) { unmeasured.push(`${name}: not an SVG (${reply.headers.get("content-type")})`); continue; }
    const holder = document.createElement("div");
    holder.style.cssText = `position: fixed; left: -20000px; top: 0; width: ${box.width}px; height: ${box.height}px;`;
    holder.innerHTML = source.slice(source.search(/<svg[\s>]/));
    document.body.appendChild(holder);
    const svg = holder.querySelector("svg");
    svg.setAttribute("width", `${box.width}px`);
    svg.setAttribute("height", `${box.height}px`);
    const texts = [...svg.querySelectorAll("text")].filter(t => t.textContent.trim());
    const boxes = texts.map(t => [t.textContent.trim().slice(0, 40), t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, r] = boxes[i], [b, q] = boxes[j];
        const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
        const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
        if (w > 1 && h > 1) overlaps.push(`${name}: ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`);
      }
    }
    let smallest = null;
    for (const t of texts) {
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (!smallest || px < smallest.px) smallest = {px: Math.round(px * 100) / 100, text: t.textContent.trim().slice(0, 60)};
    }
    holder.remove();
    if (!smallest) { unmeasured.push(`${name}: an SVG with no <text> (its text drawn as paths?)`); continue; }
    figures.push({image: name, shown: Math.round(box.width), texts: texts.length, smallest: smallest.px,
                  text: smallest.text});
  }
  return {figures, unmeasured, overlaps};
}
"""


def figure_text(page):
    """The smallest text of each image in the text column of the loaded ``page``, as displayed (see FIGURE_TEXT_JS): a
    dict with ``figures`` (for each image: its file name, displayed width, number of texts, the smallest text's size
    in CSS px and that text), ``unmeasured`` (each image that could not be measured, with why) and ``overlaps`` (each
    pair of texts of one figure drawn over each other)."""
    return page.evaluate(FIGURE_TEXT_JS)


# Run in a page: how each table in the text column is drawn, from the computed styles of the table, its cells and
# its body rows: the widths of its outer border, the smallest padding left or right of any cell, the alignments of
# its header and body cells, the background of its odd and even body rows, its font size and the rule under the
# header. The same style for every table shows as the same values (tests/test_site_browser.py).
TABLES_JS = r"""
() => {
  const column = document.querySelector("article.bd-article");
  if (!column) return [];
  return [...column.querySelectorAll("table")].map(t => {
    const s = getComputedStyle(t);
    const cells = [...t.querySelectorAll("th, td")].map(c => [c, getComputedStyle(c)]);
    const rows = [...t.querySelectorAll("tbody > tr")].map(r => getComputedStyle(r).backgroundColor);
    const head = t.querySelector("thead th");
    return {
      text: (t.innerText || "").trim().replace(/\s+/g, " ").slice(0, 50),
      box: [s.borderTopWidth, s.borderRightWidth, s.borderBottomWidth, s.borderLeftWidth].map(parseFloat),
      padding: Math.min(...cells.map(([, c]) => Math.min(parseFloat(c.paddingLeft), parseFloat(c.paddingRight)))),
      header_align: [...new Set(cells.filter(([c]) => c.tagName === "TH").map(([, c]) => c.textAlign))],
      body_align: [...new Set(cells.filter(([c]) => c.tagName === "TD").map(([, c]) => c.textAlign))],
      odd: [...new Set(rows.filter((_, i) => i % 2 === 0))],
      even: [...new Set(rows.filter((_, i) => i % 2 === 1))],
      font: s.fontSize,
      header_rule: head ? `${getComputedStyle(head).borderBottomWidth} ${getComputedStyle(head).borderBottomStyle}` : null,
    };
  });
}
"""


def table_styles(page):
    """How each table in the text column of the loaded ``page`` is drawn (see TABLES_JS): one dict per table."""
    return page.evaluate(TABLES_JS)


# Run in a page: for each table in the text column, its width and the room the column has for it (``tables``), and
# each piece of inline code in a table that a line break splits inside a word (``broken``): the code's characters,
# by the line each is drawn on, may change line only after a hyphen, an underscore or a space.
TABLE_FIT_JS = r"""
() => {
  const column = document.querySelector("article.bd-article");
  const inner = column.clientWidth - parseFloat(getComputedStyle(column).paddingLeft) - parseFloat(getComputedStyle(column).paddingRight);
  const tables = [], broken = [];
  for (const t of column.querySelectorAll("table")) {
    tables.push({width: Math.round(t.getBoundingClientRect().width), room: Math.round(inner),
                 text: t.innerText.trim().slice(0, 40)});
    for (const code of t.querySelectorAll("code")) {
      const text = code.textContent;
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      const tops = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (let i = 0; i < n.length; i++) {
          const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
          const rect = r.getClientRects()[0];
          if (rect) tops.push([n.data[i], Math.round(rect.top)]);
        }
      }
      for (let i = 1; i < tops.length; i++) {
        if (tops[i][1] > tops[i - 1][1] && !/[-\s_]/.test(tops[i - 1][0]) && !/\s/.test(tops[i][0]))
          broken.push(`${text} breaks after ${tops.slice(0, i).map(x => x[0]).join("")}`);
      }
    }
  }
  return {tables, broken};
}
"""


def table_fit(page):
    """Whether the tables of the loaded ``page`` fit its text column and where their inline code breaks (see
    TABLE_FIT_JS): a dict with ``tables`` (width, room, text) and ``broken`` (each code split inside a word)."""
    return page.evaluate(TABLE_FIT_JS)
