"""Autograded hand-outs with otter-grader: the book's exercises as otter master notebooks, and ``otter assign``.

:func:`~hmbook.course.exercise_format.parse` reads a chapter into cells and exercises; :func:`master_notebook`
writes the otter master notebook (the chapter made readable in JupyterLab by :mod:`hmbook.course.readable`, each
exercise a question whose answer cell is a ``...`` scaffold for the names the tests check); :func:`write_assignments`
runs ``otter
assign`` on every chapter and writes ``dist/student`` (hand-outs: no solutions, public tests only, in the notebook's
metadata), ``dist/instructor`` (the same with solutions) and ``dist/autograder`` (one zip per chapter for ``otter
run``). Nothing is written until every chapter has converted, and no changed file is replaced without ``force``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
import tempfile
from pathlib import Path

import nbformat
import yaml
from nbformat import NotebookNode

from hmbook.course import otter_api, readable, zips
from hmbook.course.chapters import read_book
from hmbook.course.content_notes import CONTENT_NOTE_TAG, with_content_note
from hmbook.course.exercise_format import Exercise, assigned_names, exercises, parse, solution_python
from hmbook.course.notebooks import notebook_bytes
from hmbook.errors import DataError
from hmbook.files import safe_write

__all__ = ['master_notebook', 'build', 'write_assignments']


def _scaffold(ex: Exercise) -> str:
    """The student's starting cell: the solution's imports, and ``name = ...`` for every name the tests check."""
    assigned = assigned_names(ex)
    lines: list[str] = []
    for cell in ex.solution:
        for statement in solution_python(ex, cell.source).body:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                text = ast.get_source_segment(cell.source, statement)
                assert text is not None  # a node parsed from the source has its position in it
                if text not in lines:
                    lines.append(text)
    if lines:
        lines.append("")
    checked = ex.checked_names()
    for name, node in assigned.items():  # in the order the solution makes them
        if name not in checked:
            continue
        if isinstance(node, ast.FunctionDef):
            lines.append(f"def {name}({ast.unparse(node.args)}):\n    ...")
        else:
            lines.append(f"{name} = ...")
    return "\n".join(lines)


def _question(ex: Exercise, number: str, store: dict, numbers: dict, titles: dict, where: str) -> list:
    raw, md, code = nbformat.v4.new_raw_cell, nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell

    def plain(text):
        return readable.readable_markdown(text, store, numbers, titles, where)

    meta = {"name": ex.label, "points": ex.points}
    if not ex.graded_by_tests:
        meta["manual"] = True
    title = f": {ex.title}" if ex.title else ""
    body, attachments = plain(ex.body)
    prompt = md(f"### Exercise {number}{title}\n\n{body.strip()}")
    if attachments:
        prompt.attachments = attachments
    cells = [raw("# BEGIN QUESTION\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()).rstrip()),
             prompt, raw("# BEGIN SOLUTION")]
    if ex.graded_by_tests:
        solution = "\n\n".join(c.source.strip() for c in ex.solution)
        cells.append(code(f'""" # BEGIN PROMPT\n{_scaffold(ex)}\n""" # END PROMPT\n'
                          f"# BEGIN SOLUTION NO PROMPT\n{solution}\n# END SOLUTION"))
        cells.append(raw("# END SOLUTION"))
        cells.append(raw("# BEGIN TESTS"))
        cells.extend(code(c.source) for c in ex.tests)
        cells.append(raw("# END TESTS"))
    else:
        cells.append(md(plain(ex.answer)[0].strip()))
        cells.append(raw("# END SOLUTION"))
    cells.append(raw("# END QUESTION"))
    return cells


def master_notebook(nb: NotebookNode, name: str, *, chapter: int | None = None,
                    titles: dict | None = None) -> NotebookNode:
    """The otter master notebook of one chapter (see the module docstring)."""
    where = f"{name}.ipynb"
    store = readable.glue_store(nb)
    numbers = readable.figure_numbers(nb, chapter)
    config = {"name": name, "init_cell": True, "check_all_cell": False, "export_cell": False,
              # The book's build already runs every test against its solution; `otter assign` need not again.
              "run_tests": False, "tests": {"files": False, "ok_format": False}, "generate": {"pdf": False}}
    cells = [nbformat.v4.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False).strip())]
    count = 0
    for item in parse(nb, where):
        if isinstance(item, Exercise):
            count += 1
            number = f"{chapter}.{count}" if chapter is not None else str(count)
            cells.extend(_question(item, number, store, numbers, titles or {}, where))
        elif item.cell_type == "markdown":
            text, attachments = readable.readable_markdown(item.source, store, numbers, titles, where)
            if text.strip():
                cell = copy.deepcopy(item)
                cell.source = text.strip("\n")
                if attachments:
                    cell.attachments = attachments
                cells.append(cell)
        else:
            cell = copy.deepcopy(item)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
                readable.fold_hidden(cell)
            cells.append(cell)
    out = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(nb.metadata))
    out.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return out


def _with_instructor_notes(nb: NotebookNode, source: NotebookNode, name: str, chapter: int | None,
                           titles: dict) -> NotebookNode:
    """The solutions notebook with each code exercise's explanation after its answer (otter keeps no such cell)."""
    store, numbers = readable.glue_store(source), readable.figure_numbers(source, chapter)
    notes = {ex.label: ex.answer for ex in exercises(source, name) if ex.graded_by_tests and ex.answer.strip()}
    cells: list[NotebookNode] = []
    for cell in nb.cells:
        m = re.match(r'^grader\.check\("([^"]+)"\)', cell.source) if cell.cell_type == "code" else None
        if m and m[1] in notes:
            text, attachments = readable.readable_markdown(notes[m[1]], store, numbers, titles, name)
            note = nbformat.v4.new_markdown_cell(f"**Explanation** (instructor copy). {text.strip()}")
            note.metadata["tags"] = ["instructor-note"]
            if attachments:
                note.attachments = attachments
            cells.append(note)
        cells.append(cell)
    nb.cells = cells
    return nb


def _normalise(nb: NotebookNode, note: str) -> NotebookNode:
    """Otter's output made stable and readable: the content note first, cell ids from content, no stray ids."""
    nb = with_content_note(nb, note)
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        digest = hashlib.sha1(f"{index}\0{cell.cell_type}\0{cell.source}".encode()).hexdigest()[:12]
        cell.id = cell.id if cell.id == CONTENT_NOTE_TAG else digest
        while cell.id in seen:
            cell.id = hashlib.sha1(cell.id.encode()).hexdigest()[:12]
        seen.add(cell.id)
    return nb


def build(book: Path, names: list[str] | None = None) -> dict[Path, bytes]:
    """Every file of the hand-outs, relative path -> bytes, made in a temporary folder (nothing in ``dist``)."""
    read = read_book(book)
    unknown = sorted(set(names or ()) - set(read.notebooks))
    if unknown:
        raise DataError(f"{book}: no chapter notebook {unknown[0]}.ipynb")
    sources = {name: nb for name, nb in read.notebooks.items() if names is None or name in names}
    numbers, titles, note = read.numbers, read.titles, read.note
    masters = {name: master_notebook(nb, name, chapter=numbers.get(name), titles=titles)
               for name, nb in sources.items()}  # every chapter converts before otter runs on any
    files: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="hmbook-assign-") as tmp:
        for name, master in masters.items():
            (Path(tmp) / name).mkdir()
            nbformat.write(master, Path(tmp) / name / f"{name}.ipynb")
        for name in masters:  # one at a time: otter assign changes the working directory while it runs
            otter_api.assign(Path(tmp) / name / f"{name}.ipynb", Path(tmp) / name / "dist")
        for name in masters:
            made = Path(tmp) / name / "dist"
            extra = [p for p in (made / "student").rglob("*") if p.is_file() and p.name != f"{name}.ipynb"]
            if extra:
                raise DataError(f"otter assign wrote unexpected student files for {name}: {extra[0].name}")
            student = nbformat.read(made / "student" / f"{name}.ipynb", as_version=4)
            solved = _with_instructor_notes(nbformat.read(made / "autograder" / f"{name}.ipynb", as_version=4),
                                            sources[name], name, numbers.get(name), titles)
            files[Path("student") / f"{name}.ipynb"] = notebook_bytes(_normalise(student, note))
            files[Path("instructor") / f"{name}.ipynb"] = notebook_bytes(_normalise(solved, note))
            (zip_path,) = (made / "autograder").glob(f"{name}-autograder_*.zip")
            files[Path("autograder") / f"{name}.zip"] = zips.stable_zip(zip_path.read_bytes())
    return files


def write_assignments(book: Path, out: Path, *, force: bool = False, names: list[str] | None = None) -> list[Path]:
    """Make the hand-outs of every chapter under ``out`` (student, instructor, autograder); return the paths.

    All of it is built first in a temporary folder. Then, unless ``force``, any existing file under ``out`` that
    differs from what would be written (a hand-out a student or instructor has changed) stops the command before
    anything is written. A file that would not change is left alone.
    """
    out = Path(out)
    files = build(book, names)
    same = [rel for rel, data in files.items() if _unchanged(out / rel, data)]
    written = safe_write.write_outputs(out, {rel: data for rel, data in files.items() if rel not in same}, force=force)
    return [out / rel for rel in same] + written


def _unchanged(path: Path, data: bytes) -> bool:
    """Whether ``path`` already holds ``data`` (a zip: the same members), so that it is left alone."""
    if not path.is_file():
        return False
    return path.read_bytes() == data or (path.suffix == ".zip" and zips.same_zip(path, data))
