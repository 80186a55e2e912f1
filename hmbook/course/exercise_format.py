"""The book's exercise format, parsed: a chapter read into its cells and :class:`Exercise` objects.

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

:func:`parse` reads a chapter into cells and :class:`Exercise` objects, checking the convention; :func:`exercises`
keeps only the exercises.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from hmbook.course.myst import LABEL, OPEN, ExerciseFormatError, pieces

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ['DIFFICULTIES', 'KINDS', 'Exercise', 'parse', 'exercises', 'assigned_names', 'solution_python']


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
    solution: list[NotebookNode] = field(default_factory=list)  # code cells
    tests: list[NotebookNode] = field(default_factory=list)  # code cells (otter exception-based tests)
    answer: str = ""  # the markdown model answer or explanation
    where: str = ""

    @property
    def graded_by_tests(self) -> bool:
        return self.kind != "written answer"

    def test_configs(self) -> list[dict]:
        configs: list[dict] = []
        for cell in self.tests:
            m = _TEST_CONFIG.match(cell.source)
            if m is None:
                raise ExerciseFormatError(f"{self.where}: a test of {self.label} does not open with a TEST CONFIG")
            try:
                config = yaml.safe_load(m["yaml"]) or {}
            except yaml.YAMLError as err:
                raise ExerciseFormatError(f"{self.where}: a TEST CONFIG of {self.label} is not YAML "
                                          f"({getattr(err, 'problem', None) or type(err).__name__})") from None
            if not isinstance(config, dict):
                raise ExerciseFormatError(f"{self.where}: a TEST CONFIG of {self.label} must be key: value lines, "
                                          f"not {type(config).__name__}")
            configs.append(config)
        return configs

    def checked_names(self) -> list[str]:
        """The names the tests take as parameters, in order of first use."""
        names: list[str] = []
        for cell in self.tests:
            try:
                body = ast.parse(cell.source).body
            except SyntaxError as err:
                raise ExerciseFormatError(f"{self.where}: a test of {self.label} is not valid Python (line "
                                          f"{err.lineno}: {err.msg})") from None
            for node in body:
                if isinstance(node, ast.FunctionDef):
                    names.extend(a.arg for a in node.args.args if a.arg not in names)
        return names


def _argument(text: str) -> str:
    """The argument of the directive block ``text`` opens (its first line is an opening fence)."""
    m = OPEN.match(text.splitlines()[0].strip())
    assert m is not None  # pieces() made the block from a line OPEN matched
    return m["arg"]


def parse(nb: NotebookNode, where: str = "notebook") -> list[NotebookNode | Exercise]:
    """The chapter as a list of items: notebook cells outside exercises, and an :class:`Exercise` for each one.

    Raises :class:`ExerciseFormatError` (one line) when the convention in the module docstring is broken.
    """
    items: list[NotebookNode | Exercise] = []
    state = "out"
    ex: Exercise | None = None  # the open exercise: None exactly when state is "out"
    for index, cell in enumerate(nb.cells):
        here = f"{where} cell {index}"
        if cell.cell_type != "markdown":
            if state == "out":
                items.append(cell)
                continue
            assert ex is not None
            if state == "solution":
                tags = cell.metadata.get("tags", [])
                if _TEST_CONFIG.match(cell.source):
                    if _TEST_TAG not in tags:
                        raise ExerciseFormatError(f"{here}: a test cell must be tagged {_TEST_TAG} (the site hides it)")
                    ex.tests.append(cell)
                elif cell.source.strip():
                    ex.solution.append(cell)
            else:
                raise ExerciseFormatError(f"{here}: a code cell inside exercise {ex.label} (put code in its solution)")
            continue
        kept = []
        for piece in pieces(cell.source, here):
            name, text = piece.directive, piece.text
            if name == "exercise-start":
                if state != "out":
                    raise ExerciseFormatError(f"{here}: exercise-start before the previous exercise's solution ends")
                label = LABEL.search(text)
                if not label:
                    raise ExerciseFormatError(f"{here}: exercise-start without a :label:")
                title = _argument(text)
                ex = Exercise(label[1], title.strip(), "", "", "", 0, where=here)
                state = "body"
            elif name == "exercise-end":
                if state != "body":
                    raise ExerciseFormatError(f"{here}: exercise-end without an exercise-start")
                state = "after"
            elif name == "solution-start":
                target = (_argument(text).split() or [""])[0]
                if state != "after" or ex is None or target != ex.label:
                    raise ExerciseFormatError(f"{here}: solution-start {target} does not follow its exercise")
                state = "solution"
            elif name == "solution-end":
                if state != "solution":
                    raise ExerciseFormatError(f"{here}: solution-end without a solution-start")
                assert ex is not None
                _finish(ex)
                items.append(ex)
                state, ex = "out", None
            elif state == "out":
                kept.append(text)
            else:
                assert ex is not None
                if state == "body":
                    ex.body += text
                elif state == "solution":
                    ex.answer += text
                elif text.strip():  # state "after"
                    raise ExerciseFormatError(f"{here}: exercise {ex.label} has no solution after it")
        if "".join(kept).strip():
            new = copy.deepcopy(cell)
            new.source = "".join(kept).strip("\n")
            items.append(new)
    if state != "out":
        assert ex is not None
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
    configs = ex.test_configs()
    points = [c["points"] for c in configs if isinstance(c.get("points"), (int, float))]
    if len(points) != len(configs):
        raise ExerciseFormatError(f"{ex.where}: every test of {ex.label} needs points in its TEST CONFIG")
    if sum(points) != ex.points:
        raise ExerciseFormatError(f"{ex.where}: the tests of {ex.label} are worth {sum(points):g} points, its "
                                  f"label line says {ex.points}")
    if not any(not c.get("hidden", False) for c in configs):
        raise ExerciseFormatError(f"{ex.where}: {ex.label} needs at least one public test (students run it)")
    assigned = assigned_names(ex)
    missing = [n for n in ex.checked_names() if n not in assigned]
    if not any(n in assigned for n in ex.checked_names()):
        raise ExerciseFormatError(f"{ex.where}: the tests of {ex.label} check none of the names its solution "
                                  f"assigns ({', '.join(missing)})")


#: Cell magics whose body is Python (the body is what a solution assigns); any other makes a cell not Python.
_PYTHON_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


def solution_python(ex: Exercise, source: str) -> ast.Module:
    """A solution cell as Python: the body of a %%time cell, line magics and shell lines (``%``, ``!``) as ``pass``;
    a cell that is not Python is an :class:`ExerciseFormatError` naming the exercise and the line. Every line keeps
    its number, so a node's position is its position in ``source``."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].split()[0]
        if magic not in _PYTHON_CELL_MAGICS:
            raise ExerciseFormatError(f"{ex.where}: the solution of {ex.label} is a {magic} cell, not Python")
        lines = [""] + lines[1:]
    lines = [re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in lines]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError as err:
        raise ExerciseFormatError(f"{ex.where}: the solution of {ex.label} is not valid Python (line {err.lineno}: "
                                  f"{err.msg})") from None


def assigned_names(ex: Exercise) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for cell in ex.solution:
        for node in solution_python(ex, cell.source).body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for t in targets:
                for name in ast.walk(t) if isinstance(t, (ast.Name, ast.Tuple, ast.List)) else ():
                    if isinstance(name, ast.Name):  # `a = ...` and `a, b = ...`
                        names.setdefault(name.id, node)
            if isinstance(node, ast.FunctionDef):
                names.setdefault(node.name, node)
    return names


def exercises(nb: NotebookNode, where: str = "notebook") -> list[Exercise]:
    """Only the exercises of a chapter, in order."""
    return [item for item in parse(nb, where) if isinstance(item, Exercise)]
