"""Shared by the teaching tests: solution snippets, and the text of a build tree as a reader would search it."""

import html
import json
import re
from pathlib import Path

import nbformat

from hmbook import paths
from hmbook.teaching import editions

BOOK = paths.ROOT / "book"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sources():
    """(name, notebook) for every page of the book; markdown pages as one-cell notebooks."""
    out = []
    for path in sorted(BOOK.glob("*.ipynb")):
        out.append((path.name, nbformat.read(path, as_version=4)))
    for path in sorted(BOOK.glob("*.md")):
        out.append((path.name, nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(path.read_text())])))
    return out


def snippets() -> dict[str, list[str]]:
    """For each solution (keyed 'page #i'), its lines that occur nowhere in the book once solutions are stripped
    (so a line such as ``users = resp[...]`` that other, public cells also contain is not counted as a leak).

    Lines with inline markup are skipped (the site renders them differently); whitespace is collapsed.
    """
    found, pages = {}, sources()
    stripped = [editions.strip_solutions(nb, name) for name, nb in pages]  # the whole book, as students get it
    public = _flat(" ".join(nbformat.writes(nb) for nb in stripped))
    public_text = _flat(" ".join(c.source for nb in stripped for c in nb.cells))
    for name, nb in pages:
        code = {c.source for c in nb.cells if c.cell_type == "code"}
        for i, text in enumerate(editions.solution_texts(nb, name)):
            markup = r"^#" if text in code else r"[`*{}\[\]]|^#|^:"  # prose markup renders differently
            lines = [_flat(line) for line in text.splitlines()]
            keep = [l for l in lines if len(l) >= 20 and not re.search(markup, l)
                    and l not in public_text and l not in public]
            found[f"{name} #{i + 1}"] = keep
    return found


def corpus(root: Path) -> str:
    """Every text file under ``root``: HTML without tags and entities, notebooks and JSON as their strings."""
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # images, fonts, the cache database: no text a reader could open
        if path.suffix in (".html", ".htm"):
            text = html.unescape(re.sub(r"<[^>]+>", "", text))
        elif path.suffix in (".ipynb", ".json"):
            try:
                text = " ".join(_strings(json.loads(text)))
            except ValueError:
                pass
        parts.append(_flat(text))
    return "\n".join(parts)


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)
