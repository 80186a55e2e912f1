"""Every expected failure in hmbook raises the one error type, and the command line turns it into one line.

:mod:`hmbook.errors` says that bad input and refused operations raise :class:`~hmbook.errors.DataError` (or a
subclass); the command line prints its message and exits with status 2. This reads every ``raise`` in the package
(its syntax tree, so a new ``raise ValueError(...)`` fails here) and lists the few that are not expected failures.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hmbook
from hmbook import errors

PACKAGE = Path(hmbook.__file__).parent
# Raises that are not an expected failure, each with why: control flow of the command line, not errors.
NOT_FAILURES = {
    "SystemExit": "hmbook/__main__.py passes main()'s exit status on",
    "_Terminated": "the command line's SIGTERM handler: a KeyboardInterrupt, exit status 143",
    "argparse.ArgumentTypeError": "argparse turns it into its own one-line usage error, exit status 2",
    "AttributeError": "a module __getattr__ (PEP 562, hmbook.paths) says a name is unknown, as Python expects",
    "Stopped": "hmbook.course.sandbox: the batch is being interrupted; the grading loop catches it and cleans up",
    "Flood": "inside the run step's sandbox: a notebook printed too much; caught there and reported as its note",
    "pickle.UnpicklingError": "the snapshot unpickler refuses a type, as pickle's callers expect; scoring catches it",
}


def _subclasses_of_data_error() -> set[str]:
    """Names of the classes in hmbook that derive from DataError (read from the source, not imported)."""
    names = {"DataError"}
    classes = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes.append((node.name, {ast.unparse(b) for b in node.bases}))
    grew = True
    while grew:
        grew = False
        for name, bases in classes:
            if name not in names and bases & names:
                names.add(name)
                grew = True
    return names


def _raised() -> list[tuple[str, str]]:
    """(what is raised, where) for every ``raise X`` / ``raise X(...)`` in the package; a bare re-raise is skipped."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = ast.unparse(exc)
            if name in functions:  # a helper that builds the error: what does it return?
                returns = functions[name].returns
                name = ast.unparse(returns) if returns is not None else name
            found.append((name, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"))
    return found


def test_every_expected_failure_is_a_data_error():
    allowed = _subclasses_of_data_error() | set(NOT_FAILURES)
    wrong = [f"{where}: raise {name}" for name, where in _raised() if name not in allowed]
    assert not wrong, "raise DataError (or a subclass) for every expected failure:\n" + "\n".join(wrong)


def test_the_scan_finds_what_it_should():
    """The scan sees raises (so the test above could fail): DataError is raised in many places."""
    names = [name for name, _ in _raised()]
    assert names.count("DataError") > 50
    assert "ExerciseFormatError" in _subclasses_of_data_error()


def test_data_error_is_a_value_error():
    """Code that catches ValueError (pandas-style callers) still catches hmbook's errors."""
    with pytest.raises(ValueError):
        raise errors.DataError("one line")
