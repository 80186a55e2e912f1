"""``pytest --chapter NAME`` (``make check CHAPTER=NAME``): only the checks of one chapter, for the edit-and-check
loop of a person working on it.

Kept: the nbval cells of ``book/NAME.ipynb``, and every test parametrized by that chapter (a notebook path whose
stem is NAME, or the page ``book/NAME``): its site page in a browser, its graded submissions, its hand-out in
JupyterLab, its hand-out files and content note. Everything else is deselected (pytest says how many). The
session's hand-outs (the ``handouts`` fixture) are then made for that chapter alone.

Only the test modules that hold chapter checks are imported: each says so with ``CHAPTER_CHECKS = True`` (read
from its text, so the other modules and their imports cost nothing; importing every module took each worker
about 4 s more). Every run without ``--chapter`` checks the declarations as it collects: a module with a test
parametrized by a chapter and no declaration (which make check would leave out) stops the run with one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hmbook import paths


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--chapter", metavar="NAME", default=None,
                     help="run only the checks of book/NAME.ipynb (its nbval cells and the tests parametrized by it)")


def chapter(config: pytest.Config) -> str | None:
    """The chapter ``--chapter`` names, checked (a usage error, one line, for one the book does not have)."""
    name = config.getoption("chapter")
    if name is None:
        return None
    if not name or not (paths.ROOT / "book" / f"{name}.ipynb").is_file():
        raise pytest.UsageError(f"--chapter {name!r}: no chapter book/{name}.ipynb (a notebook's name without "
                                ".ipynb, eg table2_techniques)")
    return name


def _is_of(value: object, name: str) -> bool:
    if isinstance(value, Path):
        return value.suffix == ".ipynb" and value.stem == name
    return isinstance(value, str) and value in (name, f"book/{name}", f"book/{name}.ipynb")


def belongs(item: pytest.Item, name: str) -> bool:
    """Whether a collected test is one of chapter ``name``'s checks."""
    if Path(str(item.path)).resolve() == (paths.ROOT / "book" / f"{name}.ipynb").resolve():
        return True  # nbval's cells of the chapter
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any(_is_of(v, name) for v in callspec.params.values())


_DECLARES = re.compile(r"^CHAPTER_CHECKS = True\b", re.M)


def declares(path: Path) -> bool:
    """Whether the test module at ``path`` says it holds chapter checks (``CHAPTER_CHECKS = True``)."""
    try:
        return bool(_DECLARES.search(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return True  # not readable as text: let pytest collect it and report what is wrong


def pytest_configure(config: pytest.Config) -> None:
    chapter(config)  # a wrong name stops the run before anything is collected


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if chapter(config) is None or collection_path.suffix != ".py" or collection_path.name == "conftest.py":
        return None
    return None if declares(collection_path) else True


def _check_declarations(items: list[pytest.Item]) -> None:
    names = [p.stem for p in (paths.ROOT / "book").glob("*.ipynb")]
    has: dict[Path, str] = {}  # a test module with chapter checks -> its first such test
    for item in items:
        path = Path(str(item.path))
        if path.suffix == ".py" and path not in has and type(item).__name__ != "DoctestItem" \
                and any(belongs(item, name) for name in names):
            has[path] = item.nodeid
    for path in sorted(p for p in has if not declares(p)):
        where = path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path
        raise pytest.UsageError(f"{where} has chapter checks ({has[path]}) but no CHAPTER_CHECKS = True, so "
                                "make check would leave them out: add it")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    name = chapter(config)
    if name is None:
        _check_declarations(items)
        return
    mine = {id(item): belongs(item, name) for item in items}
    kept = [item for item in items if mine[id(item)]]
    dropped = [item for item in items if not mine[id(item)]]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept
