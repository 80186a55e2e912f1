"""Shared by the teaching tests: solution snippets, and the text of a build tree as a reader would search it."""

import functools
import html
import json
import re
from pathlib import Path

import nbformat

from hmbook.course import editions
from support.book import BOOK


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


@functools.cache  # the whole book, read and stripped once per test process
def snippets() -> dict[str, tuple[str, ...]]:
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
            keep = [line for line in lines if len(line) >= 20 and not re.search(markup, line)
                    and line not in public_text and line not in public]
            found[f"{name} #{i + 1}"] = tuple(keep)
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


# Output fields that differ between two runs of the same code without meaning anything (as nbval skips them):
# rendered images, widget model ids, metadata and execution counts.
_VOLATILE = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}


def _comparable(outputs) -> list:
    """A cell's outputs as nbval compares them: streams joined per name, volatile fields left out."""
    streams, out = {}, []
    for o in outputs:
        if o.output_type == "stream":
            if o.name in streams:
                streams[o.name][2] += o.text
            else:
                streams[o.name] = ["stream", o.name, o.text]
                out.append(streams[o.name])
        elif o.output_type == "error":
            out.append(["error", o.ename, o.evalue])
        else:
            out.append([o.output_type, {k: v for k, v in o.data.items() if k not in _VOLATILE}])
    return out


def output_differences(shown, run) -> list[str]:
    """Code cells of the notebook ``shown`` whose outputs differ from those the same cells gave in ``run``.

    ``run`` is another execution of the same public cells (with other cells around them, such as a hand-out's
    answer scaffolds); cells are matched by their source, in order. A shown cell that ``run`` lacks is a
    difference too.
    """
    ran = [c for c in run.cells if c.cell_type == "code"]
    problems, i = [], 0
    for index, cell in enumerate(shown.cells):
        if cell.cell_type != "code":
            continue
        while i < len(ran) and ran[i].source != cell.source:
            i += 1
        if i == len(ran):
            problems.append(f"cell {index} ({cell.source[:60]!r}) is not in the other run")
            break
        if _comparable(cell.outputs) != _comparable(ran[i].outputs):
            problems.append(f"cell {index} ({cell.source[:60]!r}): {_comparable(cell.outputs)!r:.300} != "
                            f"{_comparable(ran[i].outputs)!r:.300}")
        i += 1
    return problems
