"""The student edition of the book: its sources with every solution removed, made from the one source.

The book's exercises follow one convention (sphinx-exercise): in a notebook, gated directives, each alone in a
markdown cell, with the solution's cells between ``solution-start`` and ``solution-end``; in a MyST page, either
the gated form or a single ``{solution}`` block. The functions here take and return notebook objects (nbformat) or
page text; only :func:`write_student_sources` touches files, and only when called. (The hand-outs to grade are made
by :mod:`hmbook.course.assign` with otter-grader.)

- :func:`strip_solutions`: solutions removed, nothing added (the student edition of the site).
- :func:`solution_texts`: the text of every solution, to test that a student copy does not leak it.

>>> import nbformat
>>> md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
>>> nb = nbformat.v4.new_notebook(cells=[
...     md("```{exercise-start}\\n:label: ex-demo\\n```"), md("Add one and one."), md("```{exercise-end}\\n```"),
...     md("```{solution-start} ex-demo\\n:class: dropdown\\n```"), code("1 + 1"), md("```{solution-end}\\n```")])
>>> [c.cell_type for c in strip_solutions(nb).cells]
['markdown', 'markdown', 'markdown']
>>> solution_texts(nb)
['1 + 1']
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import nbformat
import yaml
from nbformat import NotebookNode

from hmbook.course import toc
from hmbook.course.myst import LABEL, ExerciseFormatError, pieces
from hmbook.course.notebooks import MAX_BYTES, notebook_bytes, read_notebook
from hmbook.errors import DataError
from hmbook.files import reading, safe_write

__all__ = ['strip_solutions', 'strip_page', 'solution_texts', 'exercise_labels', 'write_student_sources']


_STUDENT_MARKER = ".hmbook-student-sources"  # marks a tree write_student_sources made (and so may replace)


def _walk(nb: NotebookNode, where: str) -> Iterator[tuple[NotebookNode, str | None, bool, list[str]]]:
    """Yield (cell, its markdown text outside solutions or None, inside a solution after it?, solution texts)."""
    inside = False
    for index, cell in enumerate(nb.cells):
        here = f"{where} cell {index}"
        if cell.cell_type != "markdown":
            yield cell, None, inside, []
            continue
        kept: list[str] = []
        solution: list[str] = []
        for piece in pieces(cell.source, here):
            if piece.directive == "solution-start":
                if inside:
                    raise ExerciseFormatError(f"{here}: solution-start inside an open solution")
                inside = True
            elif piece.directive == "solution-end":
                if not inside:
                    raise ExerciseFormatError(f"{here}: solution-end without a solution-start")
                inside = False
            elif piece.directive == "solution":  # the non-gated form: one self-contained block
                solution.append(piece.text)
            elif inside:
                solution.append(piece.text)
            else:
                kept.append(piece.text)
        yield cell, "".join(kept), inside, ["".join(solution)] if solution else []
    if inside:
        raise ExerciseFormatError(f"{where}: a solution-start is never closed by solution-end")


def strip_solutions(nb: NotebookNode, where: str | None = None) -> NotebookNode:
    """A copy of ``nb`` with every solution (its directives, cells and text) removed; nothing else changes."""
    where = where or "notebook"
    out = copy.deepcopy(nb)
    cells: list[NotebookNode] = []
    for cell, text, inside, _ in _walk(nb, where):
        if text is None:  # a cell that is not markdown
            if not inside:
                cells.append(copy.deepcopy(cell))
        elif text.strip():
            new = copy.deepcopy(cell)
            new.source = text.strip("\n")
            cells.append(new)
    out.cells = cells
    return out


def solution_texts(nb: NotebookNode, where: str | None = None) -> list[str]:
    """The source of every solution cell (code and markdown) and solution block, in order."""
    where = where or "notebook"
    texts: list[str] = []
    for cell, _, inside, solution in _walk(nb, where):
        if cell.cell_type != "markdown" and inside and cell.source.strip():
            texts.append(cell.source)
        texts.extend(s for s in solution if s.strip())
    return texts


def exercise_labels(nb: NotebookNode) -> list[str]:
    """The labels of the notebook's exercises, in order."""
    labels: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for piece in pieces(cell.source, "notebook"):
                if piece.directive in ("exercise-start", "exercise"):
                    m = LABEL.search(piece.text)
                    labels.append(m.group(1) if m else f"exercise {len(labels) + 1}")
    return labels


def strip_page(text: str, where: str = "page") -> str:
    """A MyST markdown page with its solutions removed (both the gated and the single-block form).

    >>> strip_page("Intro\\n\\n```{solution} ex-a\\nSecret.\\n```\\n\\nMore.\\n")
    'Intro\\n\\n\\nMore.\\n'
    """
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    cells = strip_solutions(nb, where).cells
    return cells[0].source + "\n" if cells else ""


def _executed_copy(path: Path, copy: Path) -> NotebookNode:
    """The executed copy of the notebook ``path``, refused unless it holds exactly the same cells (sources)."""
    if not copy.is_file():
        raise DataError(f"{copy}: no executed copy of {path.name} (execute the book first: make book)")
    source, executed = read_notebook(path), read_notebook(copy)
    same = len(source.cells) == len(executed.cells) and all(
        (a.cell_type, a.source) == (b.cell_type, b.source) for a, b in zip(source.cells, executed.cells))
    if not same:
        raise DataError(f"{copy}: not an executed copy of the current {path.name} (its cells differ); execute again")
    return executed


def write_student_sources(root: Path, out: Path, *, drop: tuple[str, ...] = ("book/instructor_guide",),
                          executed: Path | None = None) -> Path:
    """Copy the book's sources under ``root`` to ``out`` with every solution removed: the student edition's tree.

    ``_config.yml`` gets a student title and sphinx-exercise's ``hide_solutions`` (a second line of defence);
    ``_toc.yml`` loses the pages in ``drop``. ``out`` is replaced as a whole, all at once, and only if this
    function made it (:func:`hmbook.files.safe_write.replace_tree`): a folder a person made is refused, never deleted.

    With ``executed`` (a folder of executed copies, ``executed/book/<name>.ipynb``, as ``tools/execute_book.py``
    writes them for the instructor build), each notebook is taken from its executed copy, which must have the
    source's cells, so the student pages show the instructor build's outputs of the cells they keep, and the
    student build does not execute again (``execute_notebooks: off``). Nothing of a solution cell is kept, its
    outputs included; the tests check that the kept outputs are those of a run without the solutions.
    """
    root, out = Path(root), Path(out)
    if executed is not None and not Path(executed).is_dir():
        raise DataError(f"{executed}: not a directory of executed notebooks")
    converted: dict[Path, bytes] = {}
    for path in sorted((root / "book").rglob("*")):
        if not path.is_file() or ".ipynb_checkpoints" in path.parts:
            continue
        rel = path.relative_to(root)
        if rel.with_suffix("").as_posix() in drop:
            continue
        if path.suffix == ".ipynb":
            nb = read_notebook(path) if executed is None else _executed_copy(path, Path(executed) / rel)
            converted[rel] = notebook_bytes(strip_solutions(nb, str(rel)))
        elif path.suffix == ".md":
            page = reading.read_text(path, kind="a page", max_bytes=MAX_BYTES)
            converted[rel] = strip_page(page, str(rel)).encode("utf-8")
        else:
            converted[rel] = path.read_bytes()
    # Files the configuration may point to outside book/ (bibliographies, static assets, templates), copied as is.
    extras = [*root.glob("*.bib"), *(p for d in ("_static", "_templates") if (root / d).is_dir()
                                    for p in (root / d).rglob("*") if p.is_file())]
    for path in extras:
        converted[path.relative_to(root)] = path.read_bytes()
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config.get('title', 'hmbook')} (student edition)"
    # Paths the configuration resolves against the book's root (local extensions, static files, templates) are
    # made absolute, so the copy uses the originals instead of needing copies of its own.
    sphinx = config.setdefault("sphinx", {})
    for name, rel in (sphinx.get("local_extensions") or {}).items():
        sphinx["local_extensions"][name] = str((root / rel).resolve())
    for key in ("html_static_path", "templates_path"):
        if key in sphinx.get("config", {}):
            sphinx["config"][key] = [str((root / rel).resolve()) for rel in sphinx["config"][key]]
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    if executed is not None:
        config.setdefault("execute", {})["execute_notebooks"] = "off"
    toc_text = yaml.safe_dump(toc.without(toc.load(root), drop), sort_keys=False, allow_unicode=True)
    converted[Path("_config.yml")] = yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode("utf-8")
    converted[Path("_toc.yml")] = toc_text.encode("utf-8")
    return safe_write.replace_tree(out, converted, marker=_STUDENT_MARKER)
