"""Autograded hand-outs with otter-grader: the book's exercises as otter master notebooks, and ``otter assign``.

The chapters stay the single source. Each exercise is a gated sphinx-exercise block followed by its solution::

    ```{exercise-start} A title
    :label: ex-table1-age
    ```
    *Starter · code · 2 points*           <- the exercise's label line: difficulty, kind, points
    The question ...
    ```{exercise-end}
    ```
    ```{solution-start} ex-table1-age
    :class: dropdown
    ```
    <code cells: the solution>
    <code cells tagged remove-cell: otter tests, each opening with a TEST CONFIG (points, hidden)>
    <markdown: the model answer or explanation>
    ```{solution-end}
    ```

Kinds: ``code`` and ``multiple choice`` are graded by their tests (exception-based otter tests: a function whose
parameters name what it checks, called once so the book's own build runs it against the solution); ``written
answer`` has no tests and is graded by hand with the rubric in the instructor guide. Difficulty is ``Starter``,
``Core`` or ``Stretch``.

:func:`parse` reads a chapter into cells and :class:`Exercise` objects; :func:`master_notebook` writes the otter
master notebook (the chapter made readable in JupyterLab by :mod:`hmbook.teaching.lab`, each exercise a question
whose answer cell is a ``...`` scaffold for the names the tests check); :func:`write_assignments` runs ``otter
assign`` on every chapter and writes ``dist/student`` (hand-outs: no solutions, public tests only, in the notebook's
metadata), ``dist/instructor`` (the same with solutions) and ``dist/autograder`` (one zip per chapter for ``otter
run``). Nothing is written until every chapter has converted, and no changed file is replaced without ``force``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import io as _bytes_io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from hmbook import io
from hmbook.errors import DataError
from hmbook.teaching import lab
from hmbook.teaching.editions import _LABEL, _OPEN, ExerciseFormatError, _pieces, notebook_bytes, read_notebook

__all__ = ["DIFFICULTIES", "KINDS", "Exercise", "parse", "exercises", "master_notebook", "assign",
           "write_assignments", "build", "run_otter", "scores", "find_submissions", "check_results_folder", "grade"]

DIFFICULTIES = ("Starter", "Core", "Stretch")
KINDS = ("code", "multiple choice", "written answer")
_LABEL_LINE = re.compile(rf"^\*(?P<difficulty>{'|'.join(DIFFICULTIES)}) · (?P<kind>{'|'.join(KINDS)}) · "
                         r"(?P<points>\d+) points?\*[ \t]*$", re.M)
_TEST_CONFIG = re.compile(r'^""" # BEGIN TEST CONFIG\n(?P<yaml>.*?)\n""" # END TEST CONFIG\n', re.S)
_TEST_TAG = "remove-cell"


@dataclass
class Exercise:
    """One exercise of a chapter, with its solution and tests as written in the book."""

    label: str
    title: str
    body: str
    difficulty: str
    kind: str
    points: int
    solution: list = field(default_factory=list)  # code cells
    tests: list = field(default_factory=list)  # code cells (otter exception-based tests)
    answer: str = ""  # the markdown model answer or explanation
    where: str = ""

    @property
    def graded_by_tests(self) -> bool:
        return self.kind != "written answer"

    def test_configs(self) -> list[dict]:
        import yaml  # a dependency of Jupyter Book and otter-grader

        return [yaml.safe_load(_TEST_CONFIG.match(c.source)["yaml"]) or {} for c in self.tests]

    def checked_names(self) -> list[str]:
        """The names the tests take as parameters, in order of first use."""
        names = []
        for cell in self.tests:
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.FunctionDef):
                    names.extend(a.arg for a in node.args.args if a.arg not in names)
        return names


def parse(nb, where: str = "notebook") -> list:
    """The chapter as a list of items: notebook cells outside exercises, and an :class:`Exercise` for each one.

    Raises :class:`ExerciseFormatError` (one line) when the convention in the module docstring is broken.
    """
    items, state, ex = [], "out", None
    for index, cell in enumerate(nb.cells):
        here = f"{where} cell {index}"
        if cell.cell_type != "markdown":
            if state == "solution":
                tags = cell.metadata.get("tags", [])
                if _TEST_CONFIG.match(cell.source):
                    if _TEST_TAG not in tags:
                        raise ExerciseFormatError(f"{here}: a test cell must be tagged {_TEST_TAG} (the site hides it)")
                    ex.tests.append(cell)
                elif cell.source.strip():
                    ex.solution.append(cell)
            elif state == "out":
                items.append(cell)
            else:
                raise ExerciseFormatError(f"{here}: a code cell inside exercise {ex.label} (put code in its solution)")
            continue
        kept = []
        for piece in _pieces(cell.source, here):
            name, text = piece.directive, piece.text
            if name == "exercise-start":
                if state != "out":
                    raise ExerciseFormatError(f"{here}: exercise-start before the previous exercise's solution ends")
                label = _LABEL.search(text)
                if not label:
                    raise ExerciseFormatError(f"{here}: exercise-start without a :label:")
                title = _OPEN.match(text.splitlines()[0].strip())["arg"]
                ex = Exercise(label[1], title.strip(), "", "", "", 0, where=here)
                state = "body"
            elif name == "exercise-end":
                if state != "body":
                    raise ExerciseFormatError(f"{here}: exercise-end without an exercise-start")
                state = "after"
            elif name == "solution-start":
                target = (_OPEN.match(text.splitlines()[0].strip())["arg"].split() or [""])[0]
                if state != "after" or target != ex.label:
                    raise ExerciseFormatError(f"{here}: solution-start {target} does not follow its exercise")
                state = "solution"
            elif name == "solution-end":
                if state != "solution":
                    raise ExerciseFormatError(f"{here}: solution-end without a solution-start")
                _finish(ex)
                items.append(ex)
                state, ex = "out", None
            elif state == "body":
                ex.body += text
            elif state == "solution":
                ex.answer += text
            elif state == "after" and text.strip():
                raise ExerciseFormatError(f"{here}: exercise {ex.label} has no solution after it")
            elif state == "out":
                kept.append(text)
        if "".join(kept).strip():
            new = copy.deepcopy(cell)
            new.source = "".join(kept).strip("\n")
            items.append(new)
    if state != "out":
        raise ExerciseFormatError(f"{where}: exercise {ex.label} is not closed by its solution")
    return items


def _finish(ex: Exercise) -> None:
    """Read the label line and check the exercise against its kind."""
    m = _LABEL_LINE.search(ex.body)
    if not m:
        raise ExerciseFormatError(f"{ex.where}: exercise {ex.label} has no label line such as "
                                  "'*Core · code · 2 points*'")
    ex.difficulty, ex.kind, ex.points = m["difficulty"], m["kind"], int(m["points"])
    if not ex.graded_by_tests:
        if ex.tests or ex.solution:
            raise ExerciseFormatError(f"{ex.where}: written answer {ex.label} has code in its solution")
        if not ex.answer.strip():
            raise ExerciseFormatError(f"{ex.where}: written answer {ex.label} has no model answer")
        return
    if not ex.solution or not ex.tests:
        raise ExerciseFormatError(f"{ex.where}: {ex.kind} exercise {ex.label} needs solution code and tests")
    points = [c.get("points") for c in ex.test_configs()]
    if any(not isinstance(p, (int, float)) for p in points):
        raise ExerciseFormatError(f"{ex.where}: every test of {ex.label} needs points in its TEST CONFIG")
    if sum(points) != ex.points:
        raise ExerciseFormatError(f"{ex.where}: the tests of {ex.label} are worth {sum(points):g} points, its "
                                  f"label line says {ex.points}")
    if not any(not c.get("hidden", False) for c in ex.test_configs()):
        raise ExerciseFormatError(f"{ex.where}: {ex.label} needs at least one public test (students run it)")
    assigned = _assigned(ex)
    missing = [n for n in ex.checked_names() if n not in assigned]
    if not any(n in assigned for n in ex.checked_names()):
        raise ExerciseFormatError(f"{ex.where}: the tests of {ex.label} check none of the names its solution "
                                  f"assigns ({', '.join(missing)})")


def _assigned(ex: Exercise) -> dict[str, ast.AST]:
    names = {}
    for cell in ex.solution:
        for node in ast.parse(cell.source).body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for t in targets:
                for name in ast.walk(t) if isinstance(t, (ast.Name, ast.Tuple, ast.List)) else ():
                    if isinstance(name, ast.Name):  # `a = ...` and `a, b = ...`
                        names.setdefault(name.id, node)
            if isinstance(node, ast.FunctionDef):
                names.setdefault(node.name, node)
    return names


def exercises(nb, where: str = "notebook") -> list[Exercise]:
    """Only the exercises of a chapter, in order."""
    return [item for item in parse(nb, where) if isinstance(item, Exercise)]


def _scaffold(ex: Exercise) -> str:
    """The student's starting cell: the solution's imports, and ``name = ...`` for every name the tests check."""
    assigned = _assigned(ex)
    lines = []
    for cell in ex.solution:
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                text = ast.get_source_segment(cell.source, node)
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

    def readable(text):
        return lab.readable_markdown(text, store, numbers, titles, where)

    meta = {"name": ex.label, "points": ex.points}
    if not ex.graded_by_tests:
        meta["manual"] = True
    title = f": {ex.title}" if ex.title else ""
    body, attachments = readable(ex.body)
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
        cells.append(md(readable(ex.answer)[0].strip()))
        cells.append(raw("# END SOLUTION"))
    cells.append(raw("# END QUESTION"))
    return cells


def master_notebook(nb, name: str, *, chapter: int | None = None, titles: dict | None = None):
    """The otter master notebook of one chapter (see the module docstring)."""
    where = f"{name}.ipynb"
    store = lab.glue_store(nb)
    numbers = lab.figure_numbers(nb, chapter)
    config = {"name": name, "init_cell": True, "check_all_cell": False, "export_cell": False,
              # The book's build already runs every test against its solution; `otter assign` need not again.
              "run_tests": False, "tests": {"files": False, "ok_format": False}, "generate": {"pdf": False}}
    import yaml

    cells = [nbformat.v4.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False).strip())]
    count = 0
    for item in parse(nb, where):
        if isinstance(item, Exercise):
            count += 1
            number = f"{chapter}.{count}" if chapter is not None else str(count)
            cells.extend(_question(item, number, store, numbers, titles or {}, where))
        elif item.cell_type == "markdown":
            text, attachments = lab.readable_markdown(item.source, store, numbers, titles, where)
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
                lab.fold_hidden(cell)
            cells.append(cell)
    out = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(nb.metadata))
    out.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return out


def _with_instructor_notes(nb, source, name: str, chapter: int | None, titles: dict):
    """The solutions notebook with each code exercise's explanation after its answer (otter keeps no such cell)."""
    store, numbers = lab.glue_store(source), lab.figure_numbers(source, chapter)
    notes = {ex.label: ex.answer for ex in exercises(source, name) if ex.graded_by_tests and ex.answer.strip()}
    cells = []
    for cell in nb.cells:
        m = re.match(r'^grader\.check\("([^"]+)"\)', cell.source) if cell.cell_type == "code" else None
        if m and m[1] in notes:
            text, attachments = lab.readable_markdown(notes[m[1]], store, numbers, titles, name)
            note = nbformat.v4.new_markdown_cell(f"**Explanation** (instructor copy). {text.strip()}")
            note.metadata["tags"] = ["instructor-note"]
            if attachments:
                note.attachments = attachments
            cells.append(note)
        cells.append(cell)
    nb.cells = cells
    return nb


def _normalise(nb, note: str):
    """Otter's output made stable and readable: the content note first, cell ids from content, no stray ids."""
    nb = lab.with_content_note(nb, note)
    seen = set()
    for index, cell in enumerate(nb.cells):
        digest = hashlib.sha1(f"{index}\0{cell.cell_type}\0{cell.source}".encode()).hexdigest()[:12]
        cell.id = cell.id if cell.id == lab.CONTENT_NOTE_TAG else digest
        while cell.id in seen:
            cell.id = hashlib.sha1(cell.id.encode()).hexdigest()[:12]
        seen.add(cell.id)
    return nb


def _stable_zip(data: bytes) -> bytes:
    """The autograder zip with fixed timestamps and sorted members, so that the same source gives the same bytes."""
    out = _bytes_io.BytesIO()
    with zipfile.ZipFile(_bytes_io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name == "run_autograder" else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def _quietly(function, *args, **kwargs) -> str:
    """Call one of otter's entry points with its printing (logo, progress, summary) captured; return what it printed.

    An exception is re-raised as one line naming what failed and otter's last words.
    """
    import contextlib

    printed = _bytes_io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            function(*args, **kwargs)
        return printed.getvalue()
    except Exception as err:  # otter raises plain exceptions; the command line wants one line
        last = [line for line in printed.getvalue().splitlines() if line.strip()]
        detail = str(err).strip().splitlines()[-1] if str(err).strip() else (last[-1] if last else type(err).__name__)
        raise DataError(f"otter {function.__module__.split('.')[1]} failed: {detail}") from None


def assign(master_path: Path, out: Path) -> None:
    """Run otter assign (its Python API, in this process) on one master notebook, writing into ``out``."""
    from otter.assign import main as otter_assign  # imported here: otter takes seconds to import

    _quietly(otter_assign, str(master_path), str(out), no_pdfs=True, no_run_tests=True)


def build(book: Path, names: list[str] | None = None) -> dict[Path, bytes]:
    """Every file of the hand-outs, relative path -> bytes, made in a temporary folder (nothing in ``dist``)."""
    read = lab.read_book(book)
    unknown = sorted(set(names or ()) - set(read.notebooks))
    if unknown:
        raise DataError(f"{book}: no chapter notebook {unknown[0]}.ipynb")
    sources = {name: nb for name, nb in read.notebooks.items() if names is None or name in names}
    numbers, titles, note = read.numbers, read.titles, read.note
    masters = {name: master_notebook(nb, name, chapter=numbers.get(name), titles=titles)
               for name, nb in sources.items()}  # every chapter converts before otter runs on any
    files = {}
    with tempfile.TemporaryDirectory(prefix="hmbook-assign-") as tmp:
        for name, master in masters.items():
            (Path(tmp) / name).mkdir()
            nbformat.write(master, Path(tmp) / name / f"{name}.ipynb")
        for name in masters:  # one at a time: otter assign changes the working directory while it runs
            assign(Path(tmp) / name / f"{name}.ipynb", Path(tmp) / name / "dist")
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
            files[Path("autograder") / f"{name}.zip"] = _stable_zip(zip_path.read_bytes())
    return files


def _same_zip(path: Path, data: bytes) -> bool:
    try:
        with zipfile.ZipFile(path) as old, zipfile.ZipFile(_bytes_io.BytesIO(data)) as new:
            return sorted(old.namelist()) == sorted(new.namelist()) and all(
                old.read(n) == new.read(n) for n in new.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def write_assignments(book: Path, out: Path, *, force: bool = False, names: list[str] | None = None) -> list[Path]:
    """Make the hand-outs of every chapter under ``out`` (student, instructor, autograder); return the paths.

    All of it is built first in a temporary folder. Then, unless ``force``, any existing file under ``out`` that
    differs from what would be written (a hand-out a student or instructor has changed) stops the command before
    anything is written. A file that would not change is left alone.
    """
    out = Path(out)
    files = build(book, names)
    same = [rel for rel, data in files.items() if _unchanged(out / rel, data)]
    written = io.write_outputs(out, {rel: data for rel, data in files.items() if rel not in same}, force=force)
    return [out / rel for rel in same] + written


def _unchanged(path: Path, data: bytes) -> bool:
    """Whether ``path`` already holds ``data`` (a zip: the same members), so that it is left alone."""
    if not path.is_file():
        return False
    return path.read_bytes() == data or (path.suffix == ".zip" and _same_zip(path, data))


def run_otter(autograder: Path, submission: Path, out: Path) -> dict:
    """Grade one submission as ``otter run`` does (no Docker: in this environment); return its ``results.json``.

    ``out`` gets otter's ``results.json`` and ``otter.log``, what otter printed (its score summary). A notebook
    whose cells raise is graded as otter grades it (the failing questions score nothing); a file otter cannot
    grade at all is a :class:`DataError`.
    """
    from otter.run import main as otter_run  # imported here: otter takes seconds to import

    out.mkdir(parents=True, exist_ok=True)
    printed = _quietly(otter_run, str(Path(submission).resolve()), autograder=str(Path(autograder).resolve()),
                       output_dir=str(out), no_logo=True)
    io.write_atomic(out / "otter.log", printed.encode("utf-8"))
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


#: Seconds one submission may take to grade before it is stopped (``hmbook grade --timeout``). A chapter's notebook
#: runs in under a minute; a submission that takes ten has a cell that does not end.
GRADE_TIMEOUT = 600.0


def run_otter_within(autograder: Path, submission: Path, out: Path, timeout: float) -> dict | None:
    """:func:`run_otter` in a child process, stopped after ``timeout`` seconds: its results, or None if stopped.

    otter 7 runs a notebook locally with no time limit (only its Docker grading has one), so a submission with a
    cell that never ends would hold the whole batch. The child is forked (multiprocessing, so that otter, already
    imported, is not imported again); when it is killed, its kernel ends by itself within a second (ipykernel
    watches the process that started it, through ``JPY_PARENT_PID``). A :class:`DataError` in the child is raised
    here.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        # The kernel inherits these: its own log lines (a warning about TCP, the note that it stops when this
        # process is killed) would otherwise land on the instructor's terminal. otter's printing is captured by
        # run_otter, and what the submission prints stays in its notebook.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            send.send(("results", run_otter(autograder, submission, out)))
        except DataError as err:
            send.send(("error", str(err)))

    proc = context.Process(target=child, daemon=True)
    proc.start()
    send.close()
    try:
        message = receive.recv() if receive.poll(timeout) else ("stopped", None)
    except EOFError:  # the child ended without a word (killed from outside, or otter ended the process)
        message = ("ended", None)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receive.close()
    kind, value = message
    if kind == "ended":
        raise DataError(f"{submission}: grading ended unexpectedly (exit status {proc.exitcode})")
    if kind == "error":
        raise DataError(value)
    return value  # None when stopped


def scores(results: dict) -> dict[str, float]:
    """Question -> score from an otter ``results.json`` (the summary of public tests has no score and is left out)."""
    return {t["name"]: float(t["score"]) for t in results["tests"] if t.get("score") is not None}


def find_submissions(given: Iterable[str | Path]) -> list[Path]:
    """The notebooks to grade: each file as given, and every ``.ipynb`` under each folder (sorted, checkpoints left
    out). A name that does not exist raises :class:`DataError` before anything is graded."""
    found: list[Path] = []
    for path in map(Path, given):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.exists():
            found.append(path)
        else:
            raise DataError(f"{path}: no such file or folder")
    return found


def check_results_folder(results: Path) -> None:
    """Refuse a ``--results`` folder that holds anything already (or is not a folder): otter's results for these
    submissions go there, and no earlier results are overwritten."""
    if results.exists() and (not results.is_dir() or any(results.iterdir())):
        raise DataError(f"{results}: exists and is not an empty folder")


def grade(autograder: Path, submissions: list[Path], workdir: Path, timeout: float = GRADE_TIMEOUT):
    """Grade every submission with :func:`run_otter_within`; one row each: submission, each question's score,
    total, possible and note.

    Rows are named by the submission's path without ``.ipynb`` (``alice/table1_demographics`` for a folder per
    student), relative to the submissions' common folder. ``workdir`` keeps each run's ``results.json``. Every
    submission and the autograder are checked before otter sees any of them (one-line :class:`DataError`).
    """
    import pandas as pd

    submissions, autograder = [Path(s) for s in submissions], Path(autograder)
    if not submissions:
        raise DataError("no submissions to grade")
    for s in submissions:
        if not s.is_file() or s.suffix != ".ipynb":
            raise DataError(f"{s}: not a notebook (.ipynb) file")
        read_notebook(s)
    if not autograder.is_file() or autograder.suffix != ".zip" or not zipfile.is_zipfile(autograder):
        raise DataError(f"{autograder}: not an autograder zip (make assignments writes dist/autograder/NAME.zip)")
    common = Path(os.path.commonpath([s.resolve().parent for s in submissions]))
    names = [s.resolve().relative_to(common).with_suffix("").as_posix() for s in submissions]
    results = [run_otter_within(autograder, s, Path(workdir) / name, timeout) for s, name in zip(submissions, names)]
    # One assignment: its questions and points, from any submission that was graded (a stopped one has none).
    graded = next((res for res in results if res is not None), None)
    questions = list(scores(graded)) if graded else []
    possible = sum(float(t["max_score"]) for t in graded["tests"] if t.get("score") is not None) if graded else None
    rows = []
    for name, res in zip(names, results):
        got = scores(res) if res is not None else dict.fromkeys(questions)  # stopped: no score, graded by hand
        note = "" if res is not None else f"stopped after {timeout:g} s: a cell did not end"
        total = float(sum(v or 0.0 for v in got.values()))
        rows.append({"submission": name, **got, "total": total, "possible": possible, "note": note})
    return pd.DataFrame(rows)
